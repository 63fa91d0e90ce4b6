"""The webhooks the fake SuccessFactors pushes: Integration Center *Intelligent Services* triggers (set up by
hand, as an admin does in Integration Center: ``POST /__fake/webhooks``; there is no API for them).

Bodies are the shape the connector's instructions ask the admin to build (Cronofy's documented sample [3p]):
a status change sends ``{"job_application": {"application_id", "candidate_id", "job_application_status_id"}}``,
a profile edit ``{"candidate": {"candidate_id"}}``, and a career-site application only the new profile's
candidate event (Gem [3p]: applying sends no application event). Purges send nothing. Nothing is signed and
no delivery id is sent (§2.9: no signature), so deliveries carry only ``Content-Type``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change, ChangeKind


def _num(value: Any) -> Any:
    """Integration Center sends SuccessFactors' Long ids as JSON numbers."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


@dataclass(frozen=True)
class Pushed(Change):
    """A change with the body its trigger sends (built under the state's lock, sent after it is released)."""

    body: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def status_changed(cls, app: dict[str, Any]) -> Pushed:
        body = {"job_application": {"application_id": _num(app["applicationId"]),
                                    "candidate_id": _num(app["candidateId"]),
                                    "job_application_status_id": _num(app["appStatusSetItemId"])}}  # fmt: skip
        return cls("applications", str(app["applicationId"]), "updated", body)

    @classmethod
    def profile(cls, resource: str, remote_id: str, kind: ChangeKind, candidate_id: str) -> Pushed:
        return cls(resource, remote_id, kind, {"candidate": {"candidate_id": _num(candidate_id)}})


def body(change: Change) -> dict[str, Any] | None:
    return dict(change.body) if isinstance(change, Pushed) else None


WEBHOOKS = WebhookStyle(body, lambda _raw, _secret: {})

"""The webhooks the fake Fountain pushes (configured by hand, as in Company Settings > Webhooks: ``POST
/__fake/webhooks``; Fountain has no API for them).

A stage transition (a move, and a new applicant landing on its funnel's first stage) sends the applicant as
API v2 serves it, nested under ``"applicant"`` [doc], as it was right after the change. Renames, notes and
deletions send nothing (Fountain has no webhook for them). Nothing is signed and no delivery id is sent
(Fountain documents neither), so deliveries carry only ``Content-Type``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change, ChangeKind


@dataclass(frozen=True)
class StageTransition(Change):
    """A change that lands an applicant on a stage, carrying the applicant as it was then (the webhook body
    is the applicant itself, and deliveries go out after the state's lock is released)."""

    applicant: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, applicant: dict[str, Any], kind: ChangeKind) -> StageTransition:
        return cls("applications", applicant["id"], kind, copy.deepcopy(applicant))


def body(change: Change) -> dict[str, Any] | None:
    return {"applicant": change.applicant} if isinstance(change, StageTransition) else None


WEBHOOKS = WebhookStyle(body, lambda _raw, _secret: {})

"""The webhooks the fake Pinpoint pushes (registered by hand: ``POST /__fake/webhooks``, as an admin adds one
under Company > Profile > Webhooks; Pinpoint documents no API for them).

Body [gap: each event "has its own payload"; the shapes are not in the stored docs]:
``{"event": "<resource>_<verb>", "triggered_at": "<ISO 8601>", "data": {"id", "type"}}``, the changed record as
a JSON:API resource identifier. Unsigned: Pinpoint documents no signature, so the fake sends no signature
header and no delivery id (the URL's path token is the only proof). Every change ``simulate`` makes is sent,
comments included (the receiver reads no comments, so those touch nothing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change

#: (resource, kind) -> the event name [gap: unverified spellings].
EVENTS = {
    ("applications", "created"): "application_created",
    ("applications", "updated"): "application_stage_changed",
    ("applications", "deleted"): "application_deleted",
    ("candidates", "created"): "candidate_created",
    ("candidates", "updated"): "candidate_updated",
    ("candidates", "deleted"): "candidate_deleted",
    ("comments", "created"): "comment_created",
}


def body(change: Change) -> dict[str, Any] | None:
    name = EVENTS.get((change.resource, change.kind))
    if name is None:
        return None
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"event": name, "triggered_at": stamp, "data": {"id": change.remote_id, "type": change.resource}}


def unsigned(raw: bytes, secret: str) -> dict[str, str]:
    """Pinpoint signs nothing (as far as documented): no headers beyond the content type."""
    return {}


WEBHOOKS = WebhookStyle(body, unsigned)

"""The fake JobDiva's webhooks: the body it pushes for each simulated change, signed as JobDiva signs.

Shape from Nango's JobDiva webhook routing [conn]: ``{"type", "operation": "Insert"|"Update"|"delete", "id",
"data": [...]}`` with ``X-Hub-Signature: sha1=<hex HMAC-SHA1(secret, raw body)>``; no delivery id. ``data``'s
contents are unknown [gap]: the fake sends ``[]``. Registration is manual (``POST /__fake/webhooks``, what an
admin does in JobDiva's settings): no vendor endpoint is served. JobDiva has no note event; a note is
announced as an ``Update`` of its candidate [unverified].
"""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change

TYPES = {"candidates": "candidate", "activities": "activity", "jobs": "job"}
OPERATIONS = {"created": "Insert", "updated": "Update", "deleted": "delete"}
#: note id -> its candidate id, set by ``simulate`` when it adds a note (the emitter sees only the
#: :class:`Change`). Ids are per fake: two fakes in one process may overwrite each other's entry, which only
#: changes the announced candidate id, never the event's type.
NOTE_CANDIDATES: dict[str, str] = {}


def note_added(note_id: str, candidate_id: str) -> None:
    if len(NOTE_CANDIDATES) > 10_000:  # a demo fake runs for days
        NOTE_CANDIDATES.clear()
    NOTE_CANDIDATES[note_id] = candidate_id


def webhook_body(change: Change) -> dict[str, Any] | None:
    """JobDiva's event for a simulated change (None: JobDiva announces nothing for it)."""
    if change.resource == "notes":
        cid = NOTE_CANDIDATES.pop(change.remote_id, "")
        return {"type": "candidate", "operation": "Update", "id": cid, "data": []}
    kind = TYPES.get(change.resource)
    if kind is None:
        return None
    return {"type": kind, "operation": OPERATIONS[change.kind], "id": change.remote_id, "data": []}


WEBHOOKS = WebhookStyle(webhook_body, hmac_body("X-Hub-Signature", "sha1=", "sha1"))

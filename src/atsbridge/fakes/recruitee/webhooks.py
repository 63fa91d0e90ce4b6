"""The webhooks the fake Recruitee pushes (configured by hand, as in Settings > Apps and Plugins > Webhooks:
``POST /__fake/webhooks``; Recruitee documents no API for them).

Body: ``{"id", "attempt_count", "created_at", "event_type", "event_subtype", "level", "payload"}``: a placement
change is ``candidate_moved`` / ``stage_changed`` (hires and disqualifications included: the change does not say
which), a deleted candidate ``candidate_deleted``; candidate edits and notes send nothing (no documented event).
The payload names only the changed record (real payloads embed candidate, offer and the stages; atsbridge reads
``event_type`` and ``id``). Signature: ``X-Recruitee-Signature: <hex HMAC-SHA256(secret, raw body)>``, written
independently of the connector's verifier.
"""

from __future__ import annotations

import itertools
from typing import Any

from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change

_IDS = itertools.count(700_001)

#: (resource, kind) -> (event_type, event_subtype, payload key).
EVENTS = {
    ("placements", "updated"): ("candidate_moved", "stage_changed", "placement"),
    ("candidates", "created"): ("candidate_created", None, "candidate"),
    ("candidates", "deleted"): ("candidate_deleted", None, "candidate"),
}


def body(change: Change) -> dict[str, Any] | None:
    found = EVENTS.get((change.resource, change.kind))
    if found is None:
        return None
    event_type, subtype, key = found
    return {"id": next(_IDS), "attempt_count": 1, "created_at": format_ts(utcnow()), "event_type": event_type,
            "event_subtype": subtype, "level": "candidate",
            "payload": {key: {"id": int(change.remote_id)}}}  # fmt: skip


WEBHOOKS = WebhookStyle(body, hmac_body("X-Recruitee-Signature"))

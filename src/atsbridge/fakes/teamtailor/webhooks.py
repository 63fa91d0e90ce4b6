"""The webhooks the fake Teamtailor pushes (company webhooks, registered by hand: ``POST /__fake/webhooks``, as
an administrator adds one in Settings > Integrations > Webhooks; Teamtailor has no public API for them).

Body: ``{"payload": {"event_name": "<resource>.<create|update|destroy>", "data": {"id", "type",
"attributes"}}}`` (the attributes are left empty here; atsbridge reads only the event name). Signature, v2:
``TT-Signature: base64("t=<unix seconds>,v2=<hex HMAC-SHA256(key, "<t>.<JSON of payload>")>")``, the payload
serialised compactly as the doc's JavaScript example does (``JSON.stringify``); written here independently of
the connector's verifier. Simplification: the body does not repeat the signature in a ``signature`` field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import orjson

from atsbridge.fakes.kit.emit import WebhookStyle
from atsbridge.fakes.kit.spec import Change

#: (resource, kind) -> (event name, JSON:API type); notes send none.
EVENTS = {
    ("candidates", "updated"): ("candidate.update", "candidates"),
    ("candidates", "created"): ("candidate.create", "candidates"),
    ("candidates", "deleted"): ("candidate.destroy", "candidates"),
    ("job-applications", "updated"): ("job_application.update", "job-applications"),
    ("job-applications", "created"): ("job_application.create", "job-applications"),
    ("job-applications", "deleted"): ("job_application.destroy", "job-applications"),
}


def body(change: Change) -> dict[str, Any] | None:
    found = EVENTS.get((change.resource, change.kind))
    if found is None:
        return None
    name, kind = found
    return {"payload": {"event_name": name, "data": {"id": change.remote_id, "type": kind, "attributes": {}}}}


def sign(raw: bytes, key: str, now: float | None = None) -> dict[str, str]:
    stamp = str(int(now if now is not None else time.time()))
    payload = orjson.dumps(orjson.loads(raw)["payload"])
    digest = hmac.new(key.encode(), stamp.encode() + b"." + payload, hashlib.sha256).hexdigest()
    return {"TT-Signature": base64.b64encode(f"t={stamp},v2={digest}".encode()).decode()}


WEBHOOKS = WebhookStyle(body, sign)

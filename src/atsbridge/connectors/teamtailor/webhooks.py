"""Teamtailor's company webhooks, declared: how a delivery is verified, and what each event touches.

Registration is manual [doc: tt-partner-docs ``company_webhooks``]: company webhooks are enabled for the company
and added by an administrator under Settings > Integrations > Webhooks (label, HTTPS URL, events). Teamtailor
has no public API to create them (partner webhook setups are enabled by Teamtailor for approved partners, with
another authentication), so ``registration="manual"``. The doc says Teamtailor *generates* the signature key
shown on that page; atsbridge verifies with the secret it issued, so the key used must be the one atsbridge
shows (where Teamtailor does not let it be set, that key has to reach atsbridge some other way: not covered).

Signature, v2 [doc ``_signatures.md.erb``]: ``TT-Signature`` (the same value is also in the body's ``signature``
field, used when the header is missing) is base64 of ``t=<unix seconds>,v2=<hex HMAC-SHA256(key,
"<t>.<payload>")>``. What ``<payload>`` is, is unsure: the doc's examples sign the **re-serialised** ``payload``
member (JavaScript ``JSON.stringify(body.payload)``, PHP ``json_encode``, which differ on escaping), while our
notes say "the raw body". The most defensible reading, accepted here: the exact bytes of the ``payload`` member
as they appear in the raw body (what Teamtailor serialised); its compact re-serialisation (the JavaScript
example) and the whole raw body are accepted too, all compared in constant time. Deliveries whose ``t`` is more
than 5 minutes off are refused (replay). The deprecated v1 (HMAC of ``data.id`` only: neither the body nor a
time is signed) is refused.

Delivery id: none. Teamtailor documents no event id and no retries ("any non 2xx responses will be logged as a
failed delivery"), so each delivery is taken as new (a repeat only queues one more delta).

Events [doc ``_event_types.md.erb``]: ``candidate.*``, ``job.*`` and ``job_application.*`` (``create``,
``update``, ``destroy``) in ``payload.event_name``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.inbound import Headers

TOLERANCE_SECONDS = 300.0

#: ``payload.event_name`` -> the streams it changes.
TOUCHES: dict[str, tuple[str, ...]] = {
    **{f"candidate.{a}": ("candidates", "tags", "job_applications") for a in ("create", "update", "destroy")},
    **{f"job_application.{a}": ("job_applications", "candidates") for a in ("create", "update", "destroy")},
    **{f"job.{a}": ("jobs", "stages") for a in ("create", "update", "destroy")},
}


def payload_span(body: bytes) -> bytes | None:
    """The raw bytes of the top-level ``payload`` member's value, as sent (None when there is none)."""
    text = body.decode("utf-8", errors="strict")
    decoder = json.JSONDecoder()
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        return None
    i = _skip(text, i + 1)
    while i < len(text) and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = _skip(text, i)
        if text[i : i + 1] != ":":
            return None
        start = _skip(text, i + 1)
        _, end = decoder.raw_decode(text, start)
        if key == "payload":
            return text[start:end].encode()
        i = _skip(text, end)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
    return None


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _sent_signature(headers: Headers, body: bytes) -> str:
    sent = headers.get("tt-signature", "")
    if sent:
        return sent
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    return str(parsed.get("signature") or "") if isinstance(parsed, dict) else ""


def verify(headers: Headers, body: bytes, secret: str, now: float) -> None:
    """Teamtailor's v2 signature (see the module docstring for the readings accepted)."""
    sent = _sent_signature(headers, body)
    if not sent:
        raise kit.WebhookRefused("no TT-Signature")
    try:
        decoded = base64.b64decode(sent, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise kit.WebhookRefused("TT-Signature is not base64") from None
    parts = dict(part.partition("=")[::2] for part in decoded.split(","))
    stamp, offered = parts.get("t", ""), parts.get("v2", "")
    if not offered:
        raise kit.WebhookRefused("TT-Signature carries no v2 signature (v1 is not accepted)")
    try:
        sent_at = float(stamp[:20])
    except ValueError:
        raise kit.WebhookRefused("TT-Signature's t is not a timestamp") from None
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise kit.WebhookRefused("TT-Signature's t is outside the 300 s window")
    readings = [body]
    try:
        span = payload_span(body)
    except (ValueError, UnicodeDecodeError):
        span = None
    if span is not None:
        readings[:0] = [span, orjson.dumps(orjson.loads(span))]
    matched = False
    for signed in readings:
        expected = hmac.new(secret.encode(), stamp.encode() + b"." + signed, hashlib.sha256).hexdigest()
        matched |= hmac.compare_digest(offered.strip().lower().encode(), expected.encode())
    if not matched:
        raise kit.WebhookRefused("TT-Signature does not match the payload")


def touches(event: Any) -> list[kit.Touch]:
    """The streams ``payload.event_name`` changes; other events (audit, custom fields) touch nothing."""
    if not isinstance(event, dict):
        raise ValueError("a Teamtailor delivery is a JSON object")
    payload = event.get("payload")
    name = payload.get("event_name") if isinstance(payload, dict) else None
    return [kit.Touch(stream) for stream in TOUCHES.get(str(name), ())]


WEBHOOKS = kit.Webhooks(
    verify=verify,
    events=touches,
    instructions="In Teamtailor (the Webhooks feature must be enabled for the company): Settings > Integrations > "
    "Webhooks > Add webhook. Paste the URL as the Webhook URL, choose signature version v2, use the secret as "
    "the signature key, and select the candidate, job and job application create/update/destroy events.",
    event_names=tuple(TOUCHES),
)

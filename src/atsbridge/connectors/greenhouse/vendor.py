"""The pieces every Greenhouse write shares: sending a write once, reading its refusal, and re-reading records
in the shape the stream mappers expect (creates go through the kit's ``call.once_id``).

Harvest v3's write endpoints are not fully documented publicly (the WRITE migration guide maps routes, not
bodies), so bodies follow v1's documented parameters on the v3 routes; refusals are read in both forms
Greenhouse uses: v1 validation ``{"message": ..., "errors": [{"message", "field"}]}`` and v3
``{"errors": ["..."]}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx
import orjson

from atsbridge.connectors.greenhouse.api import REASONS, TAGS, list_all, with_reason, with_tags
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource

Json = dict[str, Any]


def vendor_id(value: Any) -> Any:
    """Greenhouse ids are integers; atsbridge keeps remote ids as strings."""
    text = str(value)
    return int(text) if text.isdigit() else value


def _explain(errors: list[Any]) -> list[str]:
    out = []
    for item in errors:
        if isinstance(item, dict):
            field, text = item.get("field"), item.get("message")
            out.append(f"{field}: {text}" if field else str(text))
        else:
            out.append(str(item))
    return out


def vendor_message(exc: RemoteError) -> str:
    """The vendor's own words from a classified refusal (whose message ends with the response body)."""
    _, _, body = exc.message.partition("): ")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body or exc.message
    if isinstance(data, dict) and isinstance(data.get("errors"), list) and data["errors"]:
        return "; ".join(_explain(data["errors"]))
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return body


def refused(exc: RemoteError, what: str) -> RemoteError:
    """A vendor 4xx keeps its code and status but says plainly what Greenhouse refused and why."""
    if exc.code != "REMOTE.INPUT_INVALID":
        return exc
    return RemoteError(exc.code, f"Greenhouse refused {what}: {vendor_message(exc)}", status=exc.status)


def _decoded(response: httpx.Response, what: str) -> Any:
    try:
        return response.json() if response.content else {}
    except ValueError:
        # The write may have committed: retryable, and the caller's recorded intent makes the retry safe.
        message = f"Greenhouse's answer to {what} was cut off; retry with the same Idempotency-Key"
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", message, retryable=True) from None


async def send(src: KitSource, method: str, path: str, body: Mapping[str, Any] | None, what: str) -> Any:
    """One write, sent once: a POST is not idempotent, so 5xx, 429 and timeouts go back to the caller
    (retryable) instead of being retried blindly here."""
    try:
        response = await src.client.request(method, path, json=body, retry=False)
    except RemoteError as exc:
        raise refused(exc, what) from None
    return _decoded(response, what)


# ------------------------------------------------------------------------------------ records back
async def fetch_one(src: KitSource, path: str, rid: Any) -> Json | None:
    for rec in await list_all(src, path, {"ids": str(rid)}):
        if str(rec.get("id")) == str(rid):
            return rec
    return None


async def require(src: KitSource, path: str, rid: Any, label: str) -> Json:
    rec = await fetch_one(src, path, rid)
    if rec is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Greenhouse has no {label} {rid}", status=404)
    return rec


async def candidate_records(src: KitSource, rid: Any) -> list[tuple[str, Json]]:
    """A candidate as the candidates stream maps it (tag names need the tag table to become ids), after the
    tags it carries: one of them may be new (a create names tags), and a tag id must resolve to a tag."""
    rec = await require(src, "/candidates", rid, "candidate")
    if not rec.get("tags"):
        return [("candidates", rec)]
    table = await src.lookup(TAGS)
    tags = [("tags", {"id": table[name], "name": name}) for name in rec["tags"] if name in table]
    return [*tags, ("candidates", with_tags(rec, table))]


async def application_record(src: KitSource, rid: Any) -> Json:
    """An application as the applications stream maps it: a v3 rejection names only its reason id."""
    rec = await require(src, "/applications", rid, "application")
    if rec.get("rejection_reason_id") and not rec.get("rejection_reason"):
        rec = with_reason(rec, await src.lookup(REASONS))
    return rec


def job_of(app: Json) -> Any:
    """The job of a candidate application: v1 ``jobs[0]``, v3 ``job_id``."""
    if app.get("job_id") is not None:
        return app["job_id"]
    jobs = app.get("jobs") or []
    return jobs[0].get("id") if len(jobs) == 1 and isinstance(jobs[0], dict) else None


def newest(records: list[Json], match: Callable[[Json], bool]) -> Any:
    """The id of the most recent record that matches (v3 ids grow with time)."""
    ids = [rec["id"] for rec in records if match(rec)]
    return max(ids, key=lambda i: int(i) if str(i).isdigit() else 0) if ids else None

"""A stateful fake of Personio's Recruiting API for tests and demos (``atsbridge fake-ats personio``).

**No Personio recruiting payload was ever recorded**: every record is built from the documented v2 shapes
(reference §4 "Data (v2 ...)", a third-party client that says it matches the real responses): applications
``{id, application_date, candidate{...}, job{...}, current_stage{id|null, kind, name|null, type}, channel,
hiring_team, is_anonymized, created_at{date-time,timezone}, updated_at}``, candidates, jobs, categories with
``stages[]`` (system stages have no id; ``type`` unassigned|rejected|withdrawn|offer|accepted). Where the docs
say nothing (the ``kind``/``type`` values of custom stages, a job's ``status``) the fake picks
``kind: custom, type: custom`` and ``status: open|closed``.

Served: ``POST /v2/auth/token`` (client credentials in the form or Basic), ``/v2/recruiting/applications``
(``updated_at.gt``, ``candidate.email``), ``/candidates`` (``updated_at.gt``, ``email``), ``/jobs``,
``/categories`` and their ``/{id}``; cursor paging (``limit`` 1-200, the next page's URL in
``_meta.links.next.href``), newest update first. Writes: ``POST /v1/recruiting/applications`` (201, no body)
and ``/documents`` (multipart -> ``uuid``), both requiring ``X-Company-ID`` and a Bearer token (the
Recruiting API key or a v2 token). Errors are ``{"success": false, "error": {"message"}}``; beyond the rate
window (default 20/s) 429 with ``Retry-After``. Built on the fake engine: faults, the request log and the
control API (``/__fake/...``) are the kit's; mutations live on ``app.state.fake`` (:class:`FakeState`).
"""

from __future__ import annotations

import uuid
from email.parser import BytesParser
from email.policy import default
from typing import Any

from starlette.responses import Response

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec
from atsbridge.fakes.personio.simulate import HOOKS
from atsbridge.fakes.personio.state import FakeState, Raw

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

RECRUITING = "/v2/recruiting"
KINDS = ("applications", "candidates", "jobs", "categories")


def errors(error: VendorError) -> Any:
    return {"success": False, "error": {"message": error.message}}


def _page(call: Call[FakeState], records: list[Raw]) -> Raw:
    """``limit`` 1-200 and an opaque ``cursor``; the next page's full URL in ``_meta.links.next.href``."""
    raw = call.query.get("limit", "100")
    if not raw.isdigit() or not 1 <= int(raw) <= 200:
        raise VendorError(400, "limit must be between 1 and 200")
    cursor = call.query.get("cursor", "cur_0")
    start = int(cursor[4:]) if cursor.startswith("cur_") and cursor[4:].isdigit() else -1
    if start < 0:
        raise VendorError(400, "Invalid cursor")
    limit = min(int(raw), call.fake.page_cap or 200)
    meta: Raw = {"links": {}}
    if start + limit < len(records):
        meta["links"]["next"] = {"href": str(call.request.url.include_query_params(cursor=f"cur_{start + limit}"))}
    return {"_data": records[start : start + limit], "_meta": meta}


def _updated(call: Call[FakeState], records: list[Raw]) -> list[Raw]:
    """``updated_at.gt``; newest update first, as Personio sorts."""
    since = call.query.get("updated_at.gt")
    if since:
        try:
            bound = parse_ts(since)
        except ValueError:
            raise VendorError(400, f"updated_at.gt: invalid date-time {since!r}") from None
        records = [r for r in records if parse_ts(r["updated_at"]["date-time"]) > bound]
    return sorted(records, key=lambda r: (r["updated_at"]["date-time"], r["id"]), reverse=True)


def _listing(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        q = call.query
        records = list(getattr(call.fake, kind).values())
        if kind == "applications" and q.get("candidate.email"):
            records = [a for a in records if a["candidate"]["email"] == q["candidate.email"].lower()]
        if kind == "candidates" and q.get("email"):
            records = [c for c in records if c["email"] == q["email"].lower()]
        if kind in ("applications", "candidates"):
            records = _updated(call, records)
        return _page(call, records)

    return handler


def _one(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        found: Raw | None = getattr(call.fake, kind).get(call.path["id"])
        if found is None:
            raise VendorError(404, f"The {kind[:-1]} was not found")
        return found

    return handler


def _file_part(call: Call[FakeState]) -> tuple[str, bytes, str] | None:
    """The ``file`` part of a multipart body (standard library parser: the fakes need no ``python-multipart``)."""
    content_type = call.request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return None
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + call.body)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if part.get_param("name", header="content-disposition") == "file" and isinstance(payload, bytes):
            return part.get_filename() or "file", payload, part.get_content_type()
    return None


def upload(call: Call[FakeState]) -> Raw:
    found = _file_part(call)
    if found is None:
        raise VendorError(422, "A file is required")
    name, content, mimetype = found
    doc: Raw = {"uuid": str(uuid.uuid4()), "original_filename": name, "mimetype": mimetype, "size": len(content)}
    call.fake.documents[doc["uuid"]] = doc
    return doc


def create(call: Call[FakeState]) -> Response:
    call.fake.create(call.json_object())
    return Response(status_code=201)


SPEC = FakeSpec(
    name="personio",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        *(Endpoint("GET", f"{RECRUITING}/{kind}", _listing(kind)) for kind in KINDS),
        *(Endpoint("GET", f"{RECRUITING}/{kind}/{{id}}", _one(kind)) for kind in KINDS),
        Endpoint("POST", "/v1/recruiting/applications/documents", upload),
        Endpoint("POST", "/v1/recruiting/applications", create),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": base_url, "company_id": "4242"},
    {"client_id": "personio_id", "client_secret": "personio_secret"},
)

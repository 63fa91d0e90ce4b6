"""The fake Lever's write endpoints, answering in the recorded shapes (``write_*.response.json``).

Lever behaviour reproduced: ``?perform_as=`` names an active user on every write (else 400); unknown stages,
archive reasons and postings, and closed postings, are 400s in Lever's ``{"code", "message"}`` shape; an unknown
opportunity is a 404. ``POST /opportunities`` dedupes by email (``deduped: true``; see
:meth:`FakeState.create_opportunity`). Write answers carry the opportunity without ``opportunityLocation`` and
with application ids only, exactly as recorded. Files arrive as ``multipart/form-data`` (field ``file``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.lever.state import FakeState, LeverError, bad_request

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState], Response]


def raw_body(request: Request) -> bytes:
    """The request body, read by the endpoint wrapper before the handler runs under the state lock."""
    body: bytes = getattr(request.state, "body", b"")
    return body


def _json(request: Request) -> Raw:
    try:
        body = json.loads(raw_body(request) or b"{}")
    except ValueError:
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def _strings(body: Raw, key: str, *, required: bool = True) -> list[str]:
    value = body.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad_request(f"{key} must be an array of non-empty strings")
    return list(value)


def _acting(request: Request, fake: FakeState) -> str:
    return fake.acting_user(request.query_params.get("perform_as"))


def _opportunity_id(request: Request, fake: FakeState) -> str:
    oid = str(request.path_params["id"])
    if oid not in fake.opportunities:
        raise LeverError(404, "ResourceNotFound", f"opportunity {oid} not found")
    return oid


def write_view(opp: Raw) -> Raw:
    """An opportunity as write endpoints answer: application ids, no ``opportunityLocation`` (as recorded)."""
    out = copy.deepcopy(opp)
    out.pop("opportunityLocation", None)
    return out


def _opportunity_answer(opp: Raw) -> Response:
    return JSONResponse({"data": write_view(opp)})


# ------------------------------------------------------------------------------------------------ handlers


def create_opportunity(request: Request, fake: FakeState) -> Response:
    """``POST /opportunities``: 201 with ``{"deduped", "data"}``; 200 when Lever returns an existing candidacy."""
    acting = _acting(request, fake)
    body = _json(request)
    _strings(body, "emails", required=False)
    _strings(body, "postings", required=False)
    for key in ("tags", "sources", "links"):
        _strings(body, key, required=False)
    opp, deduped, created = fake.create_opportunity(body, acting)
    return JSONResponse({"deduped": deduped, "data": write_view(opp)}, status_code=201 if created else 200)


def put_stage(request: Request, fake: FakeState) -> Response:
    """``PUT /opportunities/{id}/stage`` ``{"stage": <id>}``."""
    oid = _opportunity_id(request, fake)
    acting = _acting(request, fake)
    body = _json(request)
    if not isinstance(body.get("stage"), str):
        raise bad_request("stage is required")
    return _opportunity_answer(fake.move_stage(oid, body["stage"], acting))


def put_archived(request: Request, fake: FakeState) -> Response:
    """``PUT /opportunities/{id}/archived`` ``{"reason": <id> | null, "cleanInterviews"?, "requisitionId"?}``."""
    oid = _opportunity_id(request, fake)
    _acting(request, fake)
    body = _json(request)
    if "reason" not in body or not (body["reason"] is None or isinstance(body["reason"], str)):
        raise bad_request("reason is required: an archive reason id, or null to unarchive")
    return _opportunity_answer(fake.archive(oid, body["reason"]))


def post_note(request: Request, fake: FakeState) -> Response:
    """``POST /opportunities/{id}/notes`` ``{"value", "secret"?}``: 201, the note plus ``noteId``."""
    oid = _opportunity_id(request, fake)
    acting = _acting(request, fake)
    body = _json(request)
    value = body.get("value")
    if not isinstance(value, str) or not value.strip():
        raise bad_request("value is required: the note's text")
    note = fake.add_note(oid, value, acting, bool(body.get("secret")))
    return JSONResponse({"data": {**copy.deepcopy(note), "noteId": note["id"]}}, status_code=201)


def _upload(request: Request) -> tuple[str, bytes]:
    """The ``file`` part of a ``multipart/form-data`` body: (file name, bytes)."""
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise bad_request("Files must be uploaded as multipart/form-data")
    head = f"Content-Type: {ctype}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + raw_body(request))
    assert isinstance(message, EmailMessage)
    for part in message.iter_parts():
        if isinstance(part, EmailMessage) and part.get_param("name", header="content-disposition") == "file":
            content = part.get_payload(decode=True)
            return part.get_filename() or "file", content if isinstance(content, bytes) else b""
    raise bad_request("file is required")


def post_file(request: Request, fake: FakeState) -> Response:
    """``POST /opportunities/{id}/files`` (multipart ``file``): 201, the file record."""
    oid = _opportunity_id(request, fake)
    _acting(request, fake)
    name, content = _upload(request)
    if not content:
        raise bad_request("file is empty")
    return JSONResponse({"data": copy.deepcopy(fake.add_file(oid, name, content))}, status_code=201)


def _list_edit(key: str, edit: Callable[[FakeState, str, list[str]], Raw]) -> Handler:
    """``POST /opportunities/{id}/addTags|removeTags|addLinks|removeLinks`` ``{"<key>": [...]}``."""

    def handler(request: Request, fake: FakeState) -> Response:
        oid = _opportunity_id(request, fake)
        _acting(request, fake)
        return _opportunity_answer(edit(fake, oid, _strings(_json(request), key)))

    return handler


WRITE_ROUTES: list[tuple[str, str, Handler]] = [
    ("/v1/opportunities", "POST", create_opportunity),
    ("/v1/opportunities/{id}/stage", "PUT", put_stage),
    ("/v1/opportunities/{id}/archived", "PUT", put_archived),
    ("/v1/opportunities/{id}/notes", "POST", post_note),
    ("/v1/opportunities/{id}/files", "POST", post_file),
    ("/v1/opportunities/{id}/addTags", "POST", _list_edit("tags", FakeState.add_tags)),
    ("/v1/opportunities/{id}/removeTags", "POST", _list_edit("tags", FakeState.remove_tags)),
    ("/v1/opportunities/{id}/addLinks", "POST", _list_edit("links", FakeState.add_links)),
    ("/v1/opportunities/{id}/removeLinks", "POST", _list_edit("links", FakeState.remove_links)),
]

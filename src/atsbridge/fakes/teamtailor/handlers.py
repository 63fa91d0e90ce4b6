"""The fake's endpoints: JSON:API listings (filters, ``include``, page links), single and related resources,
and the writes Teamtailor documents. Each handler runs under the state's lock."""

from __future__ import annotations

import math
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.store import BadRequest, Store, page_links

Raw = dict[str, Any]
Handler = Callable[[Request, FakeState, Raw | None], Response]

MAX_PAGE = 30


class Doc(JSONResponse):
    """A JSON:API document (Teamtailor answers ``application/vnd.api+json``)."""

    media_type = "application/vnd.api+json"


#: Documented filters per listing; anything else is refused like JSON:API Resources does.
FILTERS: dict[str, set[str]] = {
    "jobs": {"status", "feed", "department", "role", "locations", "regions"},
    "candidates": {"created-at", "updated-at", "email", "department", "role", "locations", "regions", "connected"},
    "job-applications": {"stage-type", "created-at", "updated-at", "changed-stage-at"},
}
_FILTER = re.compile(r"^filter\[([\w-]+)\](?:\[(from|to)\])?$")
_JOB_STATUSES = {"published", "unlisted", "archived", "draft", "scheduled", "all"}


def base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _filters(request: Request, type_: str) -> list[tuple[str, str | None, str]]:
    found = []
    for name, value in request.query_params.multi_items():
        match = _FILTER.match(name)
        if not name.startswith("filter"):
            continue
        if match is None or match.group(1) not in FILTERS.get(type_, set()):
            raise BadRequest(400, "Filter not allowed", f"{name} is not allowed on {type_}")
        found.append((match.group(1), match.group(2), value))
    return found


def _date_ok(value: object, bound: str | None, given: str) -> bool:
    if not isinstance(value, str):
        return False
    try:
        when, limit = parse_ts(value), parse_ts(given)
    except ValueError:
        raise BadRequest(400, "Invalid filter value", f"{given!r} is not a date") from None
    return when >= limit if bound != "to" else when <= limit


def _matches(store: Store, res: Raw, name: str, bound: str | None, value: str) -> bool:
    attrs = res["attributes"]
    if name in ("created-at", "updated-at", "changed-stage-at"):
        return _date_ok(attrs.get(name), bound, value)
    if name == "email":
        return str(attrs.get("email") or "").lower() == value.lower()
    if name == "stage-type":
        stages = store.related(res, "stage")
        return bool(stages) and stages[0]["attributes"]["stage-type"] == value
    if name == "status":
        if value not in _JOB_STATUSES:
            raise BadRequest(400, "Invalid filter value", f"status {value!r}")
        return value == "all" or attrs.get("human-status") == value
    return True  # department/role/locations/...: accepted, not modelled


def _page(request: Request, fake: FakeState) -> tuple[int, int]:
    try:
        size = int(request.query_params.get("page[size]", "10"))
        number = int(request.query_params.get("page[number]", "1"))
    except ValueError:
        raise BadRequest(400, "Invalid page params", "page[size] and page[number] must be integers") from None
    if not 1 <= size <= MAX_PAGE or number < 1:
        raise BadRequest(400, "Invalid page value", f"page[size] must be between 1 and {MAX_PAGE}")
    return number, min(size, fake.page_cap or size)


#: ``meta.texts`` of the lists whose recordings carry it (``payloads/departments.json``, ``locations.json``).
META_TEXTS: dict[str, dict[str, str]] = {
    "departments": {"name-singular": "department", "name-plural": "departments", "all": "All departments"},
    "locations": {"all": "All locations"},
}


def listing(request: Request, fake: FakeState, records: list[Raw], wrap_notes: bool = False) -> Response:
    """One page of ``records`` as a compound document with ``meta`` and ``links``."""
    number, size = _page(request, fake)
    pages = max(math.ceil(len(records) / size), 1)
    chunk = records[(number - 1) * size : number * size]
    data, included = fake.store.compound(chunk, request.query_params.get("include"), base(request))
    params = list(request.query_params.multi_items())
    links = page_links(base(request), request.url.path, params, number, size, pages)
    meta: Raw = {"record-count": len(records), "page-count": pages}
    kind = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    if kind in META_TEXTS:  # as recorded: these lists name themselves for the UI
        meta = {"texts": dict(META_TEXTS[kind]), **meta}
    body: Raw = {"meta": meta, "links": links}
    if wrap_notes:  # GET /notes answers {"notes": [{"data": {...}}]}, as Teamtailor documents it
        body = {"notes": [{"data": d} for d in data], **body}
    else:
        body = {"data": data, **({"included": included} if included else {}), **body}
    return Doc(body)


def list_type(type_: str) -> Handler:
    def handler(request: Request, fake: FakeState, _payload: Raw | None) -> Response:
        records = fake.store.all(type_)
        wanted = _filters(request, type_)
        if type_ == "jobs" and not any(f[0] == "status" for f in wanted):
            wanted.append(("status", None, "published"))  # Teamtailor lists published jobs unless told
        records = [r for r in records if all(_matches(fake.store, r, *f) for f in wanted)]
        return listing(request, fake, records, wrap_notes=type_ == "notes")

    return handler


def _single(request: Request, fake: FakeState, res: Raw, status: int = 200) -> Response:
    data, included = fake.store.compound([res], request.query_params.get("include"), base(request))
    body: Raw = {"data": data[0], **({"included": included} if included else {})}
    return Doc(body, status_code=status)


def _found(fake: FakeState, type_: str, id_: str) -> Raw:
    res = fake.store.get(type_, id_)
    if res is None:
        raise BadRequest(404, "Record not found", f"The record identified by {id_} could not be found.")
    return res


def get_one(request: Request, fake: FakeState, _payload: Raw | None) -> Response:
    return _single(request, fake, _found(fake, request.path_params["type"], request.path_params["id"]))


def get_related(request: Request, fake: FakeState, _payload: Raw | None) -> Response:
    """``/v1/<type>/<id>/<relationship>``: the related resources (a listing for to-many relationships)."""
    type_, name = request.path_params["type"], request.path_params["rel"]
    res = _found(fake, type_, request.path_params["id"])
    if not fake.store.knows(type_, name):
        raise BadRequest(404, "Record not found", f"{type_} has no relationship {name}")
    found = fake.store.related(res, name)
    linkage = fake.store.linkage(res, name)
    if isinstance(linkage, list):
        return listing(request, fake, found)
    if not found:
        return Doc({"data": None})
    return _single(request, fake, found[0])


def download(request: Request, fake: FakeState, _payload: Raw | None) -> Response:
    """What a signed storage URL serves: the file's bytes, no API key needed."""
    kind, id_ = request.path_params["kind"], request.path_params["id"]
    if kind == "resume" and fake.store.get("candidates", id_) is not None:
        name = "resume.pdf"
    elif kind == "upload" and (upload := fake.store.get("uploads", id_)) is not None:
        name = upload["attributes"]["file-name"]
    else:
        return Response(b"<Error><Code>NoSuchKey</Code></Error>", status_code=404, media_type="application/xml")
    content = f"%PDF-1.4\n% fake Teamtailor file {kind} {id_}\n".encode()
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"  # storage serves the type it was given
    return Response(content, media_type=kind)

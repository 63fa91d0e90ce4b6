"""A stateful fake of Zoho Recruit's REST v2 API for tests and demos (``atsbridge fake-ats zohorecruit``).

Recorded payloads exist only for two writes (``payloads/``: associate and change status, from the vendor's
documentation); every record shape is built field by field from the documented v2 conventions (reference
§10: flat maps keyed by field API names, ``{"name", "id"}`` lookups, 18-digit string ids, ISO times with an
offset) — the Applications module's fields (``Candidate_Name``, ``Job_Opening_Name``, ``Application_Status``)
and the search criteria on lookups are unverified [gap].

Served under ``/recruit/v2``: ``Job_Openings``, ``Candidates``, ``Applications`` (``page``/``per_page`` ≤ 200,
``{"data", "info": {"per_page", "count", "page", "more_records"}}``, ``sort_by``/``sort_order``, the
``If-Modified-Since`` header), ``/{module}/{id}``, ``/{module}/deleted?type=all|recycle|permanent``,
``/{module}/search`` (``email``, ``criteria=((Field:equals:value)and(...))``), ``/{module}/{id}/Notes``,
``/users?type=AllUsers|CurrentUser`` (``{"users"}``), ``/settings/tags`` (``{"tags"}``), ``/settings/fields``
(``{"fields"}``). Zoho's quirks: an empty answer is **204 without a body**, "nothing modified since" is **304**;
tokens come from ``POST /oauth/v2/token`` (refresh-token grant; a refused grant is HTTP 200 ``{"error"}``) and
go in ``Authorization: Zoho-oauthtoken``. Writes: ``POST /Candidates``, ``PUT /Candidates/actions/associate``,
``PUT /{module}/status`` (the doubly nested ``data[[...]]`` answer), ``POST /Notes``,
``POST /Candidates/actions/add_tags|remove_tags``; a refused item is ``{"data": [{"code", "details",
"message", "status": "error"}]}`` with HTTP 400 (whole-request errors are the same object unwrapped). Beyond
the rate window (default 10/s, no rate headers) 429 ``TOO_MANY_REQUESTS``. Built on the fake engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.zohorecruit.simulate import HOOKS
from atsbridge.fakes.zohorecruit.state import STATUSES, FakeState, Raw, stamp

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/recruit/v2"
CODES = {401: "INVALID_TOKEN", 404: "INVALID_URL_PATTERN", 429: "TOO_MANY_REQUESTS", 400: "INVALID_DATA"}


def error_item(error: VendorError) -> Raw:
    code = error.code or CODES.get(error.status, "INTERNAL_ERROR")
    message = "invalid oauth token" if code == "INVALID_TOKEN" else error.message
    return {"code": code, "details": {"api_name": error.field} if error.field else {}, "message": message,
            "status": "error"}  # fmt: skip


def _since(call: Call[FakeState]) -> str | None:
    raw = call.request.headers.get("if-modified-since")
    if raw is None:
        return None
    try:
        return stamp(parse_ts(raw))
    except ValueError:
        raise VendorError(400, "invalid If-Modified-Since header", code="INVALID_DATA") from None


def _page(call: Call[FakeState], rows: list[Raw], since: str | None) -> Any:
    """``page``/``per_page``; 204 when there is nothing at all, 304 when nothing changed since."""
    page, size = call.query.get("page", "1"), call.query.get("per_page", "200")
    if not page.isdigit() or not size.isdigit() or int(page) < 1 or not 1 <= int(size) <= 200:
        raise VendorError(400, "page and per_page (1-200) must be positive integers", code="INVALID_DATA")
    if not rows:
        return Response(status_code=304) if since else None
    size_n = min(int(size), call.fake.page_cap or 200)
    start = (int(page) - 1) * size_n
    chunk = rows[start : start + size_n]
    if not chunk:
        return None
    info = {"per_page": size_n, "count": len(chunk), "page": int(page), "more_records": start + size_n < len(rows)}
    return {"data": chunk, "info": info}


def _module(call: Call[FakeState]) -> dict[str, Raw]:
    name = call.path["module"]
    if name == "Notes":
        raise VendorError(400, "the module name given seems to be invalid", code="INVALID_MODULE")
    return call.fake.module(name)


def listing(call: Call[FakeState]) -> Any:
    since, table = _since(call), _module(call)
    rows = [r for r in table.values() if since is None or r["Modified_Time"] >= since]
    key = call.query.get("sort_by", "id")
    if key not in ("id", "Created_Time", "Modified_Time"):
        raise VendorError(400, "invalid sort_by", code="INVALID_DATA", field="sort_by")
    rows.sort(key=lambda r: (str(r.get(key)), int(r["id"])), reverse=call.query.get("sort_order") == "desc")
    return _page(call, rows, since)


def deleted(call: Call[FakeState]) -> Any:
    kind, since = call.query.get("type", "all"), _since(call)
    if kind not in ("all", "recycle", "permanent"):
        raise VendorError(400, "invalid type", code="INVALID_DATA", field="type")
    _module(call)
    log = call.fake.deleted.get(call.path["module"], [])
    rows = [d for d in log if kind in ("all", d["type"]) and (since is None or d["deleted_time"] >= since)]
    return _page(call, rows, since)


def one(call: Call[FakeState]) -> Any:
    found = _module(call).get(call.path["id"])
    return {"data": [found]} if found is not None else None


_CRITERION = re.compile(r"\(([A-Za-z_$]+):equals:([^()]*)\)")


def search(call: Call[FakeState]) -> Any:
    """``email=`` (exact) or ``criteria=((Field:equals:value)and(...))``; a lookup field compares its id."""
    table, q = _module(call), call.query
    tests = [("Email", q["email"].lower())] if q.get("email") else _CRITERION.findall(q.get("criteria", ""))
    if not tests:
        raise VendorError(400, "either the criteria or the email is required", code="REQUIRED_PARAM_MISSING")

    def value(raw: Raw, name: str) -> str:
        got = raw.get(name)
        return str(got.get("id") if isinstance(got, dict) else got or "").lower()

    rows = [r for r in table.values() if all(value(r, k) == v.lower() for k, v in tests)]
    return _page(call, rows, None)


def notes_of(call: Call[FakeState]) -> Any:
    if call.path["id"] not in _module(call):
        raise VendorError(400, "the id given seems to be invalid", code="INVALID_DATA")
    notes = [n for n in call.fake.notes.values() if n["Parent_Id"]["id"] == call.path["id"]]
    return _page(call, notes, None)


def users(call: Call[FakeState]) -> Any:
    rows = list(call.fake.users.values())
    if call.query.get("type") == "CurrentUser":
        rows = rows[:1]
    return {"users": rows, "info": {"per_page": 200, "count": len(rows), "page": 1, "more_records": False}}


def settings_tags(call: Call[FakeState]) -> Any:
    if call.query.get("module") != "Candidates":
        raise VendorError(400, "the module name given seems to be invalid", code="INVALID_MODULE")
    return {"tags": list(call.fake.tags.values()), "info": {"count": len(call.fake.tags), "allowed_count": 200}}


def settings_fields(call: Call[FakeState]) -> Any:
    values = [{"display_value": s, "actual_value": s, "sequence_number": i + 1} for i, s in enumerate(STATUSES)]
    return {"fields": [
        {"api_name": "Email", "field_label": "Email", "data_type": "email", "id": "568998000000000101"},
        {"api_name": "Application_Status", "field_label": "Application Status", "data_type": "picklist",
         "id": "568998000000000102", "pick_list_values": [{"display_value": "-None-", "actual_value": "-None-",
                                                          "sequence_number": 0}, *values]}]}  # fmt: skip


def _items(call: Call[FakeState]) -> list[Raw]:
    data = call.json_object().get("data")
    if not isinstance(data, list) or not data or not all(isinstance(d, dict) for d in data):
        raise VendorError(400, "body must carry a non-empty data array", code="INVALID_DATA")
    return data


def _write(handler: Callable[[Call[FakeState], Raw], Raw | list[Raw]]) -> Callable[[Call[FakeState]], Any]:
    """Each item through ``handler``; a refused one becomes its error item (HTTP 400 when all were refused)."""

    def serve(call: Call[FakeState]) -> Any:
        results = []
        for entry in _items(call):
            try:
                done = handler(call, entry)
                results.extend(done if isinstance(done, list) else [done])
            except VendorError as exc:
                results.append(error_item(exc))
        failed = all(r["status"] == "error" for r in results)
        return reply({"data": results}, 400 if failed else 201 if call.request.method == "POST" else 200)

    return serve


def _done(raw: Raw, message: str) -> Raw:
    details = {k: raw[k] for k in ("Modified_Time", "Modified_By", "Created_Time", "id", "Created_By")}
    return {"code": "SUCCESS", "details": details, "message": message, "status": "success"}


def create_candidate(call: Call[FakeState], fields: Raw) -> Raw:
    missing = [k for k in ("Last_Name",) if not fields.get(k)]
    if missing:
        raise VendorError(400, f"required field not found: {missing[0]}", code="MANDATORY_NOT_FOUND", field=missing[0])
    email = str(fields.get("Email") or "").lower()
    same = next((c for c in call.fake.candidates.values() if email and c["Email"] == email), None)
    if same is not None:  # the duplicate is named in the details [3p]
        return {"code": "DUPLICATE_DATA", "details": {"api_name": "Email", "id": same["id"]},
                "message": "duplicate data", "status": "error"}  # fmt: skip
    cand = call.fake.add_candidate(len(call.fake.candidates), call.fake.now(), {**fields, "Email": email or None})
    return _done(cand, "record added")


def associate(call: Call[FakeState], entry: Raw) -> list[Raw]:
    """One answer item per job opening, ``details.ids`` a string that looks like a list (as recorded)."""
    ids, jobs = entry.get("ids"), entry.get("jobids")
    if not isinstance(ids, list) or not isinstance(jobs, list) or not ids or not jobs:
        raise VendorError(400, "ids and jobids are required", code="MANDATORY_NOT_FOUND")
    for job in jobs:
        for cid in ids:
            call.fake.associate(str(cid), str(job))
    return [{"code": "SUCCESS", "details": {"jobid": str(job), "ids": "[" + ", ".join(map(str, ids)) + "]"},
             "message": "Record associated successfully", "status": "success"} for job in jobs]  # fmt: skip


def change_status(call: Call[FakeState]) -> Any:
    """``PUT /{module}/status``: the candidate's status, or its per-job (application) status with ``jobids``;
    answered doubly nested, ``data[[...]]``."""
    if call.path["module"] != "Candidates":
        raise VendorError(400, "the module name given seems to be invalid", code="INVALID_MODULE")
    answers = []
    for entry in _items(call):
        status, jobs = entry.get("Candidate_Status"), entry.get("jobids") or [None]
        group = []
        for cid in entry.get("ids") or []:
            for job in jobs:
                try:
                    if not isinstance(status, str) or status not in STATUSES:
                        raise VendorError(400, "invalid status", code="INVALID_DATA", field="Candidate_Status")
                    group.append(_done(call.fake.set_status(str(cid), job and str(job), status), "status changed"))
                except VendorError as exc:
                    group.append(error_item(exc))
        answers.append(group or [error_item(VendorError(400, "ids are required", code="MANDATORY_NOT_FOUND"))])
    failed = all(r["status"] == "error" for group in answers for r in group)
    return reply({"data": answers}, 400 if failed else 200)


def tags(add: bool) -> Callable[[Call[FakeState]], Any]:
    def serve(call: Call[FakeState]) -> Any:
        ids = [i for i in call.query.get("ids", "").split(",") if i]
        names = [n for n in call.query.get("tag_names", "").split(",") if n.strip()]
        if not ids or not names:
            raise VendorError(400, "ids and tag_names are required", code="REQUIRED_PARAM_MISSING")
        results = []
        for cid in ids:
            try:
                cand = call.fake.tag(cid, names, add)
                results.append({"code": "SUCCESS", "details": {"id": cid, "tags": cand["Associated_Tags"]},
                                "message": "tags updated successfully", "status": "success"})  # fmt: skip
            except VendorError as exc:
                results.append(error_item(exc))
        return reply({"data": results}, 400 if all(r["status"] == "error" for r in results) else 200)

    return serve


SPEC = FakeSpec(
    name="zohorecruit",
    errors=error_item,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{V2}/users", users),
        Endpoint("GET", f"{V2}/settings/tags", settings_tags),
        Endpoint("GET", f"{V2}/settings/fields", settings_fields),
        Endpoint("POST", f"{V2}/Candidates", _write(create_candidate)),
        Endpoint("PUT", f"{V2}/Candidates/actions/associate", _write(associate)),
        Endpoint("POST", f"{V2}/Candidates/actions/add_tags", tags(True)),
        Endpoint("POST", f"{V2}/Candidates/actions/remove_tags", tags(False)),
        Endpoint("POST", f"{V2}/Notes", _write(lambda call, entry: _done(call.fake.add_note(entry), "record added"))),
        Endpoint("PUT", f"{V2}/{{module}}/status", change_status),
        Endpoint("GET", f"{V2}/{{module}}/deleted", deleted),
        Endpoint("GET", f"{V2}/{{module}}/search", search),
        Endpoint("GET", f"{V2}/{{module}}/{{id}}/Notes", notes_of),
        Endpoint("GET", f"{V2}/{{module}}/{{id}}", one),
        Endpoint("GET", f"{V2}/{{module}}", listing),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` candidates, one
#: application each (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"region": "com", "base_url": f"{base_url}{V2}", "token_url": f"{base_url}/oauth/v2/token"},
    {"client_id": "1000.ZRCLIENT", "client_secret": "zr_secret", "refresh_token": "1000.zr_refresh"},
)

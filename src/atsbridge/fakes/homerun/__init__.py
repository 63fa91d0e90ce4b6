"""A stateful fake of Homerun's public API v2 for tests and demos (``atsbridge fake-ats homerun``).

**No Homerun traffic was ever recorded**: the templates are the vendor's documented samples in ``payloads/``
(the Redoc samples of its OpenAPI schema for a vacancy and a job application, and the documented pagination
``meta``); fields of the application detail (``education`` ... ``custom_data``, ``files``) are built from the
documented schema field by field.

Served under ``/v2``: ``GET /ping``; ``GET /vacancies`` (``filter[status]``; ``include[]`` adds ``location``,
``department``, ``stages``, ``total_candidate_count``: without it those keys are absent) and ``/vacancies/{id}``;
``GET /job-applications`` (``filter[vacancy_id]`` comma list, ``filter[stage]`` by name, ``filter[hired_after]``
YYYY-MM-DD; ``include[]`` ``stage``/``sources``/``vacancy``; newest first; no update-time filter, as in the real
API) and ``/job-applications/{id}`` (the detail fields); ``POST /job-applications`` (201 ``{data}``),
``PATCH /job-applications/{id}`` (partial; a stage moves by **name**, 404 when the vacancy has none by that
name), ``DELETE`` (204), ``POST /job-applications/{id}/notes`` (201 ``{data: note}``; notes have no id) and
``/files`` (multipart ``type`` resume|assignment + ``file``). Paging: ``page`` and ``perPage`` (1-100, default
15) with Laravel's ``meta`` (``links[]`` with ``http://`` URLs, as documented). Auth: ``Authorization: Bearer
<key>``. Errors: ``{"code", "error": true, "message"}``; beyond 60 requests a minute 429 with no rate headers
(none are documented).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from atsbridge.fakes.homerun.simulate import HOOKS
from atsbridge.fakes.homerun.state import DETAIL, FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.forms import form_parts
from atsbridge.fakes.kit.paging import PageNumber
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/v2"
PAGER = PageNumber(page_param="page", size_param="perPage", default_size=15, max_size=100)
VACANCY_INCLUDES = ("location", "department", "stages", "total_candidate_count")
PROBE = (f"{V2}/ping", {"Authorization": "Bearer homerun_key"})


def errors(error: VendorError) -> Any:
    return {"code": error.status, "error": True, "message": error.message}


def _includes(call: Call[FakeState]) -> set[str]:
    return {v for k, v in call.request.query_params.multi_items() if k in ("include[]", "include")}


def _page(call: Call[FakeState], records: list[Raw]) -> Raw:
    """Laravel's paginator: ``data`` and ``meta`` (links with the page URLs)."""
    cursor = PAGER.cursor(call.request)
    size = min(cursor.size, call.fake.page_cap or cursor.size)
    page = cursor.index // cursor.size + 1
    rows = records[(page - 1) * size : page * size]
    last = max(1, -(-len(records) // size))
    path = str(call.request.url.replace(query="", scheme="http")).rstrip("?")

    def link(n: int | None, label: str) -> Raw:
        return {"url": f"{path}?page={n}" if n else None, "label": label, "active": n == page and label == str(n)}

    links = [link(page - 1 if page > 1 else None, "&laquo; Previous")]
    links += [link(n, str(n)) for n in range(1, last + 1)]
    links.append(link(page + 1 if page < last else None, "Next &raquo;"))
    first = (page - 1) * size + 1
    meta = {"current_page": page, "from": first if rows else None, "last_page": last, "links": links, "path": path,
            "per_page": size, "to": first + len(rows) - 1 if rows else None, "total": len(records)}  # fmt: skip
    return {"data": rows, "meta": meta}


def _vacancy(call: Call[FakeState], vacancy: Raw) -> Raw:
    includes, out = _includes(call), dict(vacancy)
    for key in VACANCY_INCLUDES[:3]:
        if key not in includes:
            out.pop(key, None)
    if "total_candidate_count" in includes:
        out["total_candidate_count"] = sum(a["vacancy_id"] == vacancy["id"] for a in call.fake.applications.values())
    return out


def list_vacancies(call: Call[FakeState]) -> Raw:
    wanted = set(filter(None, call.query.get("filter[status]", "").split(",")))
    found = [v for v in call.fake.vacancies.values() if not wanted or v["status"] in wanted]
    return _page(call, [_vacancy(call, v) for v in sorted(found, key=lambda v: v["created_at"], reverse=True)])


def one_vacancy(call: Call[FakeState]) -> Raw:
    found = call.fake.vacancies.get(call.path["id"])
    if found is None:
        raise VendorError(404, "Vacancy not found.")
    return {"data": _vacancy(call, found)}


def _application(call: Call[FakeState], app: Raw, *, detail: bool = False) -> Raw:
    includes, out = _includes(call), {k: v for k, v in app.items() if detail or k not in DETAIL}
    for key in ("stage", "sources"):
        if key not in includes:
            out.pop(key, None)
    if "vacancy" in includes:
        vacancy = call.fake.vacancies.get(app["vacancy_id"] or "")
        out["vacancy"] = {"id": vacancy["id"], "title": vacancy["title"]} if vacancy else None
    return out


def list_applications(call: Call[FakeState]) -> Raw:
    q, found = call.query, list(call.fake.applications.values())
    if q.get("filter[vacancy_id]"):
        found = [a for a in found if a["vacancy_id"] in q["filter[vacancy_id]"].split(",")]
    if q.get("filter[stage]"):
        found = [a for a in found if a["stage"]["name"] == q["filter[stage]"]]
    if q.get("filter[hired_after]"):
        try:
            after = date.fromisoformat(q["filter[hired_after]"]).isoformat()
        except ValueError:
            raise VendorError(422, "The filter.hired after is not a valid date.") from None
        found = [a for a in found if a["hired_at"] and a["hired_at"][:10] > after]
    found.sort(key=lambda a: (a["created_at"], a["id"]), reverse=True)  # "newest first"
    return _page(call, [_application(call, a) for a in found])


def one_application(call: Call[FakeState]) -> Raw:
    return {"data": _application(call, call.fake.get(call.path["id"]), detail=True)}


def create_application(call: Call[FakeState]) -> Any:
    app = call.fake.create(call.json_object())
    return reply({"data": _application(call, app, detail=True)}, 201)


def patch_application(call: Call[FakeState]) -> Raw:
    return {"data": _application(call, call.fake.edit(call.path["id"], call.json_object()), detail=True)}


def delete_application(call: Call[FakeState]) -> None:
    call.fake.delete(call.path["id"])


def add_note(call: Call[FakeState]) -> Any:
    return reply({"data": call.fake.add_note(call.path["id"], call.json_object())}, 201)


def add_file(call: Call[FakeState]) -> Raw:
    parts = form_parts(call.request.headers.get("content-type", ""), call.body)
    file, kind = parts.get("file"), parts.get("type")
    if file is None or file.filename is None:
        raise VendorError(422, "The file field is required.", field="file")
    return {"data": call.fake.add_file(call.path["id"], kind.text if kind else "", file.filename, file.content)}


SPEC = FakeSpec(
    name="homerun",
    errors=errors,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{V2}/ping", lambda call: {"pong": True}),
        Endpoint("GET", f"{V2}/vacancies", list_vacancies),
        Endpoint("GET", f"{V2}/vacancies/{{id}}", one_vacancy),
        Endpoint("GET", f"{V2}/job-applications", list_applications),
        Endpoint("POST", f"{V2}/job-applications", create_application),
        Endpoint("GET", f"{V2}/job-applications/{{id}}", one_application),
        Endpoint("PATCH", f"{V2}/job-applications/{{id}}", patch_application),
        Endpoint("DELETE", f"{V2}/job-applications/{{id}}", delete_application),
        Endpoint("POST", f"{V2}/job-applications/{{id}}/notes", add_note),
        Endpoint("POST", f"{V2}/job-applications/{{id}}/files", add_file),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` job applications (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(60, 60.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}{V2}"}, {"api_key": "homerun_key"})

"""A stateful fake of Onlyfy's public v1 API (ex Prescreen) for tests and demos (``atsbridge fake-ats onlyfy``).

**No Onlyfy traffic was ever recorded** and the vendor's ReDoc reference is not stored: the records are built
from what the known clients read and send [conn] (the Ruby ``prescreen-api`` client, WordPress career plugins:
``payloads/create_candidate.request.conn.json`` is the create body one of them builds) and Knit's field list for
applications [3p]; the rest is a named guess [gap].

Served under ``/v1`` (singular paths, as the vendor's): ``GET /job`` (``id``, ``short_handle``,
``is_published_on_widget`` filters) and ``/job/{id}``; ``GET /status_set``, ``/candidate_tag``, ``/user``;
``GET /candidate`` (``email`` filter [conn]) and ``/candidate/{id}``, ``POST /candidate`` (candidate + application
when ``job_id`` is given, CV as base64 ``cv_file``; the answer names ``job_applications[].id`` [conn]),
``PATCH /candidate/{id}`` (``profile``, ``candidate_tag_ids``); ``GET /application`` (``candidate_id``/``job_id``
filters [conn]) and ``/application/{id}``, ``POST /application`` (``{job_id, candidate_id, is_finished}`` [conn]),
``PATCH /application/{id}`` (``recruiter_files`` added, base64 [conn]). No updated-since filter and no deletion
feed (none is documented). Paging: ``page`` [gap: the name] and ``page_size`` [conn] (1-1000, default 25
[gap]), lists as ``{"data": [...]}`` [conn]. Auth: ``apikey: <key>``. Errors ``{"code": <status>, "message"}``
[gap]; beyond 10 requests a second 429 with ``Retry-After`` [gap: no limit is published].
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import PageNumber
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.onlyfy.simulate import HOOKS
from atsbridge.fakes.onlyfy.state import API_KEY, FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

V1 = "/v1"
PAGER = PageNumber(page_param="page", size_param="page_size", default_size=25, max_size=1000, data_key="data")
PROBE = (f"{V1}/job", {"apikey": API_KEY})


def errors(error: VendorError) -> Any:
    return {"code": error.status, "message": error.message}


def _page(call: Call[FakeState], rows: dict[int, Raw], keep: Callable[[Raw], bool] = lambda r: True) -> Any:
    cursor = PAGER.cursor(call.request)
    ordered = [((rid,), row) for rid, row in sorted(rows.items()) if keep(row)]
    page, following = PAGER.slice(cursor, ordered, call.fake.page_cap)
    return PAGER.reply(call.request, page, following).body


def _eq(call: Call[FakeState], row: Raw, param: str, key: str | None = None) -> bool:
    wanted = call.query.get(param)
    return wanted is None or str(row.get(key or param)).lower() == wanted.strip().lower()


def _candidate(cand: Raw, fake: FakeState) -> Raw:
    apps = [
        {"id": a["id"], "job_id": a["job_id"]} for a in fake.applications.values() if a["candidate_id"] == cand["id"]
    ]
    return {**cand, "job_applications": apps}


def list_jobs(call: Call[FakeState]) -> Any:
    def keep(job: Raw) -> bool:
        published = call.query.get("is_published_on_widget")
        wanted = published is None or (published.lower() in ("1", "true")) == job["is_published_on_widget"]
        return wanted and _eq(call, job, "id") and _eq(call, job, "short_handle")

    return _page(call, call.fake.jobs, keep)


def list_candidates(call: Call[FakeState]) -> Any:
    body = _page(call, call.fake.candidates, lambda c: _eq(call, c, "email"))
    return {"data": [_candidate(c, call.fake) for c in body["data"]]}


def list_applications(call: Call[FakeState]) -> Any:
    return _page(call, call.fake.applications, lambda a: _eq(call, a, "candidate_id") and _eq(call, a, "job_id"))


def create_candidate(call: Call[FakeState]) -> Any:
    return reply(_candidate(call.fake.create_candidate(call.json_object()), call.fake), 201)


def patch_candidate(call: Call[FakeState]) -> Raw:
    return _candidate(call.fake.edit_candidate(call.path["id"], call.json_object()), call.fake)


SPEC = FakeSpec(
    name="onlyfy",
    errors=errors,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{V1}/job", list_jobs),
        Endpoint("GET", f"{V1}/job/{{id}}", lambda call: call.fake.job(call.path["id"])),
        Endpoint("GET", f"{V1}/status_set", lambda call: _page(call, call.fake.status_sets)),
        Endpoint("GET", f"{V1}/candidate_tag", lambda call: _page(call, call.fake.tags)),
        Endpoint("GET", f"{V1}/user", lambda call: _page(call, call.fake.users)),
        Endpoint("GET", f"{V1}/candidate", list_candidates),
        Endpoint("POST", f"{V1}/candidate", create_candidate),
        Endpoint(
            "GET", f"{V1}/candidate/{{id}}", lambda call: _candidate(call.fake.candidate(call.path["id"]), call.fake)
        ),  # fmt: skip
        Endpoint("PATCH", f"{V1}/candidate/{{id}}", patch_candidate),
        Endpoint("GET", f"{V1}/application", list_applications),
        Endpoint(
            "POST", f"{V1}/application", lambda call: reply(call.fake.create_application(call.json_object()), 201)
        ),
        Endpoint("GET", f"{V1}/application/{{id}}", lambda call: call.fake.application(call.path["id"])),
        Endpoint(
            "PATCH",
            f"{V1}/application/{{id}}",
            lambda call: call.fake.edit_application(call.path["id"], call.json_object()),
        ),  # fmt: skip
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}{V1}"}, {"api_key": API_KEY})

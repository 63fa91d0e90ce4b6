"""A stateful fake of Flatchr's API for tests and demos (``atsbridge fake-ats flatchr``).

**No authenticated Flatchr traffic was ever recorded**: the one recorded payload is the careers host's
published-listings example (``payloads/``, Flatchr's own docs); vacancies are built from its ``vacancy`` widened
with the documented list fields, columns and applicant-search rows from HrFlow's client [conn].

Served (the API under ``/company/{companyId}``, the careers host under ``/careers``):
``GET /vacancies`` (``status`` filter; full array), ``GET /columns``, ``POST /search/applicants`` (filters
``firstname``, ``lastname``, ``email``, ``hired``, ``column`` by title, ``vacancy`` (either vacancy id),
``start``/``end`` as MM/DD/YY on the application date; an empty body lists everyone; rows name the column by
title and the vacancy by its integer ``vacancy_id``), ``PUT /vacancy/{hash id}/applicant/{id}``
``{column_id}`` (answers the applicant in its detail shape: the only place with the candidate), ``DELETE`` the
same path (archive: the applicant leaves every listing); ``GET /careers/company/{slug}.json`` (published
listings) and ``POST /careers/vacancy/candidate/json`` (``{vacancy: <slug>, token: <API key>, firstname,
lastname, email, phone}``; the body token is checked, a closed or unknown slug is refused; the answer
``{success, id}`` is invented [gap]: the connector never relies on it).
Auth: ``Authorization: Bearer <key>`` or ``?token=`` on every route (the real careers host is public; the
connector sends the header anyway). No paging anywhere. Undocumented, so chosen [gap]: errors
``{"message"}``, more than 10 requests a second answered 429 without headers.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from atsbridge.fakes.flatchr.state import API_KEY, COMPANY, SLUG, FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, message_only
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/company/{company}"
PROBE = (f"/company/{COMPANY}/columns", {"Authorization": f"Bearer {API_KEY}"})


def _company(call: Call[FakeState]) -> None:
    if call.path.get("company") != COMPANY:
        raise VendorError(404, "Company not found")


def list_vacancies(call: Call[FakeState]) -> list[Raw]:
    _company(call)
    status = call.query.get("status")
    return [v for v in call.fake.vacancies.values() if status is None or str(v["status"]) == status]


def list_columns(call: Call[FakeState]) -> list[Raw]:
    _company(call)
    return list(call.fake.columns.values())


def _day(value: Any, name: str) -> str:
    try:
        return datetime.strptime(str(value), "%m/%d/%y").strftime("%Y-%m-%d")
    except ValueError:
        raise VendorError(400, f"{name} must be a date as MM/DD/YY") from None


def search(call: Call[FakeState]) -> list[Raw]:
    _company(call)
    q = call.json(empty={})
    if not isinstance(q, dict):
        raise VendorError(400, "The search body must be an object")
    rows = [call.fake.search_row(a) for a in call.fake.applicants.values()]
    for key in ("firstname", "lastname", "email", "column"):
        if q.get(key):
            rows = [r for r in rows if str(r[key] or "").lower() == str(q[key]).lower()]
    if isinstance(q.get("hired"), bool):
        rows = [r for r in rows if r["hired"] is q["hired"]]
    if q.get("vacancy"):
        hashes = {h for h, v in call.fake.vacancies.items() if str(q["vacancy"]) in (h, str(v["vacancy_id"]))}
        rows = [r for r in rows if call.fake.applicants[r["applicant"]]["vacancy"] in hashes]
    if q.get("start"):
        rows = [r for r in rows if r["created_at"][:10] >= _day(q["start"], "start")]
    if q.get("end"):
        rows = [r for r in rows if r["created_at"][:10] <= _day(q["end"], "end")]
    return rows


def move(call: Call[FakeState]) -> Raw:
    _company(call)
    body = call.json_object()
    app = call.fake.move(call.path["vacancy"], call.path["applicant"], body.get("column_id"))
    return call.fake.detail(app)


def archive(call: Call[FakeState]) -> Raw:
    _company(call)
    call.fake.archive(call.path["vacancy"], call.path["applicant"])
    return {"success": True}


def careers_listings(call: Call[FakeState]) -> Raw:
    if call.path["slug"] != SLUG:
        raise VendorError(404, "Company not found")
    return {"items": list(call.fake.listings.values())}


def careers_apply(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    if body.get("token") != API_KEY:
        raise VendorError(401, "Invalid token")
    vacancy = next((h for h, v in call.fake.vacancies.items() if v["slug"] == body.get("vacancy")), None)
    if vacancy is None or call.fake.vacancies[vacancy]["status"] != 1:
        raise VendorError(404, "Vacancy not found")
    app = call.fake.apply(vacancy, body)
    return {"success": True, "id": app["candidate"]["id"]}


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None:
        return None
    fake.applicants[aid]["candidate"]["firstname"] += "-" + str(rnd.randrange(1000))
    return Change("candidates", aid, "updated")


def _app_id(fake: FakeState, aid: str) -> str:
    return f"{fake.vacancies[fake.applicants[aid]['vacancy']]['vacancy_id']}:{aid}"


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    """Forward only, as recruiters move (a move back could undo an earlier one in the same batch)."""
    last = max(fake.columns)
    aid = pick(rnd, [a for a, app in fake.applicants.items() if app["column_id"] < last - 1])
    if aid is None:
        return None
    app = fake.applicants[aid]
    column = pick(rnd, [c for c in fake.columns if c > app["column_id"]])
    fake.move(app["vacancy"], aid, column)
    if column == last:
        app["hired"] = True
    return Change("applications", _app_id(fake, aid), "updated")


def _archive(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None or len(fake.applicants) < 2:
        return None
    rid = _app_id(fake, aid)  # its candidate (same applicant id) leaves with it
    fake.archive(fake.applicants[aid]["vacancy"], aid)
    return Change("applications", rid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    vacancy = pick(rnd, [v for v, vac in fake.vacancies.items() if vac["status"] == 1])
    if vacancy is None:
        return None
    n = rnd.randrange(1_000_000)
    app = fake.apply(vacancy, {"firstname": "Sim", "lastname": "Ulé", "email": f"sim.{n}@mail.example"})
    return Change("applications", _app_id(fake, app["id"]), "created")


HOOKS = Hooks(
    lambda f: {"vacancies": len(f.vacancies), "columns": len(f.columns), "applicants": len(f.applicants)},
    simulator(_edit, _move, _move, _archive, _apply, refused=(VendorError,)),
    lambda f: {
        "jobs": list(f.vacancies),
        "candidates": list(f.applicants),
        "applications": [_app_id(f, a) for a in f.applicants],
    },  # fmt: skip
    {"jobs": "jobs", "candidates": "candidates", "applications": "applications"},
)

SPEC = FakeSpec(
    name="flatchr",
    errors=message_only,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{API}/vacancies", list_vacancies),
        Endpoint("GET", f"{API}/columns", list_columns),
        Endpoint("POST", f"{API}/search/applicants", search),
        Endpoint("PUT", f"{API}/vacancy/{{vacancy}}/applicant/{{applicant}}", move),
        Endpoint("DELETE", f"{API}/vacancy/{{vacancy}}/applicant/{{applicant}}", archive),
        Endpoint("GET", "/careers/company/{slug}.json", careers_listings),
        Endpoint("POST", "/careers/vacancy/candidate/json", careers_apply),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake company with ``records`` applicants (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/company/{COMPANY}", "company_id": COMPANY,
                      "careers_url": f"{base_url}/careers"},
    {"api_key": API_KEY},
)  # fmt: skip

"""A stateful fake of Sage HR's recruitment API (``atsbridge fake-ats sagehr``).

**No Sage HR payload was ever recorded**: every record is built field by field from the documented shapes (the
API description as generated into ``konfig-sdks/sage-typescript-sdk`` models [doc-derived]; reference §10).

Served under ``/api``: ``GET /employees``, ``/recruitment/positions`` (``status`` filter),
``/recruitment/positions/{id}`` (adds ``applicants[]`` and ``hiring_team[]``),
``/recruitment/positions/{id}/applicants`` (``stage_id`` filter), ``/recruitment/applicants/{id}`` (adds
``position_id``, ``added_by``, ``referrer``), ``/recruitment/applicants/{id}/actions`` (pipeline history, newest
first) and ``POST /recruitment/positions/{id}/applicants`` (JSON ``{"applicant": {...}}``, or a form /
multipart body with ``applicant[...]`` fields and ``applicant[attachment]``; answers ``{"data": {"id"}}``; a
completed or cancelled position refuses with 422; ``first_name`` is required; a blank source becomes ``api``,
a referral object forces ``referral`` [doc]). Lists page with ``page`` (from 1) and ``per_page`` (default 30,
clamped to 100) and answer ``{data, meta{current_page, next_page, previous_page, total_pages, per_page,
total_entries}}``. Auth: ``X-Auth-Token``. Errors: ``{"error_code", "errors": [...]}`` [doc-derived]. No rate
limit is documented [gap]: 5 requests a second by default, then 429 with ``Retry-After``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import CODES, VendorError
from atsbridge.fakes.kit.forms import form_parts
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
KEY = "sagehr_key"
API = "/api"
PROBE = (f"{API}/employees", {"X-Auth-Token": KEY})
FIRST = ("Olivia", "Jack", "Amelia", "Harry", "Isla", "Oscar", "Emily", "George")
LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans")
TITLES = ("Payroll Specialist", "Backend Developer", "Office Manager", "Sales Executive", "HR Generalist")
STAGES = ("Applied", "Phone screen", "Interview", "Offer", "Hired")
CLOSED = ("completed", "cancelled")


def errors(error: VendorError) -> Any:
    """``{"error_code": "...", "errors": ["..."]}`` (the 404/422 bodies of the API description)."""
    return {"error_code": error.code or CODES.get(error.status, "error").lower(), "errors": [error.message]}


def _day(n: int) -> str:
    return f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"


@dataclass
class FakeState(FakeBase):
    employees: dict[str, Raw] = field(default_factory=dict)
    positions: dict[str, Raw] = field(default_factory=dict)
    stages: dict[str, list[Raw]] = field(default_factory=dict)  # per position id, pipeline order
    applicants: dict[str, Raw] = field(default_factory=dict)  # each with ``_position``, ``_actions``
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (5, 1.0)
    seq: int = 100

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, HeaderKey(KEY, "X-Auth-Token", ""), limit)

    def next_id(self) -> int:
        self.seq += 1
        return self.seq

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (5, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i in range(5):
            eid = s.next_id()
            s.employees[str(eid)] = {
                "id": eid, "email": f"{FIRST[i].lower()}@acme.example", "first_name": FIRST[i], "last_name": LAST[i],
                "picture_url": None, "employment_start_date": _day(i), "date_of_birth": None, "team": "People",
                "team_id": 3, "position": "Recruiter" if i else "HR Director", "position_id": 11 + i,
                "reports_to_employee_id": None, "work_phone": None, "home_phone": None, "mobile_phone": None,
                "gender": None, "street_first": None, "street_second": None, "city": "London", "post_code": None,
                "country": "GB", "employee_number": f"E{eid}", "employment_status": "Full-time"}  # fmt: skip
        for i in range(max(2, records // 10)):
            s.add_position(TITLES[i % len(TITLES)], "published" if i % 4 else "internal")
        open_ = [p for p, pos in s.positions.items() if pos["status"] not in CLOSED]
        for _ in range(records):
            s.add_applicant(s.rng.choice(open_), {"first_name": s.rng.choice(FIRST), "last_name": s.rng.choice(LAST),
                                                  "email": f"c{s.seq}@mail.example"})  # fmt: skip
        return s

    def add_position(self, title: str, status: str) -> Raw:
        pid = self.next_id()
        manager = next(iter(self.employees))
        self.positions[str(pid)] = {
            "title": title, "id": pid, "status": status, "visibility": "internal" if status == "internal" else "public",
            "created_at": f"{_day(pid)}T09:00:00Z", "internal_date": _day(pid), "completed_at": None,
            "link": f"https://acme.sage.hr/jobs/{pid}", "team": "Operations", "applicants_required": 2,
            "applicants_count": 0, "employment_type": "full_time", "location": "London", "location_id": 1,
            "group": "UK", "group_id": 7, "priority": 1,
            "description_blocks": [{"title": "About the role", "content": f"<p>{title}</p>"},
                                   {"title": "Requirements", "content": "<ul><li>Experience</li></ul>"}],
            "_hiring_team": [{"id": int(manager), "role": "Hiring manager"}]}  # fmt: skip
        self.stages[str(pid)] = [{"id": self.next_id(), "title": t} for t in STAGES]
        return self.positions[str(pid)]

    def add_applicant(self, position_id: str, body: Raw, attachment: str | None = None) -> Raw:
        pos = self.positions.get(position_id)
        if pos is None:
            raise VendorError(404, f"Position {position_id} not found", code="not_found")
        if pos["status"] in CLOSED:
            raise VendorError(422, "Position is closed or completed", code="validation_error")
        first, email = str(body.get("first_name") or "").strip(), body.get("email")
        if not first:
            raise VendorError(422, "First name can't be blank", code="validation_error", field="first_name")
        if email and "@" not in str(email):
            raise VendorError(422, "Email is invalid", code="validation_error", field="email")
        referral = body.get("referral") if isinstance(body.get("referral"), dict) else None
        source = "referral" if referral else str(body.get("source") or "").strip() or "api"
        aid = self.next_id()
        stage = self.stages[position_id][0]
        created = f"{_day(aid)}T10:{aid % 60:02d}:00Z"
        self.applicants[str(aid)] = {
            "summary": body.get("summary"), "id": aid,
            "full_name": " ".join(str(p) for p in (first, body.get("last_name")) if p), "first_name": first,
            "last_name": body.get("last_name"), "email": email, "address": body.get("address"),
            "phone_number": body.get("phone_number"), "source": source, "created_at": created,
            "disqualified_date": None, "hired_date": None,
            "stage": {"title": stage["title"], "id": stage["id"], "created_at": created},
            "_position": position_id, "_attachment": attachment,
            "_referrer": ({"id": None, "full_name": referral.get("full_name"), "email": referral.get("email"),
                           "phone_number": None} if referral else None),
            "_actions": [{"action": "created", "message": f"Applicant added to {pos['title']}",
                          "created_at": created}]}  # fmt: skip
        pos["applicants_count"] += 1
        return self.applicants[str(aid)]

    def delete_applicant(self, aid: str) -> None:
        app = self.applicants.pop(aid)
        self.positions[app["_position"]]["applicants_count"] -= 1


def _public(row: Raw) -> Raw:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _page(call: Call[FakeState], rows: list[Raw]) -> Raw:
    try:
        page, size = int(call.query.get("page", "1")), int(call.query.get("per_page", "30"))
    except ValueError:
        raise VendorError(422, "page and per_page must be integers", code="validation_error") from None
    if page < 1 or size < 1:
        raise VendorError(422, "page and per_page must be positive", code="validation_error")
    size = min(size, 100)  # "max: 100" [doc]: larger asks are served 100
    total_pages = max(1, -(-len(rows) // size))
    chunk = rows[(page - 1) * size : page * size]
    meta = {"current_page": page, "next_page": page + 1 if page < total_pages else None,
            "previous_page": page - 1 if page > 1 else None, "total_pages": total_pages, "per_page": size,
            "total_entries": len(rows)}  # fmt: skip
    return {"data": chunk, "meta": meta}


def _one(rows: dict[str, Raw], key: str, what: str) -> Raw:
    if key not in rows:
        raise VendorError(404, f"{what} not found", code="not_found")
    return rows[key]


def list_positions(call: Call[FakeState]) -> Raw:
    status = call.query.get("status")
    return _page(call, [_public(p) for p in call.fake.positions.values() if not status or p["status"] == status])


def one_position(call: Call[FakeState]) -> Raw:
    pos = _one(call.fake.positions, call.path["id"], "Position")
    employees = call.fake.employees
    names = {e: f"{x['first_name']} {x['last_name']}" for e, x in employees.items()}
    team = [{"id": m["id"], "role": m["role"], "full_name": names.get(str(m["id"]))} for m in pos["_hiring_team"]]
    apps = [{"id": a["id"], "full_name": a["full_name"], "email": a["email"]}
            for a in call.fake.applicants.values() if a["_position"] == call.path["id"]]  # fmt: skip
    return {"data": {**_public(pos), "applicants": apps, "hiring_team": team}}


def list_applicants(call: Call[FakeState]) -> Raw:
    pid = str(_one(call.fake.positions, call.path["id"], "Position")["id"])
    stage = call.query.get("stage_id")
    rows = [_public(a) for a in call.fake.applicants.values()
            if a["_position"] == pid and (not stage or str(a["stage"]["id"]) == stage)]  # fmt: skip
    return _page(call, rows)


def one_applicant(call: Call[FakeState]) -> Raw:
    app = _one(call.fake.applicants, call.path["id"], "Applicant")
    added = next(iter(call.fake.employees.values()))
    return {"data": {**_public(app), "position_id": int(app["_position"]), "referrer": app["_referrer"],
                     "added_by": {"id": added["id"], "full_name": f"{added['first_name']} {added['last_name']}",
                                  "email": added["email"]}}}  # fmt: skip


def applicant_actions(call: Call[FakeState]) -> Raw:
    app = _one(call.fake.applicants, call.path["id"], "Applicant")
    return _page(call, list(reversed(app["_actions"])))


def _bracketed(pairs: list[tuple[str, str]]) -> Raw:
    """``applicant[first_name]=...`` / ``applicant[referral][email]=...`` -> ``{"first_name": ..., ...}``."""
    out: Raw = {}
    for name, value in pairs:
        if not name.startswith("applicant[") or not name.endswith("]"):
            continue
        keys = name[len("applicant[") : -1].split("][")
        node = out
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return out


def post_applicant(call: Call[FakeState]) -> Any:
    kind = call.request.headers.get("content-type", "")
    attachment = None
    if kind.startswith("multipart/form-data"):
        parts = form_parts(kind, call.body)
        body = _bracketed([(n, p.text) for n, p in parts.items() if p.filename is None])
        file = parts.get("applicant[attachment]")
        attachment = file.filename if file is not None and file.filename else None
    elif kind.startswith("application/x-www-form-urlencoded"):
        body = _bracketed(parse_qsl(call.body.decode("utf-8", "replace")))
    else:
        wrapper = call.json_object()
        inner = wrapper.get("applicant")
        body = inner if isinstance(inner, dict) else {}
    made = call.fake.add_applicant(call.path["id"], body, attachment)
    return {"data": {"id": made["id"]}}


def _rename(fake: FakeState, aid: str, rnd: random.Random) -> None:
    app = fake.applicants[aid]
    app["first_name"] = rnd.choice([n for n in FIRST if n != app["first_name"]])
    app["full_name"] = " ".join(str(p) for p in (app["first_name"], app["last_name"]) if p)


def _advance(fake: FakeState, aid: str, rnd: random.Random) -> None:
    app = fake.applicants[aid]
    roll = rnd.random()
    if roll < 0.2 and not app["disqualified_date"]:
        app["disqualified_date"] = _day(fake.next_id())
        app["_actions"].append({"action": "disqualified", "message": "Disqualified", "created_at": app["created_at"]})
    elif roll < 0.3 and not app["hired_date"]:
        app["hired_date"] = _day(fake.next_id())
        app["_actions"].append({"action": "hired", "message": "Hired", "created_at": app["created_at"]})
    else:
        stage = rnd.choice([s for s in fake.stages[app["_position"]] if s["id"] != app["stage"]["id"]])
        app["stage"] = {"title": stage["title"], "id": stage["id"], "created_at": app["created_at"]}
        app["_actions"].append({"action": "moved", "message": f"Moved to {stage['title']}",
                                "created_at": app["created_at"]})  # fmt: skip


def _applicant(fake: FakeState, pid: str, rnd: random.Random) -> object:
    made = fake.add_applicant(pid, {"first_name": rnd.choice(FIRST), "last_name": "Sim",
                                    "email": f"sim{fake.seq}@mail.example"})  # fmt: skip
    return made["id"]


_edit = update_one(lambda f: f.applicants, _rename, "candidates")
_move = update_one(lambda f: f.applicants, _advance, "applications")
_delete = delete_one(lambda f: f.applicants, FakeState.delete_applicant, "applications")
_apply = create_on(lambda f: {p: v for p, v in f.positions.items() if v["status"] not in CLOSED}, _applicant,
                   "applications")  # fmt: skip


HOOKS = Hooks(
    lambda f: {"employees": len(f.employees), "positions": len(f.positions), "applicants": len(f.applicants)},
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError,)),
    lambda f: {
        "candidates": list(f.applicants),
        "applications": list(f.applicants),
        "jobs": list(f.positions),
        "users": list(f.employees),
    },  # fmt: skip
    {"candidates": "candidates", "applications": "applications", "positions": "jobs", "employees": "users"},
)
SPEC = FakeSpec(
    name="sagehr",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{API}/employees", lambda call: _page(call, list(call.fake.employees.values()))),
        Endpoint("GET", f"{API}/recruitment/positions", list_positions),
        Endpoint("GET", f"{API}/recruitment/positions/{{id}}", one_position),
        Endpoint("GET", f"{API}/recruitment/positions/{{id}}/applicants", list_applicants),
        Endpoint("POST", f"{API}/recruitment/positions/{{id}}/applicants", post_applicant),
        Endpoint("GET", f"{API}/recruitment/applicants/{{id}}", one_applicant),
        Endpoint("GET", f"{API}/recruitment/applicants/{{id}}/actions", applicant_actions),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a company with ``records`` applicants (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(5, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "subdomain": "acme"},
    {"api_key": KEY},
)

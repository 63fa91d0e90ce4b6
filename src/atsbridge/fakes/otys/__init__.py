"""A stateful fake of OTYS Web Services (``atsbridge fake-ats otys``): JSON-RPC 2.0 at ``POST /jservice.php``.

**No OTYS payload was ever recorded**: the records are built from the shapes OTYS' own WordPress plugin and a
public client read [conn] (see the connector's ``mappers``). The quirks copied:

* **Errors with HTTP 200**: ``{"jsonrpc", "error": {"code", "message"}, "id"}`` (``kit.jsonrpc.rpc_endpoint``);
  only what the web server refuses (429, injected 5xx) carries an HTTP status [unverified: how OTYS answers
  over its 350 requests/minute; here a 429 with a JSON-RPC error body].
* **Session login**: ``loginByUid(<API key>)`` answers a session id; every other call sends it as ``params[0]``;
  an unknown or expired one is refused with "Access denied; please login again" (``state.sessions.expire_all()``).
  A wrong key is refused with "Invalid API key" [unverified wording].
* ``getListEx {what, limit, offset, getTotalCount, sort, condition}``: only the ``what`` fields are served (the
  ``uid`` always), ``condition`` items (``EQ NE GE GT LE LT``, dotted fields such as ``Person.emailPrimary``,
  ``param`` a value or a list) filter, ``limit`` over 200 is refused unless ``excludeLimitCheck``; the answer is
  ``{listOutput, totalCount}``. Soft-deleted records (``isDeleted`` 1) are listed unless a condition excludes them.
* ``getList`` of small lists (users, the three procedure status levels) answers ``{"data": [...]}``.
* Writes: ``CandidateService.add``, ``ProcedureService.add`` (the result is the new uid), ``ProcedureService.update``.

``GET /info/`` serves the service catalogue (public at OTYS too): the fake's ``PROBE`` (OTYS has no
authenticated GET: its credential travels inside each call's body).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.jsonrpc import RpcCall, rpc_endpoint, rpc_errors
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.otys.state import API_KEY, FIRST, LIMIT, STATUSES, FakeState

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
PROBE: tuple[str, dict[str, str]] = ("/info/", {})
SERVICES = "Otys.Services."


def login(fake: FakeState, params: list[Any]) -> str:
    if not params or params[0] != API_KEY:
        raise VendorError(401, "Invalid API key")
    return fake.sessions.issue()


def _value(row: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        row = row.get(part) if isinstance(row, dict) else None
    return row


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _compare(op: str, have: Any, want: Any) -> bool:
    if op in ("EQ", "NE"):
        wanted = want if isinstance(want, list) else [want]
        hit = any(str(have).lower() == str(w).lower() for w in wanted)
        return hit if op == "EQ" else not hit
    a, b = _date(have), _date(want[0] if isinstance(want, list) and want else want)
    if a is None or b is None:
        raise VendorError(400, f"Cannot compare {have!r} with {want!r}")
    return {"GE": a >= b, "GT": a > b, "LE": a <= b, "LT": a < b}[op]


def _test(field: str, op: str, param: Any) -> Callable[[Raw], bool]:
    return lambda row: _compare(op, _value(row, field), param)


def matcher(condition: Any) -> Callable[[Raw], bool]:
    if not condition:
        return lambda row: True
    if not isinstance(condition, dict) or not isinstance(condition.get("items"), list):
        raise VendorError(400, "condition must be {type, items}")
    kind = str(condition.get("type") or "AND").upper()
    tests: list[Callable[[Raw], bool]] = []
    for item in condition["items"]:
        if isinstance(item, dict) and item.get("type") in ("AND", "OR"):
            tests.append(matcher(item))
            continue
        if not isinstance(item, dict) or item.get("op") not in ("EQ", "NE", "GE", "GT", "LE", "LT"):
            raise VendorError(400, f"Invalid condition item {item!r}")
        field, op, param = str(item.get("field")), str(item["op"]), item.get("param")
        tests.append(_test(field, op, param))
    if kind == "OR":
        return lambda row: any(t(row) for t in tests)
    return lambda row: all(t(row) for t in tests)


def project(row: Raw, what: Any) -> Raw:
    """Only the requested fields (nested blocks by their own ``what``), ``uid`` always."""
    if not isinstance(what, dict) or not what:
        return {k: v for k, v in row.items() if k != "isDeleted"}
    out: Raw = {"uid": row["uid"]}
    for key, sub in what.items():
        if key in row:
            value = row[key]
            out[key] = (
                project(value, sub)
                if isinstance(sub, dict) and isinstance(value, dict) and "uid" in value
                else ({k: value.get(k) for k in sub} if isinstance(sub, dict) and isinstance(value, dict) else value)
            )
    return out


def list_ex(table: Callable[[FakeState], dict[str, Raw]]) -> Callable[[RpcCall[FakeState]], Raw]:
    def handle(rpc: RpcCall[FakeState]) -> Raw:
        args = rpc.obj(0)
        try:
            limit, offset = int(args.get("limit", 20)), int(args.get("offset", 0))
        except (TypeError, ValueError):
            raise VendorError(400, "limit and offset must be integers") from None
        if limit < 1 or offset < 0 or (limit > LIMIT and not args.get("excludeLimitCheck")):
            raise VendorError(400, f"limit must be between 1 and {LIMIT}")
        match = matcher(args.get("condition"))
        rows = sorted((r for r in table(rpc.fake).values() if match(r)), key=lambda r: int(r["uid"]))
        if isinstance(args.get("sort"), dict) and any(str(v).upper() == "DESC" for v in args["sort"].values()):
            rows.reverse()
        out: Raw = {"listOutput": [project(r, args.get("what")) for r in rows[offset : offset + limit]]}
        if args.get("getTotalCount"):
            out["totalCount"] = len(rows)
        return out

    return handle


def _statuses(level: int) -> Callable[[RpcCall[FakeState]], Raw]:
    return lambda rpc: {"data": [{"uid": uid, "code": code, "automaticallySelectEvent": 0}
                                 for lvl, uid, code in STATUSES if lvl == level]}  # fmt: skip


def add_candidate(rpc: RpcCall[FakeState]) -> str:
    data = rpc.obj(0)
    email = str((data.get("Person") or {}).get("emailPrimary") or "").lower()
    if any(str(c["Person"]["emailPrimary"]).lower() == email and not c["isDeleted"]
           for c in rpc.fake.candidates.values()):  # fmt: skip
        raise VendorError(409, f"A candidate with e-mail {email} already exists")
    return rpc.fake.add_candidate(data.get("Person") or {}, data.get("source"), live=True)


def add_procedure(rpc: RpcCall[FakeState]) -> str:
    data = rpc.obj(0)
    return rpc.fake.apply(str(data.get("vacancyUid")), str(data.get("candidateUid")), data, live=True)


def update_procedure(rpc: RpcCall[FakeState]) -> bool:
    rpc.fake.update_procedure(str(rpc.arg(0)), rpc.obj(1))
    return True


METHODS: dict[str, Callable[[RpcCall[FakeState]], Any]] = {
    f"{SERVICES}VacancyService.getListEx": list_ex(lambda f: f.vacancies),
    f"{SERVICES}CandidateService.getListEx": list_ex(lambda f: f.candidates),
    f"{SERVICES}ProcedureService.getListEx": list_ex(lambda f: f.procedures),
    f"{SERVICES}UserService.getList": lambda rpc: {"data": list(rpc.fake.users.values())},
    **{f"{SERVICES}ProcedureStatus{n}Service.getList": _statuses(n) for n in (1, 2, 3)},
    f"{SERVICES}CandidateService.add": add_candidate,
    f"{SERVICES}ProcedureService.add": add_procedure,
    f"{SERVICES}ProcedureService.update": update_procedure,
}


def catalogue(call: Call[FakeState]) -> Raw:
    return {"services": sorted(METHODS), "login": ["loginByUid", "logout"]}


# ------------------------------------------------------------------------------------------------ simulate


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    uid = pick(rnd, fake.live(fake.candidates))
    if uid is None:
        return None
    person = fake.candidates[uid]["Person"]
    person["firstName"] = rnd.choice([n for n in FIRST if n != person["firstName"]])
    fake.candidates[uid]["lastModified"] = fake.now()
    return Change("candidates", uid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    uid = pick(rnd, fake.live(fake.procedures))
    if uid is None:
        return None
    current = fake.procedures[uid]["ProcedureStatus1"]["uid"]
    options = [f"1_{u}" for lvl, u, _ in STATUSES if lvl == 1 and f"1_{u}" != current]
    fake.update_procedure(uid, {"ProcedureStatus1": {"uid": rnd.choice(options)}})
    return Change("procedures", uid, "updated")


_delete = delete_one(lambda f: f.live(f.candidates), FakeState.delete_candidate, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    vacancy = pick(rnd, fake.live(fake.vacancies))
    if vacancy is None:
        return None
    person = fake.new_person()
    return Change("procedures", fake.apply(vacancy, fake.add_candidate(person, live=True), live=True), "created")


HOOKS = Hooks(
    lambda f: {"vacancies": len(f.live(f.vacancies)), "candidates": len(f.live(f.candidates)),
               "procedures": len(f.live(f.procedures)), "users": len(f.users)},
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError,)),
    lambda f: {"candidates": f.live(f.candidates), "applications": f.live(f.procedures), "jobs": f.live(f.vacancies)},
    {"candidates": "candidates", "procedures": "applications", "vacancies": "jobs"},
)  # fmt: skip
SPEC = FakeSpec(
    name="otys",
    errors=rpc_errors,
    hooks=HOOKS,
    endpoints=[
        rpc_endpoint("/jservice.php", METHODS, lambda f: f.sessions, {"loginByUid": login}),
        Endpoint("GET", "/info/", catalogue),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: an agency with ``records`` procedures.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(350, 60.0))


conformance_setup = conformance(lambda base_url: {"base_url": base_url}, {"api_key": API_KEY})

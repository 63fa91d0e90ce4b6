"""A stateful fake of Eploy's REST API for tests and demos (``atsbridge fake-ats eploy``).

**No Eploy record was ever recorded**: the templates are the vendor's documented token answer and error body
(``payloads/``) and the blocks a customer's sync script requests [conn]; other block names follow Eploy's
style [gap] (see ``atsbridge.connectors.eploy.mappers``).

Served under ``/api``: ``POST /token`` (a **JSON** grant ``{grant_type, client_id, client_secret}`` [doc];
``expires_in`` 3599 and the key's ``scope``; 401 ``{"error": "invalid_client"}``); every list is a search,
``POST /{users|vacancies|candidates|applications|actions}/search`` with ``{"Paging": {"RecordsPerPage",
"RequestedPage"}, "Filters": [{"Route", "Operation", "Value"}], "ResponseBlocks": [...]}`` answering
``{"Records", "TotalRecords", "TotalPages", "CurrentPage"}`` (only the requested blocks; records by id;
``Route`` is ``<Entity>.<Block>`` or a related block's ``<Block>.Id``; operations ``Equals``,
``GreaterThan``, ``LessThan``; a route or block the entity lacks is a 400); ``GET /{entity}/{id}``;
``POST /actions`` (a note or other diary action; 201 ``{"ActionId"}``), ``POST /candidates`` (201
``{"CandidateId"}``), ``POST /applications`` (``{"Candidate": {"Id"}, "Vacancy": {"Id"}}``, 201
``{"ApplicationId"}``; 400 for a vacancy not live or a second application to it); ``POST
/candidates/validatepasswordpolicy`` (200, or the recorded 400). Errors: ``{"error_message": "..."}``. No
rate limit is documented: beyond 10 requests a second 429 with ``Retry-After`` [gap]. No deletion feed: a
deleted candidate (GDPR erasure) vanishes with its applications and actions.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from atsbridge.fakes.eploy.simulate import HOOKS
from atsbridge.fakes.eploy.state import CLIENT_ID, CLIENT_SECRET, PROBE_TOKEN, FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/api"
PROBE = (f"{API}/vacancies/1001", {"Authorization": f"Bearer {PROBE_TOKEN}"})
#: search path -> (entity name in routes, the record's id block)
ENTITIES = {"users": ("User", "UserId"), "vacancies": ("Vacancy", "VacancyId"),
            "candidates": ("Candidate", "CandidateId"), "applications": ("Application", "ApplicationId"),
            "actions": ("Action", "ActionId")}  # fmt: skip
MAX_PAGE = 500
DEFAULT_PAGE = 25


def errors(error: VendorError) -> Any:
    return {"error_message": error.message}


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _dig(record: Raw, path: list[str]) -> Any:
    value: Any = record
    for part in path:
        if not isinstance(value, dict) or part not in value:
            raise KeyError(part)
        value = value[part]
    return value


def _compare(actual: Any, op: str, wanted: Any) -> bool:
    if op == "Equals":  # SQL Server's default collation: text compares case-insensitively
        return str(actual).lower() == str(wanted).lower() if actual is not None else wanted is None
    if op in ("GreaterThan", "LessThan"):
        left, right = _when(actual), _when(wanted)
        if left is None or right is None:
            if isinstance(actual, int | float) and isinstance(wanted, int | float):
                return actual > wanted if op == "GreaterThan" else actual < wanted
            return False
        return left > right if op == "GreaterThan" else left < right
    raise VendorError(400, f"Operation '{op}' is not supported", field="Filters")


def _matcher(entity: str, sample: Raw, filters: Any) -> list[tuple[list[str], str, Any]]:
    if filters is None:
        return []
    if not isinstance(filters, list):
        raise VendorError(400, "Filters must be a list", field="Filters")
    rules = []
    for rule in filters:
        route = rule.get("Route") if isinstance(rule, dict) else None
        if not isinstance(route, str) or not re.fullmatch(r"[A-Za-z]+(\.[A-Za-z]+)+", route):
            raise VendorError(400, f"Invalid filter route '{route}'", field="Filters")
        path = route.split(".")
        path = path[1:] if path[0] == entity else path
        if path[0] not in sample:
            raise VendorError(400, f"Invalid filter route '{route}'", field="Filters")
        rules.append((path, str(rule.get("Operation")), rule.get("Value")))
    return rules


def search(call: Call[FakeState]) -> Raw:
    plural = call.path["entity"]
    if plural not in ENTITIES:
        raise VendorError(404, "Not found")
    entity, id_block = ENTITIES[plural]
    body = call.json_object()
    paging = body.get("Paging") or {}
    size, page = paging.get("RecordsPerPage", DEFAULT_PAGE), paging.get("RequestedPage", 1)
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE or not isinstance(page, int) or page < 1:
        raise VendorError(400, f"Paging: RecordsPerPage must be 1-{MAX_PAGE} and RequestedPage at least 1",
                          field="Paging")  # fmt: skip
    size = min(size, call.fake.page_cap or size)
    table = call.fake.table(plural)
    sample = next(iter(table.values()), {id_block: 0})
    rules = _matcher(entity, sample, body.get("Filters"))
    blocks = body.get("ResponseBlocks") or []
    if not isinstance(blocks, list) or any(b not in sample for b in blocks):
        raise VendorError(400, f"ResponseBlocks: unknown block(s) {[b for b in blocks if b not in sample]}",
                          field="ResponseBlocks")  # fmt: skip

    def keep(record: Raw) -> bool:
        try:
            return all(_compare(_dig(record, path), op, value) for path, op, value in rules)
        except KeyError:
            return False

    found = [table[i] for i in sorted(table) if keep(table[i])]
    rows = found[(page - 1) * size : page * size]
    pages = max(1, -(-len(found) // size))
    records = [{k: v for k, v in r.items() if not blocks or k in blocks or k == id_block} for r in rows]
    return {"Records": records, "TotalRecords": len(found), "TotalPages": pages, "CurrentPage": page,
            "RecordsPerPage": size}  # fmt: skip


def one(call: Call[FakeState]) -> Raw:
    plural = call.path["entity"]
    if plural not in ENTITIES:
        raise VendorError(404, "Not found")
    return dict(call.fake.get(plural, call.path["id"]))


def insert_candidate(call: Call[FakeState]) -> Any:
    return reply({"CandidateId": call.fake.insert_candidate(call.json_object())["CandidateId"]}, 201)


def insert_application(call: Call[FakeState]) -> Any:
    return reply({"ApplicationId": call.fake.insert_application(call.json_object())["ApplicationId"]}, 201)


def insert_action(call: Call[FakeState]) -> Any:
    action = call.fake.insert_action(call.json_object())
    return reply({"ActionId": action["ActionId"]}, 201)


def validate_password(call: Call[FakeState]) -> Raw:
    """The documented password policy check: three of upper case, lower case, digits and symbols."""
    password = call.json_object().get("Password")
    text = password if isinstance(password, str) else ""
    kinds = sum(bool(re.search(p, text)) for p in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if kinds < 3 or len(text) < 8:
        raise VendorError(400, "Your password must contain any 3 of upper case, lowercase, numeric and special "
                          "characters.")  # fmt: skip
    return {}


SPEC = FakeSpec(
    name="eploy",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("POST", f"{API}/candidates/validatepasswordpolicy", validate_password),
        Endpoint("POST", f"{API}/actions", insert_action),
        Endpoint("POST", f"{API}/candidates", insert_candidate),
        Endpoint("POST", f"{API}/applications", insert_application),
        Endpoint("POST", f"{API}/{{entity}}/search", search),
        Endpoint("GET", f"{API}/{{entity}}/{{id}}", one),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` candidates, each
#: with one application (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)

"""A stateful fake of Carerix (``atsbridge fake-ats carerix``): GraphQL reads, REST/XML writes.

* **GraphQL** ``POST /graphql/v1/graphql`` (``{query, variables}``) with a Keycloak bearer token from
  ``POST /auth/realms/acme/protocol/openid-connect/token`` (client credentials) [conn]. Page queries
  ``crUserPage``, ``crVacancyPage``, ``crEmployeePage``, ``crMatchPage``, ``crDataNodePage``, ``crNotePage``,
  ``crAttachmentPage`` take ``pageable: {page, size}`` (0-based) and an EOF ``qualifier`` (``a = 'x'``,
  ``modificationDate > (NSCalendarDate) '...'``, joined by ``and``) and answer ``{totalElements, items}``;
  ``crAttachment(_id)`` answers one file with its base64 ``content``. The selection set is not applied (the
  fake answers every field). GraphQL refusals (unknown field, bad qualifier) are ``{"errors": [...]}`` with
  HTTP 200, as GraphQL servers answer; HTTP-level refusals (401, 429, 5xx) use the same body [gap: Carerix's
  own error bodies are undocumented].
* **REST** ``https://api.carerix.com`` (served at this fake's root) with HTTP Basic (customer name + API token
  [conn]): ``GET /CRUser`` (XML list, ``start``/``count``), ``POST /CREmployee``, ``POST /CRMatch``,
  ``PUT /CRMatch/{id}`` (``toStatusNode``), ``POST /CRNote``, ``PUT /CREmployee/{id}`` (the recorded
  attachment body, ``payloads/rest_CREmployee_add_attachment.request.xml``). Writes answer the entity as XML
  with its ``id`` [gap: no answer was ever recorded].
* No rate limit is documented [gap]: 10 requests a second, then 429 with ``Retry-After``.

The only recording is an XML *request*, so ``payloads/MANIFEST.json`` declares no answer shapes to compare.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.carerix.state import (
    CLIENT_ID,
    CLIENT_SECRET,
    REST_TOKEN,
    REST_USER,
    TOKEN_PATH,
    FakeState,
    answer,
    matcher,
)  # fmt: skip
from atsbridge.fakes.kit import graphql
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
_BASIC = base64.b64encode(f"{REST_USER}:{REST_TOKEN}".encode()).decode()
PROBE = ("/CRUser?count=5", {"Authorization": f"Basic {_BASIC}"})
XML = "application/xml; charset=utf-8"

#: GraphQL page field -> the state's table.
PAGES = {"crUserPage": "users", "crVacancyPage": "vacancies", "crEmployeePage": "employees", "crMatchPage": "matches",
         "crDataNodePage": "statuses", "crNotePage": "notes", "crAttachmentPage": "attachments"}  # fmt: skip


def errors(error: VendorError) -> Any:
    return graphql.error_body(error.message, "UNAUTHORIZED" if error.status == 401 else "ExecutionError")


def graphql_endpoint(call: Call[FakeState]) -> Any:
    try:
        op = graphql.operation(call.json(empty={}))
        if op.field == "crAttachment":
            rid = str(op.variables.get("_id") or "")
            row = call.fake.attachments.get(rid)
            if row is None:
                return {"data": {"crAttachment": None}}
            content = base64.b64encode(call.fake.files[rid]).decode()
            return {"data": {"crAttachment": {**row, "content": content}}}
        table = PAGES.get(op.field)
        if table is None:
            raise VendorError(400, f"Validation error: field '{op.field}' in type 'Query' is undefined")
        match = matcher(op.variables.get("qualifier"))
        rows: dict[str, Raw] = getattr(call.fake, table)
        ordered = [rows[k] for k in sorted(rows, key=int) if match(rows[k])]
        return graphql.page(op.field, ordered, op.variables)
    except VendorError as exc:
        if exc.status in (400, 404):  # GraphQL answers a refused operation with HTTP 200 and errors
            return graphql.error_body(exc.message)
        raise


def _xml(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=XML)


def rest_users(call: Call[FakeState]) -> Response:
    try:
        start, count = int(call.query.get("start", "0")), int(call.query.get("count", "10"))
    except ValueError:
        raise VendorError(400, "start and count must be integers") from None
    rows = list(call.fake.users.values())[start : start + count]
    items = "".join(f'<CRUser id="{u["_id"]}"><firstName>{u["firstName"]}</firstName>'
                    f'<lastName>{u["lastName"]}</lastName></CRUser>' for u in rows)  # fmt: skip
    return _xml(f'<?xml version="1.0" encoding="utf-8"?><array>{items}</array>'.encode())


def rest_create(call: Call[FakeState]) -> Response:
    entity = call.path["entity"]
    return _xml(answer(entity, call.fake.rest_write(entity, None, call.body)), 201)


def rest_update(call: Call[FakeState]) -> Response:
    entity = call.path["entity"]
    return _xml(answer(entity, call.fake.rest_write(entity, call.path["id"], call.body)))


# -- simulate ---------------------------------------------------------------------------------------------------
def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    eid = pick(rnd, fake.employees)
    if eid is None:
        return None
    fake.employees[eid].update(homeCity=rnd.choice(("Delft", "Leiden", "Breda")) + str(fake.seq),
                               modificationDate=fake.now())  # fmt: skip
    fake.seq += 1
    return Change("employees", eid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    mid = pick(rnd, fake.matches)
    if mid is None:
        return None
    current = fake.matches[mid]["toStatusNode"]["_id"]
    fake.set_status(mid, rnd.choice([s for s in fake.statuses if s != current]))
    return Change("matches", mid, "updated")


_delete = delete_one(lambda f: f.employees, FakeState.delete_employee, "employees")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    vacancy = pick(rnd, fake.vacancies)
    if vacancy is None:
        return None
    mid = fake.apply(vacancy, fake.add_employee("Sim", f"Kandidaat {fake.seq}", None))
    return Change("matches", mid, "created")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    mid = pick(rnd, fake.matches)
    if mid is None:
        return None
    return Change("notes", fake.add_note(mid, "Gebeld", fake.matches[mid]["toEmployee"]["_id"]), "created")


HOOKS = Hooks(
    lambda f: {name: len(getattr(f, name)) for name in PAGES.values()},
    simulator(_edit, _move, _move, _delete, _apply, _note, refused=(VendorError,)),
    lambda f: {
        "candidates": list(f.employees),
        "applications": list(f.matches),
        "jobs": list(f.vacancies),
        "users": list(f.users),
        "application_stages": list(f.statuses),
        "notes": list(f.notes),
        "attachments": list(f.attachments),
    },  # fmt: skip
    {"employees": "candidates", "matches": "applications", "vacancies": "jobs", "notes": "notes"},
)
SPEC = FakeSpec(
    name="carerix",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("POST", "/graphql/v1/graphql", graphql_endpoint),
        Endpoint("GET", "/CRUser", rest_users),
        Endpoint("POST", "/{entity:str}", rest_create),
        Endpoint("PUT", "/{entity:str}/{id:str}", rest_update),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake Carerix tenant with ``records`` matches.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/graphql/v1", "token_url": f"{base_url}{TOKEN_PATH}",
                      "rest_url": base_url},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "rest_user": REST_USER, "rest_token": REST_TOKEN},
)  # fmt: skip

"""A stateful fake of a Connexys by Bullhorn org (Salesforce REST) for tests and demos
(``atsbridge fake-ats connexys``).

Served under ``/services/data/v60.0``: ``query`` and ``queryAll`` (the SOQL subset of
``atsbridge.fakes.kit.soql``; ``queryAll`` includes recycle-bin rows), the ``nextRecordsUrl`` cursors
(``/query/<locator>-<offset>``, pages of ``Sforce-Query-Options: batchSize`` rows, lowered to the fake's page cap
of 12 so small tenants page too: Salesforce's minimum is 200, but it may always answer fewer), sObject
``GET``/``POST``/``PATCH`` for the objects the connector writes, and
``ContentVersion/{id}/VersionData`` (the file bytes). Auth: ``POST /services/oauth2/token`` client credentials
(Connected App consumer key/secret), 400 ``invalid_client`` on bad ones, then ``Authorization: Bearer``; a dead
token is 401 ``INVALID_SESSION_ID``. Errors are Salesforce's list ``[{"message", "errorCode"}]``. Beyond the
window 429 with the ``REQUEST_LIMIT_EXCEEDED`` body (Salesforce sends that body with 403; the fake kit keeps
the engine's status, the connector handles both). Quirk kept: a file uploaded to a candidate is parsed and
overwrites its identity fields (reference 6.7 [conn]).

No payload was recorded for Connexys (``payloads/MANIFEST.json`` says so): shapes follow Salesforce's
documented REST answers and the field names of reference section 6.6.
"""

from __future__ import annotations

import random
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.connexys.state import (
    APPLICATION,
    CANDIDATE,
    CLIENT_ID,
    CLIENT_SECRET,
    DEMO_TOKEN,
    FIRST,
    PLACEMENT,
    VERSION,
    FakeState,
    content_type,
)
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.soql import batch_size, errors
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks, reply

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]
API = f"/services/data/{VERSION}"


def _query(call: Call[FakeState], *, all_rows: bool = False) -> Any:
    text = call.query.get("q")
    if not text:
        raise VendorError(400, "A query string has to be specified", code="MALFORMED_QUERY")
    rows = call.fake.org.run(text, all_rows=all_rows)
    return call.fake.locators.page(rows, batch_size(call.request, call.fake.page_cap))


def _more(call: Call[FakeState]) -> Any:
    return call.fake.locators.more(call.path["token"], batch_size(call.request, call.fake.page_cap))


def _get(call: Call[FakeState]) -> Any:
    obj, rid = call.path["type"], call.path["id"]
    row = call.fake.row(obj, rid)
    return {"attributes": call.fake.org.attributes(obj, rid), **row}


def _create(call: Call[FakeState]) -> Any:
    row = call.fake.create(call.path["type"], call.json_object())
    return reply({"id": row["Id"], "success": True, "errors": []}, 201)


def _update(call: Call[FakeState]) -> Any:
    call.fake.update(call.path["type"], call.path["id"], call.json_object())
    return None


def _version_data(call: Call[FakeState]) -> Response:
    row = call.fake.row("ContentVersion", call.path["id"])
    return Response(call.fake.files[row["Id"]], media_type=content_type(str(row["PathOnClient"])))


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.live(CANDIDATE))
    if cid is None:
        return None
    fake.touch(CANDIDATE, cid, cxsrec__First_name__c=rnd.choice(FIRST))
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.live(APPLICATION))
    if aid is None:
        return None
    now = fake.tables[APPLICATION][aid]["cxsrec__Workflow_status__c"]
    fake.touch(APPLICATION, aid, cxsrec__Workflow_status__c=pick(rnd, [s for s in fake.status_ids() if s != now]))
    return Change("applications", aid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    """A placement is made and the application moved to the hired status (one user action in Connexys)."""
    aid = pick(rnd, fake.live(APPLICATION))
    if aid is None:
        return None
    app = fake.tables[APPLICATION][aid]
    fake.insert(PLACEMENT, {"Name": f"PL-{aid[-6:]}", "cxsrec__Candidate__c": app["cxsrec__Candidate__c"],
                            "cxsrec__Position__c": app["cxsrec__Position__c"]})  # fmt: skip
    fake.touch(APPLICATION, aid, cxsrec__Workflow_status__c=fake.status_ids()[4])
    return Change("applications", aid, "updated")


_delete = delete_one(lambda f: f.live(CANDIDATE), lambda f, cid: f.delete(CANDIDATE, cid), "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, fake.live("cxsrec__cxsPosition__c"))
    if job is None:
        return None
    cand = fake.add_candidate(rnd.choice(FIRST), "Sim", fake.seq)
    return Change("applications", fake.apply(cand["Id"], job)["Id"], "created")


HOOKS = Hooks(
    lambda f: {obj: len(f.live(obj)) for obj in f.tables},
    simulator(_edit, _move, _hire, _delete, _apply, refused=(VendorError,)),
    lambda f: {
        "candidates": f.live(CANDIDATE),
        "applications": f.live(APPLICATION),
        "jobs": f.live("cxsrec__cxsPosition__c"),
    },  # fmt: skip
    {"candidates": "candidates", "applications": "applications"},
)
SPEC = FakeSpec(
    name="connexys",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{API}/query", _query),
        Endpoint("GET", f"{API}/queryAll", lambda call: _query(call, all_rows=True)),
        Endpoint("GET", f"{API}/query/{{token}}", _more),
        Endpoint("GET", f"{API}/queryAll/{{token}}", _more),
        Endpoint("GET", f"{API}/sobjects/ContentVersion/{{id}}/VersionData", _version_data),
        Endpoint("GET", f"{API}/sobjects/{{type}}/{{id}}", _get),
        Endpoint("POST", f"{API}/sobjects/{{type}}", _create),
        Endpoint("PATCH", f"{API}/sobjects/{{type}}/{{id}}", _update),
    ],
)
#: An authenticated read and what authenticates it (the fake's pre-issued demo session).
PROBE = (f"{API}/query?q=SELECT+Id+FROM+User", {"Authorization": f"Bearer {DEMO_TOKEN}"})

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake org with ``records`` candidates, one
#: application each (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(25, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "token_url": f"{base_url}/services/oauth2/token"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)

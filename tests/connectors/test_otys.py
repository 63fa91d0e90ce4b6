"""OTYS: golden mapper tests on the documented shapes (no payload was recorded), the three-level outcome with a
per-tenant status map, and the vendor's true quirks against its fake: a delta is a ``lastModified`` condition
inside the JSON-RPC body, soft deletions come from ``isDeleted``, an expired session logs in again, and the
writes (create-once candidate + procedure, a status move)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.kit import jsonrpc
from atsbridge.connectors.otys import mappers as m
from atsbridge.connectors.otys.api import API, PATH
from atsbridge.core.config import Settings
from atsbridge.fakes.otys import FakeState, create_app
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("otys:golden")
#: The shapes OTYS' WordPress plugin reads [conn].
VACANCY = {"uid": "77", "internalId": 77, "title": "Recruiter", "status": "Online", "referenceNr": "VAC-77",
           "location": "Utrecht", "category": {"uid": "7", "value": "ICT"}, "userEmail": "a@b.example",
           "entryDateTime": "2024-03-01T09:07:00Z", "lastModified": "2024-03-02T10:00:00Z",
           "textField_description": "<p>A</p>", "textField_requirements": "<p>B</p>", "textField_salary": None,
           "relation": {"uid": "900", "name": "Acme B.V."}}  # fmt: skip
CANDIDATE = {"uid": "5", "internalId": 5, "statusId": 1, "source": "Website", "entryDateTime": "2024-03-01T09:14:00Z",
             "lastModified": "2024-03-01T09:14:00Z",
             "Person": {"firstName": "Sanne", "infix": "de", "lastName": "Vries", "emailPrimary": "s@x.example",
                        "phoneMobile": "+31612345678", "city": "Utrecht", "country": "NL"}}  # fmt: skip
PROCEDURE = {"uid": "900", "candidateUid": "5", "vacancyUid": "77", "entryDateTime": "2024-03-01T09:21:00Z",
             "lastModified": "2024-03-03T08:00:00Z", "ProcedureStatus1": {"uid": "1_2", "code": "Gesprek"},
             "ProcedureStatus2": {"uid": "2_11", "code": "Eerste gesprek"}, "ProcedureStatus3": None}  # fmt: skip


def test_documented_shapes_map() -> None:
    (job,) = m.map_vacancy(VACANCY, CTX)
    assert (job.fields["name"], job.fields["status"], job.fields["job_code"], job.fields["category"]) == (
        "Recruiter", "OPEN", "VAC-77", "ICT")  # fmt: skip
    assert job.fields["description"] == "<p>A</p><p>B</p>" and job.fields["custom_fields"]["customer"] == "Acme B.V."
    (cand,) = m.map_candidate(CANDIDATE, CTX)
    assert (cand.fields["first_name"], cand.fields["last_name"]) == ("Sanne", "de Vries")
    assert cand.fields["email_addresses"] == [{"email_address": "s@x.example", "type": "PERSONAL"}]
    (app,) = m.map_procedure(PROCEDURE, CTX)
    assert app.fields["candidate_id"] == CTX.ref("candidates", "5") and app.fields["job_id"] == CTX.ref("jobs", "77")
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "1_2")
    assert app.fields["custom_fields"] == {"status_level_1": "Gesprek", "status_level_2": "Eerste gesprek"}
    (stage,) = m.map_status({"uid": "11", "code": "Eerste gesprek", "_level": 2}, CTX)
    assert stage.remote_id == "2_11" and stage.fields["name"] == "Eerste gesprek"
    (user,) = m.map_user({"uid": "3", "name": "Anouk Visser", "email": "a@b.example", "active": 0}, CTX)
    assert (user.fields["first_name"], user.fields["last_name"], user.fields["status"]) == ("Anouk", "Visser",
                                                                                          "INACTIVE")  # fmt: skip


def test_the_deepest_status_level_and_the_tenants_map_decide_the_outcome() -> None:
    def outcome(ctx: MapContext, **changes: Any) -> str:
        (app,) = m.map_procedure({**PROCEDURE, **changes}, ctx)
        return str(app.fields["outcome"])

    assert outcome(CTX) == "PENDING"
    assert outcome(CTX, ProcedureStatus1={"uid": "1_4", "code": "Geplaatst"}, ProcedureStatus2=None) == "HIRED"
    rejected_later = {"ProcedureStatus3": {"uid": "3_30", "code": "Afgewezen"}}
    assert outcome(CTX, **rejected_later) == "DECLINED"  # level 3 is more specific than level 1
    tenant = MapContext("otys:golden", status_map={"eerste gesprek": "DECLINED", "3_31": "HIRED"})
    assert outcome(tenant) == "DECLINED"  # a level-2 code named by the tenant
    assert outcome(tenant, ProcedureStatus3={"uid": "3_31", "code": "Contract"}) == "HIRED"  # by <level>_<uid>


def test_an_expired_session_logs_in_again_on_the_fake() -> None:
    fake = FakeState.generate(2, 10, None)
    transport = httpx.ASGITransport(app=create_app(state=fake))
    info = IntegrationInfo("otys:s", "otys", {"base_url": "http://otys.test"}, {"api_key": "otys_api_key"})
    client = API.client(info, transport)

    async def go() -> list[Any]:
        users = [await jsonrpc.call(client, PATH, "Otys.Services.UserService.getList")]
        fake.sessions.expire_all()
        users.append(await jsonrpc.call(client, PATH, "Otys.Services.UserService.getList"))
        await client.aclose()
        return users

    first, second = asyncio.run(go())
    assert first == second and len(first["data"]) == 3 and fake.sessions.logins == 2


def _bodies(v: Any) -> list[dict[str, Any]]:
    return [r["body"] for r in v.control("GET", "requests?limit=2000")["requests"] if isinstance(r["body"], dict)]


def test_a_delta_filters_by_last_modified_and_reads_soft_deletions(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(4, 30, None)
    with live("otys", engine, settings, server.v1, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        gone = next(iter(fake.live(fake.candidates)))
        with fake.lock:
            fake.delete_candidate(gone)
        v.control("DELETE", "requests")
        assert v.sync().status == "SUCCEEDED"
        calls = _bodies(v)
        lists = [c for c in calls if c["method"].endswith("CandidateService.getListEx")]
        fields = [[(i["field"], i["op"], i["param"]) for i in c["params"][1]["condition"]["items"]] for c in lists]
        assert any(("isDeleted", "EQ", [0]) in f and any(x[0] == "lastModified" for x in f) for f in fields)
        assert any(("isDeleted", "EQ", [1]) in f for f in fields)  # the deletion feed
        assert all(isinstance(c["params"][0], str) for c in calls if c["method"] != "loginByUid")  # the session
        stored = v.stored("candidates")
        assert stored[gone][1] is not None  # marked deleted by the delta, not only by a later full sync
        apps = {rid for rid, (_, deleted) in v.stored("applications").items() if deleted is not None}
        assert apps == {uid for uid, p in fake.procedures.items() if p["candidateUid"] == gone}


def test_apply_is_created_once_after_a_stall_and_a_status_move(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 20, None)
    with live("otys", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        job = next(j for j in k.ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN")
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        # every call is a POST: skip the candidate lookup and CandidateService.add, stall ProcedureService.add
        made = created_after_stall(v, job.id, cand, {"after": 2})
        mine = [c for c in fake.candidates.values() if c["Person"]["emailPrimary"] == email]
        assert len(mine) == 1
        procs = [p for p in fake.procedures.values() if p["candidateUid"] == mine[0]["uid"]]
        assert [p["uid"] for p in procs] == [made.remote_id]
        stages = {s.remote_id: s.id for s in k.ats.get_application_stages(page_size=50).result.data.results}
        k.ats.move_application_to_stage(application_id=made.id, stage_id=stages["1_3"])
        assert fake.procedures[made.remote_id]["ProcedureStatus1"] == {"uid": "1_3", "code": "Aanbieding"}
        k.ats.move_application_to_stage(application_id=made.id, stage_id=stages["2_12"])
        assert fake.procedures[made.remote_id]["ProcedureStatus2"]["uid"] == "2_12"
        with pytest.raises(KomboAtsError) as info:
            k.ats.reject_application(application_id=made.id, rejection_reason_id="x")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"  # declared unavailable

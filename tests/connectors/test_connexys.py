"""Connexys by Bullhorn: golden mapper tests on the documented shapes (no payload was recorded: Salesforce query
rows with the field names of reference section 6.6), the outcome rule (placement, status map, inactive status),
and the vendor's true quirks: SOQL deltas on ``SystemModstamp`` with recycle-bin deletions, and the CV parser that
overwrites the candidate's identity (undone after the upload) on a create-once apply."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.connexys import mappers as m
from atsbridge.core.config import Settings
from atsbridge.fakes.connexys import FakeState
from atsbridge.fakes.connexys.state import APPLICATION, CANDIDATE
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("connexys:golden")
STAMP = "2025-02-03T10:15:30.000+0000"
#: A query row as Salesforce answers ``SELECT ..., cxsrec__Workflow_status__r.Name, ... FROM <application>``.
APP = {"attributes": {"type": APPLICATION, "url": f"/services/data/v60.0/sobjects/{APPLICATION}/a0A000000000001AAA"},
       "Id": "a0A000000000001AAA", "CreatedDate": STAMP, "SystemModstamp": STAMP, "Name": "JA-000001",
       "cxsrec__Candidate__c": "a0C000000000002AAA", "cxsrec__Position__c": "a0P000000000003AAA",
       "cxsrec__Workflow_status__c": "a0W000000000004AAA", "cxsrec__Created_from__c": "Form",
       "cxsrec__Workflow_status__r": {"attributes": {"type": "cxsrec__cxsWorkflow_status__c"},
                                      "Name": "Eerste gesprek", "cxsrec__Active__c": True}}  # fmt: skip


def outcome(ctx: MapContext = CTX, **changes: Any) -> str:
    (app,) = m.map_application({**APP, **changes}, ctx)
    return str(app.fields["outcome"])


def status(name: str, active: bool) -> dict[str, Any]:
    return {"attributes": {"type": "cxsrec__cxsWorkflow_status__c"}, "Name": name, "cxsrec__Active__c": active}


def test_application_maps_refs_dates_and_its_workflow_status_as_stage() -> None:
    (app,) = m.map_application(APP, CTX)
    assert app.fields["candidate_id"] == CTX.ref("candidates", "a0C000000000002AAA")
    assert app.fields["job_id"] == CTX.ref("jobs", "a0P000000000003AAA")
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "a0W000000000004AAA")
    assert app.fields["remote_created_at"] == "2025-02-03T10:15:30.000Z"
    assert app.fields["custom_fields"]["workflow_status"] == "Eerste gesprek"


def test_placement_wins_then_status_map_then_names_then_the_inactive_flag() -> None:
    assert outcome() == "PENDING"
    assert outcome(_placement={"Id": "a0L000000000009AAA"}) == "HIRED"
    assert outcome(cxsrec__Workflow_status__r=status("Afgewezen", False)) == "DECLINED"
    assert outcome(cxsrec__Workflow_status__r=status("Aangenomen", False)) == "HIRED"
    # an inactive status no name decides ended the process without a placement
    assert outcome(cxsrec__Workflow_status__r=status("Talentpool", False)) == "DECLINED"
    custom = MapContext("connexys:golden", status_map={"talentpool": "PENDING", "eerste gesprek": "DECLINED"})
    assert outcome(custom, cxsrec__Workflow_status__r=status("Talentpool", False)) == "PENDING"
    assert outcome(custom) == "DECLINED"
    assert outcome(custom, _placement={"Id": "x"}) == "HIRED"


def test_workflow_statuses_are_stages_and_the_declining_ones_rejection_reasons() -> None:
    row = {"Id": "a0W000000000006AAA", "Name": "Afgewezen", "cxsrec__Active__c": False, "cxsrec__Order__c": 6}
    stage, reason = m.map_workflow_status(row, CTX)
    assert (stage.model, stage.fields["name"], stage.fields["index"]) == ("application_stages", "Afgewezen", 6)
    assert reason.model == "rejection_reasons" and reason.remote_id == "a0W000000000006AAA"
    (only,) = m.map_workflow_status({**row, "Name": "Eerste gesprek", "cxsrec__Active__c": True}, CTX)
    assert only.model == "application_stages"


def test_candidate_job_note_and_file_shapes() -> None:
    (cand,) = m.map_candidate({"Id": "a0C1", "cxsrec__First_name__c": "Sanne", "cxsrec__Last_name__c": "de Vries",
                               "cxsrec__E_mail_address__c": " sanne@x.example ", "cxsrec__mobilePhone__c": "+31 6 1",
                               "cxsrec__Anonymize_status__c": None, "CreatedDate": STAMP}, CTX)  # fmt: skip
    assert cand.fields["email_addresses"] == [{"email_address": "sanne@x.example", "type": None}]
    assert cand.fields["phone_numbers"][0]["type"] == "MOBILE"
    job_row = {"Id": "a0P1", "Name": "Controller", "cxsrec__Status__c": "Gesloten",
               "cxsrec__Job_description__c": "<p>A</p>", "cxsrec__Job_requirements__c": "<p>B</p>"}  # fmt: skip
    (job,) = m.map_job(job_row, CTX)
    assert (job.fields["status"], job.fields["description"]) == ("CLOSED", "<p>A</p><p>B</p>")
    assert list(m.map_note({"Id": "00T1", "WhatId": "a0A1", "Description": "x"}, CTX)) == []  # its application is gone
    (note,) = m.map_note({"Id": "00T1", "WhatId": "a0A1", "Description": "x", "_candidate": "a0C1"}, CTX)
    assert note.fields["candidate_id"] == CTX.ref("candidates", "a0C1")
    (file,) = m.map_attachment({"Id": "0681", "PathOnClient": "cv-sanne.pdf", "FirstPublishLocationId": "a0C1"}, CTX)
    assert (file.fields["type"], file.fields["content_type"]) == ("CV", "application/pdf")


def test_deltas_filter_on_systemmodstamp_and_deletions_come_from_the_recycle_bin(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("connexys", engine, settings, server.v1, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        gone = fake.live(CANDIDATE)[0]
        with fake.lock:
            fake.delete(CANDIDATE, gone)
        v.control("DELETE", "requests")
        assert v.sync().status == "SUCCEEDED"
        queries = [r["query"] for r in v.control("GET", "requests")["requests"]]
        assert any("SystemModstamp+%3E%3D" in q and "cxsCandidate__c" in q for q in queries), queries
        assert any("IsDeleted+%3D+true" in q for q in queries)
        assert v.stored("candidates")[gone][1] is not None  # marked deleted by the delta, not a full listing


def test_apply_undoes_the_cv_parser_and_is_created_once_after_a_stall(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("connexys", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        job = k.ats.get_jobs(page_size=50, statuses=["OPEN"]).result.data.results[0]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        cv = [{"name": "cv-ada.pdf", "type": "CV", "content_type": "application/pdf",
               "data": base64.b64encode(b"%PDF-1.4 ada").decode()}]  # fmt: skip
        made = created_after_stall(v, job.id, cand, {"path": "cxsJob_application__c"}, attachments=cv)
        mine = [r for r in fake.tables[CANDIDATE].values() if r["cxsrec__E_mail_address__c"] == email]
        apps = [a for a in fake.tables[APPLICATION].values() if mine and a["cxsrec__Candidate__c"] == mine[0]["Id"]]
        assert len(mine) == 1 and [a["Id"] for a in apps] == [made.remote_id]
        # the upload was parsed (cxsrec__last_cv__c set) and the identity written back afterwards
        assert mine[0]["cxsrec__last_cv__c"] and mine[0]["cxsrec__Last_name__c"] == "Lovelace"
        files = [f for f in fake.tables["ContentVersion"].values() if f["FirstPublishLocationId"] == mine[0]["Id"]]
        assert [f["PathOnClient"] for f in files] == ["cv-ada.pdf"]

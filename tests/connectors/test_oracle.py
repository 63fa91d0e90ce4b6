"""Oracle Recruiting Cloud: golden mapper tests on the documented shapes (no Oracle payload was ever recorded:
reference §3.6, field by field), the unreliable ``hasMore``, the ``q=LastUpdateDate>…`` delta filter, the
phase/state codes attached from the catalogue, and the move/reject actions (ADF action media type)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.api import fill_base_url
from atsbridge.connectors.oracle import CONNECTOR
from atsbridge.connectors.oracle import mappers as m
from atsbridge.connectors.oracle.actions import add_attachment, add_result_link, move_stage, reject
from atsbridge.connectors.oracle.api import API, UPDATED_SINCE
from atsbridge.connectors.oracle.streams import STREAMS
from atsbridge.core.ids import record_id
from atsbridge.fakes.oracle import FakeState, create_app
from atsbridge.model import write_bodies as bodies

CTX = MapContext("oracle:golden")
#: ``recruitingJobApplications`` with the documented fields (reference §3.6 [conn client]).
DOC_APPLICATION = {
    "JobApplicationId": 300000049043637, "CandidatePersonId": 300000049043001, "CandidateName": "Ada Lovelace",
    "RequisitionId": 300000049042001, "RequisitionNumber": "REQ-1", "PhaseId": 300000001, "PhaseName": "Screening",
    "StateId": 300000011, "StateName": "Rejected by Employer", "DisqualifiedFlag": "N", "ConfirmedFlag": "Y",
    "JobApplicationDate": "2025-03-01T10:00:00.000+00:00", "CreationDate": "2025-03-01T10:00:00.000+00:00",
    "LastUpdateDate": "2025-03-05T10:00:00.000+00:00", "LastModifiedDate": "2025-03-05T10:00:00.000+00:00",
    "InternalFlag": "N", "PublicStateName": "Not selected", "SiteNumber": "CX_1", "HiringManagerId": 1,
    "RecruiterId": 2, "ProcessId": 300000000000001,
}  # fmt: skip
STATES = [{"StateId": 300000010, "StateCode": "TO_BE_REVIEWED", "StateName": "To Be Reviewed"},
          {"StateId": 300000011, "StateCode": "REJECTED_EMPLOYER", "StateName": "Rejected by Employer"}]  # fmt: skip
PHASE = {"PhaseId": 300000001, "PhaseCode": "SCREENING", "PhaseName": "Screening", "PhaseOrder": 1, "States": STATES}
REQUISITION = {"RequisitionId": 300000049042001, "RequisitionNumber": "REQ-1", "Title": "Engineer",
               "RecruitingType": "ORA_REGULAR", "HiringManagerId": 1, "RecruiterId": 2, "PrimaryLocationId": 3,
               "NumberOfOpenings": 2, "UnlimitedOpenings": False, "PhaseId": 9, "StateId": 10,
               "CreationDate": "2025-01-01T00:00:00+00:00"}  # fmt: skip


def test_documented_shapes_map() -> None:
    rejected = {"phase_code": "SCREENING", "state_code": "REJECTED_EMPLOYER"}
    (app,) = m.map_application({**DOC_APPLICATION, "_stage": rejected}, CTX)
    assert app.remote_id == "300000049043637"  # beyond JavaScript's safe integers: a string, never a number
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Rejected by Employer")
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "300000001:300000011")
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "300000049043001")
    assert app.fields["remote_updated_at"] == "2025-03-05T10:00:00.000Z"
    first, second, reason = m.map_phase(PHASE, CTX)
    assert (first.model, first.fields["name"], first.fields["index"]) == (
        "application_stages",
        "Screening: To Be Reviewed",
        100,
    )
    assert (second.remote_id, reason.model, reason.remote_id) == (
        "300000001:300000011",
        "rejection_reasons",
        "300000001:300000011",
    )
    (job,) = m.map_job(REQUISITION, CTX)
    assert (job.remote_id, job.fields["name"], job.fields["job_code"]) == ("300000049042001", "Engineer", "REQ-1")
    assert job.fields["custom_fields"]["openings"] == 2 and job.fields["status"] is None
    offer = {
        "OfferId": 7,
        "JobApplicationId": 300000049043637,
        "StateCode": "EXTENDED",
        "PlannedStartDate": "2025-05-01",
    }
    (off,) = m.map_offer(offer, CTX)
    assert (off.remote_id, off.fields["status"]) == ("7", "SENT")
    assert off.fields["application_id"] == record_id(CTX.integration_id, "applications", "300000049043637")
    (cand,) = m.map_candidate({"PersonId": 42, "FirstName": "Ada", "Email": "ada@x.io", "CandidateNumber": "C1"}, CTX)
    assert cand.remote_id == "42" and cand.fields["email_addresses"] == [{"email_address": "ada@x.io", "type": None}]


def test_outcomes_disqualified_flag_hr_phase_and_the_customers_map() -> None:
    assert m.outcome({**DOC_APPLICATION, "DisqualifiedFlag": "Y"}) == "DECLINED"
    assert m.outcome({"_stage": {"phase_code": "HR", "state_code": "READY_FOR_HIRE"}}) == "HIRED"
    assert m.outcome({"_stage": {"phase_code": "OFFER", "state_code": "OFFER_APPROVED"}}) == "PENDING"
    custom = {"StateName": "Talent pool (declined)", "_stage": {"phase_code": "OFFER", "state_code": "ORA_X"}}
    ctx = MapContext("oracle:mapped", status_map={"talent pool (declined)": "DECLINED"})
    assert m.outcome(custom, ctx) == "DECLINED" and m.outcome(custom) == "PENDING"


def _source(fake: FakeState) -> kit.KitSource:
    info = IntegrationInfo("oracle:t", "oracle", {"base_url": "http://fake/hcmRestApi/resources/11.13.18.05"},
                           {"username": fake.user, "password": fake.password})  # fmt: skip
    transport = httpx.ASGITransport(app=create_app(state=fake))
    return kit.KitSource(API, API.client(info, transport), info.config, streams=kit.resolve(STREAMS), info=info)


@pytest.mark.parametrize("records", [250, 200])
def test_listing_never_trusts_has_more(records: int) -> None:
    """The first page claims ``hasMore: false`` (a lie); with 200 rows the full last page also claims
    ``true`` (a lie). The listing stops on a short or empty page only, so every row comes, exactly once."""
    fake = FakeState.generate(2, records, None)
    fake.pages_served = 2  # the next page served is a lying third one

    async def run() -> list[dict[str, Any]]:
        source = _source(fake)
        try:
            page = await source.get_json("/recruitingJobApplications", {"limit": 100, "offset": 0})
            assert (page["count"], page["hasMore"]) == (100, False)  # the fake lies as it should
            fake.pages_served = 2
            fake.log.clear()
            return await source.all_records(
                "applications", "/recruitingJobApplications", {"orderBy": "JobApplicationId"}
            )
        finally:
            await source.aclose()

    rows = asyncio.run(run())
    assert sorted(str(r["JobApplicationId"]) for r in rows) == sorted(fake.applications)
    offsets = [parse_qs(e.query)["offset"][0] for e in fake.log.entries()]
    assert offsets == ["0", "100", "200"]  # 250: the third page is short; 200: the third page is empty


def test_delta_reads_by_last_update_date_and_attaches_the_state_codes() -> None:
    fake = FakeState.generate(3, 30, None)
    aid = next(iter(fake.applications))
    phase = next(p for p in fake.phases.values() if p["PhaseCode"] == "HR")
    since = datetime.now(UTC) - timedelta(seconds=1)
    fake.move(aid, {"phaseId": phase["PhaseId"], "stateId": phase["States"][0]["StateId"]})
    assert UPDATED_SINCE.params(datetime(2025, 1, 2, tzinfo=UTC)) == {"q": "LastUpdateDate>'2025-01-02T00:00:00.000Z'"}

    async def run() -> list[dict[str, Any]]:
        source = _source(fake)
        stream = next(s for s in kit.resolve(STREAMS) if s.name == "applications")
        try:
            return [raw async for page in source.read(stream, since) for raw in page]
        finally:
            await source.aclose()

    (row,) = asyncio.run(run())
    assert str(row["JobApplicationId"]) == aid and row["_stage"] == {"phase_code": "HR", "state_code": "HIRED"}
    (app,) = m.map_application(row, CTX)
    assert app.fields["outcome"] == "HIRED"


def test_move_and_reject_use_the_adf_move_action() -> None:
    fake = FakeState.generate(4, 12, None)
    aid = next(iter(fake.applications))
    phase = next(p for p in fake.phases.values() if p["PhaseCode"] == "SCREENING")
    target, rejecting = (f"{phase['PhaseId']}:{s['StateId']}" for s in phase["States"][:2])
    app = {"remote_id": aid}

    async def run() -> None:
        source = _source(fake)
        try:
            moved = await move_stage(source, WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="s"),
                                                       application=app, stage={"remote_id": target}))  # fmt: skip
            assert moved.records[0][1]["StateId"] == phase["States"][0]["StateId"]
            body = bodies.Reject(rejection_reason_id="r", note="Not a fit")
            await reject(source, WriteCall("reject_application", "i", body, application=app,
                                           rejection_reason={"remote_id": rejecting}))  # fmt: skip
            with pytest.raises(RemoteError) as refused:
                await move_stage(source, WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="s"),
                                                   application=app, stage={"remote_id": "no-phase"}))  # fmt: skip
            assert refused.value.code == "REMOTE.INPUT_INVALID"
        finally:
            await source.aclose()

    asyncio.run(run())
    assert fake.applications[aid]["StateName"] == "Rejected by Employer"
    assert fake.applications[aid]["_comments"] == ["Not a fit"]
    posts = [e for e in fake.log.entries() if e.method == "POST"]
    assert [json.loads(e.body) for e in posts] == [{"phaseId": target.split(":")[0], "stateId": target.split(":")[1]},
                                          {"phaseId": rejecting.split(":")[0], "stateId": rejecting.split(":")[1],
                                           "comments": "Not a fit"}]  # fmt: skip


def test_the_connect_form_asks_for_the_host_and_names_the_privileges() -> None:
    assert CONNECTOR.capabilities.actions == {
        "move_application_to_stage", "reject_application", "add_candidate_attachment",
        "add_application_attachment", "add_candidate_result_link", "add_application_result_link",
    }  # fmt: skip
    assert "create_application" in CONNECTOR.capabilities.unavailable
    spec = CONNECTOR.connect
    assert spec is not None
    fields = [f.key for f in spec.fields]
    assert fields[:3] == ["username", "password", "host"] or set(fields) >= {"username", "password", "host"}
    assert "IRC_REST_SERVICE_ACCESS_CANDIDATES_PRIV" in spec.instructions
    pod = fill_base_url(API.base_url, {"host": "servername.fa.us2.oraclecloud.com"})
    assert pod == "https://servername.fa.us2.oraclecloud.com/hcmRestApi/resources/11.13.18.05"
    assert fill_base_url(API.base_url, {"host": "evil.example/x?"}).startswith("https://invalid/")


def test_attachments_go_to_the_candidate_once_with_the_contracts_remote_fields() -> None:
    """An application's file lands on its candidate (``CandidateNumber`` found by ``PersonId``), in the
    category ``remote_fields.oracle.override_document_category`` names; a resumed call after an unknown
    outcome finds the first upload instead of posting twice."""
    fake = FakeState.generate(5, 12, None)
    aid, app = next(iter(fake.applications.items()))
    person = str(app["CandidatePersonId"])
    cv = FileData("cv.pdf", "CV", "application/pdf", b"%PDF-1.4")
    body = bodies.AttachmentBody.model_validate(
        {"attachment": {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": "JVBERi0xLjQ="}}
    )

    def call(progress: dict[str, Any]) -> WriteCall[bodies.AttachmentBody]:
        return WriteCall("add_application_attachment", "i", body, application={"remote_id": aid}, files=[cv],
                         remote_fields={"override_document_category": "IRC_INTERNAL"}, progress=progress)  # fmt: skip

    async def run() -> None:
        source = _source(fake)
        try:
            first = await add_attachment(source, call({}))
            assert "all of the candidate's applications" in first.warnings[0]
            resumed = call({"attachment_create_started": int(datetime.now(UTC).timestamp() * 1000)})
            again = await add_attachment(source, resumed)
            assert again.created == first.created
        finally:
            await source.aclose()

    asyncio.run(run())
    (row,) = fake.attachments[person]
    assert (row["CategoryName"], row["FileName"], row["UploadedFileLength"]) == ("IRC_INTERNAL", "cv.pdf", 8)
    assert [e.method for e in fake.log.entries()].count("POST") == 1


def test_the_connect_check_names_the_missing_privilege() -> None:
    fake = FakeState.generate(6, 6, None)
    fake.denied.add("recruitingCandidates")
    spec = CONNECTOR.connect
    assert spec is not None
    info = IntegrationInfo("oracle:c", "oracle", {"base_url": "http://fake/hcmRestApi/resources/11.13.18.05"},
                           {"username": fake.user, "password": fake.password})  # fmt: skip
    transport = httpx.ASGITransport(app=create_app(state=fake))
    real = type(API).client

    with pytest.MonkeyPatch.context() as patch:  # the check's client over the in-process fake
        patch.setattr(type(API), "client", lambda self, info, _=None: real(self, info, transport))
        with pytest.raises(ValueError) as denied:
            asyncio.run(spec.verify(info))
        fake.denied.clear()
        asyncio.run(spec.verify(info))
    assert "IRC_REST_SERVICE_ACCESS_CANDIDATES_PRIV" in str(denied.value)
    assert "JOB_REQUISITIONS" not in str(denied.value)


def test_a_result_link_is_a_web_page_attachment_in_the_contracts_category() -> None:
    fake = FakeState.generate(7, 6, None)
    person = next(iter(fake.candidates))
    link = bodies.ResultLink(label="Assessment", url="https://tests.example/r/1")

    async def run() -> None:
        source = _source(fake)
        try:
            rf = {"override_document_category": "IRC_INTERNAL", "multi_post_to_all_current_applications": False}
            call = WriteCall("add_candidate_result_link", "i", link, candidate={"remote_id": person}, remote_fields=rf)
            done = await add_result_link(source, call)
            assert done.warnings and done.created["attachment_remote_id"]
        finally:
            await source.aclose()

    asyncio.run(run())
    (row,) = fake.attachments[person]
    assert (row["DatatypeCode"], row["CategoryName"], row["Url"]) == ("WEB_PAGE", "IRC_INTERNAL", link.url)
    assert row["Title"] == "Assessment" and "https://tests.example/r/1" in row["Description"]

"""Workday connector: golden tests on Workday's v45.2 samples (unchanged, in the fake's ``payloads/``), the
XML shapes of the fake and of the connector's requests against those samples (names, nesting, XSD order),
the SOAP quirks (faults on HTTP 500, WS-Security or OAuth, the missing-domain check) and the writes."""

from __future__ import annotations

import asyncio
import importlib
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors.actions import WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import soap
from atsbridge.connectors.workday import CONNECTOR, actions
from atsbridge.connectors.workday import mappers as m
from atsbridge.core import xmldata
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.workday import FakeState, conformance_setup, create_app
from atsbridge.model import write_bodies as bodies
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.connectors.test_bamboohr import live, retire

PAYLOADS = Path(importlib.import_module("atsbridge.fakes.workday").__path__[0]) / "payloads"
CTX = MapContext("workday:golden")


def sample(name: str) -> ET.Element:
    return soap.parse((PAYLOADS / f"soap_v45.2_{name}.sample.xml").read_bytes())


def test_recorded_candidate_maps() -> None:
    """The sample's placeholders ("string") land where the mapper reads them; a disposition declines."""
    (row,) = soap.many(soap.dig(soap.to_dict(sample("Get_Candidates_Response")), "Response_Data/Candidate"))
    cand, app = m.map_candidate(row, CTX)
    assert cand.remote_id == "string" and cand.fields["first_name"] == "string"
    assert cand.fields["email_addresses"] == [{"email_address": "string", "type": None}]
    assert cand.fields["custom_fields"]["do_not_hire"] is False and cand.fields["custom_fields"]["withdrawn"] is True
    assert cand.fields["remote_updated_at"] == "2000-04-21T00:36:55.000Z"
    assert app.fields["outcome"] == "DECLINED" and app.fields["rejection_reason_name"] == "string"
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "string")
    assert app.fields["remote_created_at"] == "2015-06-17T22:07:00.000Z"
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "string")


def test_documented_requisition_and_worker_shapes_map() -> None:
    """No sample exists for these: the reference's field list inside the WWS ``<X>_Reference``/``<X>_Data``
    convention, as the fake writes it (checked through real XML)."""
    fake = FakeState.generate(seed=1, records=10, rate=None)
    req, worker = next(iter(fake.requisitions.values())), next(iter(fake.workers.values()))
    as_xml = {"Job_Requisition": fake.render_requisition(req), "Worker": fake.render_worker(worker)}
    rows = {k: soap.to_dict(soap.parse(ET.tostring(xmldata.to_xml("urn:com.workday/bsvc", k, v)[0])))
            for k, v in as_xml.items()}  # fmt: skip
    (job,) = m.map_requisition(rows["Job_Requisition"], CTX)
    assert (job.remote_id, job.fields["name"], job.fields["status"]) == (req["id"], req["title"], "OPEN")
    assert job.fields["remote_created_at"] == "2024-01-08T00:00:00.000Z"
    assert job.fields["employment_type"] == "FULL_TIME"
    (user,) = m.map_worker(rows["Worker"], CTX)
    assert (user.remote_id, user.fields["email"], user.fields["status"]) == (worker["id"], worker["email"], "ACTIVE")


def test_outcomes_follow_the_rule_and_the_status_map() -> None:
    applied = {"Stage_Reference": {"ID": {"@type": "Recruiting_Stage_ID", "#text": "Ready_for_Hire"}}}
    app = {"Job_Applied_To_Data": applied}
    assert m.application_outcome(app, {}, hired=True) == "HIRED"
    assert m.application_outcome(app, {}, hired=False) == "PENDING"
    assert m.application_outcome(app, {"Withdrawn": "1"}, hired=True) == "DECLINED"
    talent_pool = {"Job_Applied_To_Data": {**applied, "Disposition_Reference": {
        "@Descriptor": "Keep warm", "ID": {"@type": "Applicant_Disposition_ID", "#text": "Talent_Pool"}}}}  # fmt: skip
    assert m.application_outcome(talent_pool, {}, hired=False) == "DECLINED"
    ctx = MapContext("workday:mapped", status_map={"talent_pool": "PENDING"})
    assert m.application_outcome(talent_pool, {}, False, ctx) == "PENDING"


def test_stages_are_the_delivered_ones_and_the_tenants_own() -> None:
    seen: dict[Any, str] = {}
    app = {"Job_Applied_To_Data": {"Stage_Reference": {"@Descriptor": "Hiring Panel",
                                                       "ID": {"@type": "Recruiting_Stage_ID", "#text": "ACME_Panel"}}}}
    m.seen_stages(seen, {"Candidate_Data": {"Job_Application_Data": [app]}})
    rows = m.stage_rows(seen)
    assert rows[0] == {"id": "Review", "name": "Review", "index": 0}
    assert rows[-1] == {"id": "ACME_Panel", "name": "Hiring Panel", "index": len(m.STAGES)}


def paths(element: ET.Element, prefix: str = "") -> set[str]:
    here = f"{prefix}/{soap.local(element.tag)}"
    return {here}.union(*(paths(child, here) for child in element))


def in_schema_order(element: ET.Element, schema: ET.Element) -> None:
    """Every element of ``element`` exists in the sample at the same place, siblings in the sample's order."""
    order = {soap.local(c.tag): i for i, c in enumerate(schema)}
    names = [soap.local(c.tag) for c in element]
    assert all(n in order for n in names), f"{soap.local(element.tag)}: {set(names) - set(order)}"
    assert [order[n] for n in names] == sorted(order[n] for n in names), f"{soap.local(element.tag)}: {names}"
    for child in element:
        in_schema_order(child, next(c for c in schema if soap.local(c.tag) == soap.local(child.tag)))


def fake_call(operation: ET.Element, fake: FakeState | None = None) -> ET.Element:
    app = create_app(seed=4, records=20, rate_limit=None, state=fake)
    body = soap.envelope(operation, soap.UsernameToken("wd_isu@acme", "wd_password"))

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fake") as client:
            return await client.post("/ccx/service/acme/Recruiting/v45.2", content=body)

    answer = asyncio.run(send())
    assert answer.status_code == 200, answer.text
    return next(iter(next(iter(soap.parse(answer.content)))))


def test_the_fakes_answers_and_the_connectors_requests_have_the_samples_shapes() -> None:
    b = soap.Builder("urn:com.workday/bsvc")
    answer = fake_call(b("Get_Candidates_Request", b("Response_Filter", b("Page", text="1"), b("Count", text="5"))))
    in_schema_order(answer, sample("Get_Candidates_Response"))
    assert len(answer.findall(".//{urn:com.workday/bsvc}Candidate")) == 5
    job = b.ref("Job_Requisition_Reference", "Job_Requisition_ID", "JR-00001")
    put = b("Put_Candidate_Request", b("Candidate_Data", b("Name_Data", b("Legal_Name", b("Name_Detail_Data", b(
        "First_Name", text="Ada"), b("Last_Name", text="L"))), ), b("Contact_Data", b("Email_Address", text="a@x.io")),
        b("Job_Application_Data", b("Job_Applied_To_Data", job))))  # fmt: skip
    in_schema_order(fake_call(put), sample("Put_Candidate_Response"))
    call: Any = WriteCall(action="create_application", integration_id="i", body=bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="Ada", last_name="Lovelace", email_address="ada@x.io",
                                      phone_number="+1 5", location=bodies.CandidateLocation(country="US", city="SF"))),
        job_remote_id="JR-00001", remote_fields={
            "Candidate_Data": {"Name_Detail_Data": {"Middle_Name": "King"}, "Language_Reference": {"WID": "en"},
                               "Job_Application_Data": {"Resume_Data": {
                                   "Skill_Data": [{"Skill_Name": "Math"}],
                                   "Experience_Data": [{"Company_Name": "AE", "Title": "Analyst",
                                                        "Start_Date": "1842-10-01T00:00:00Z",
                                                        "Currently_Work_Here": True}],
                                   "Education_Data": [{"School_Name": "Home", "Field_of_Study_Reference": {"WID": "f"},
                                                       "Degree_Reference": {"WID": "d"}, "First_Year_Attended": 1830}],
                                   "Language_Data": [{"Language_Reference": {"WID": "en"}, "Language": {
                                       "Language_Ability": [{"Language_Ability_Data": {
                                           "Language_Ability_Type_Reference": {"WID": "t"},
                                           "Language_Proficiency_Reference": {"WID": "p"}}}], "Native": True}}]}}},
            "Override_Source_Reference_WID": "src-wid"})  # fmt: skip
    request = actions.put_candidate_request(call)
    in_schema_order(request, sample("Put_Candidate_Request"))
    assert "/Put_Candidate_Request/Candidate_Data/Name_Data/Legal_Name/Name_Detail_Data/Middle_Name" in paths(request)
    resume = "/Put_Candidate_Request/Candidate_Data/Job_Application_Data/Resume_Data"
    assert {f"{resume}/Experience_Data/Start_Year", f"{resume}/Skill_Data/Skill_Name"} <= paths(request)
    assert soap.ref_id(soap.to_dict(request)["Candidate_Data"]["Job_Application_Data"]["Job_Applied_To_Data"][
        "Source_Reference"]) == "src-wid"  # fmt: skip


def test_faults_are_classified_and_xml_is_parsed_safely() -> None:
    def answering(code: str, message: str) -> RemoteError:
        fault = (f'<e:Envelope xmlns:e="{soap.SOAP_ENV}"><e:Body><e:Fault><faultcode>{code}</faultcode>'
                 f"<faultstring>{message}</faultstring></e:Fault></e:Body></e:Envelope>").encode()  # fmt: skip
        transport = httpx.MockTransport(lambda _: httpx.Response(500, content=fault))
        info = IntegrationInfo("wd:x", "workday", {"host": "h.example", "tenant": "t"}, {"isu_username": "u"})
        client = CONNECTOR_API.client(info, transport)
        with pytest.raises(RemoteError) as caught:
            asyncio.run(soap.call(client, "/Recruiting/v45.2", soap.Builder("urn:x")("Ping")))
        return caught.value

    refused = answering("SOAP-ENV:Client.authenticationError", "invalid username or password")
    assert refused.code == "INTEGRATION.AUTHENTICATION_INVALID" and refused.status == 401
    invalid = answering("SOAP-ENV:Client.validationError", "Invalid ID value")
    assert invalid.code == "REMOTE.INPUT_INVALID" and "Invalid ID value" in invalid.message
    with pytest.raises(RemoteError, match="entity"):
        soap.parse(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')


CONNECTOR_API = importlib.import_module("atsbridge.connectors.workday.api").API


def verify(fake: FakeState, credentials: dict[str, Any] | None = None) -> None:
    spec = CONNECTOR.connect
    assert spec is not None
    with serve_asgi(create_app(state=fake)) as url:
        config, creds = conformance_setup(url)
        asyncio.run(spec.verify(IntegrationInfo("wd:check", "workday", config, credentials or creds)))


def test_connect_names_a_missing_security_domain_and_takes_oauth() -> None:
    fake = FakeState.generate(seed=2, records=10, rate=None)
    fake.hidden = {"Candidate Data: Job Application"}
    with pytest.raises(ValueError, match="Candidate Data: Job Application"):
        verify(fake)
    fake.hidden = {"Person Data: Name"}
    with pytest.raises(ValueError, match="Person Data: Name"):
        verify(fake)
    fake.hidden = set()
    verify(fake, {"client_id": "wd_client", "client_secret": "wd_secret", "refresh_token": "wd_refresh"})
    with pytest.raises(ValueError, match="Workday refused"):
        verify(fake, {"client_id": "wd_client", "client_secret": "wd_secret", "refresh_token": "stale"})


@pytest.fixture
def workday(engine: Engine, settings: Settings, environment: str) -> Iterator[tuple[FakeState, str, str]]:
    app = create_app(seed=3, records=30, rate_limit=None)
    with serve_asgi(app) as url:
        config, creds = conformance_setup(url)
        config["timeout_seconds"] = 1.0
        iid = create_integration(engine, settings, environment, "workday", "Org", config=config, credentials=creds)
        try:
            yield app.state.fake, iid, url
        finally:
            retire(engine, iid)


def test_create_once_and_move(engine: Engine, settings: Settings, server: Server,
                              workday: tuple[FakeState, str, str]) -> None:  # fmt: skip
    fake, iid, _ = workday
    sync_now(engine, settings, iid, full=True)
    with engine.begin() as conn:
        key = platform.create_api_key(conn, platform.get_integration(conn, iid).environment_id, "t")  # type: ignore[union-attr]
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    req = next(iter(fake.requisitions))
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    fake.faults.stall_after_commit(1, 2.5, path="/Recruiting")
    with pytest.raises(KomboAtsError):
        k.ats.create_application(job_id=f"remote:{req}", candidate=cand, http_headers=headers)
    made = k.ats.create_application(job_id=f"remote:{req}", candidate=cand, http_headers=headers).data
    assert [c["id"] for c in fake.candidates.values() if c["email"] == email] == [made.candidate.remote_id]  # type: ignore[union-attr]
    with pytest.raises(KomboAtsError) as info:  # Workday: already applied (a validation fault)
        k.ats.create_application(job_id=f"remote:{req}", candidate=cand)
    assert info.value.data.error.code in ("REMOTE.INPUT_INVALID", "ATS.APPLICATION_ALREADY_EXISTS")
    stage = record_id(iid, "application_stages", "Interview")
    moved = k.ats.move_application_to_stage(application_id=made.id, stage_id=stage).data
    assert moved is not None
    found = fake.find_app(str(made.remote_id))
    assert found is not None and found[1]["stage"] == "Interview"
    step = {"workday": {"Workflow_Step_ID": "STEP_42", "Step_Type": "Next_Step_Reference"}}
    k.ats.move_application_to_stage(application_id=made.id, stage_id=stage, remote_fields=step)
    assert found[1]["step"] == "STEP_42"
    assert live(engine, iid, "applications")[str(made.remote_id)]["current_stage_id"] == stage

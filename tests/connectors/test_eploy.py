"""Eploy: golden mapper tests on the documented shapes (no record was ever recorded: the blocks a customer's
sync script requests, plus Eploy's naming style), the outcome rule (a placement hires; customer-named workflow
statuses through the status map), and the vendor's true quirks against the fake: the JSON token grant on the
customer's host, every list a POST search with the delta filter in its body, stages learnt from applications,
and the recorded error body."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.eploy import CONNECTOR
from atsbridge.connectors.eploy import mappers as m
from atsbridge.connectors.eploy.api import API
from atsbridge.connectors.eploy.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.fakes.eploy import FakeState, conformance_setup, create_app
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall
from tests.contract.harness import live

CTX = MapContext("eploy:golden")
PAYLOADS = Path(__file__).parents[2] / "src/atsbridge/fakes/eploy/payloads"
#: The application blocks a customer's sync script requests [conn], with Eploy's ``{"Id", "Description"}`` refs.
APPLICATION = {"ApplicationId": 50123, "ApplicationDate": "2024-05-02T09:30:00.000Z",
               "ApplicationType": {"Id": 1, "Description": "Online"},
               "InfluenceToApply": {"Id": 2, "Description": "Job Board"},
               "Workflow": {"Stage": {"Id": 3, "Description": "Interview"},
                            "Status": {"Id": 1, "Description": "In Progress"}},
               "Placement": None, "Candidate": {"Id": 20007}, "Vacancy": {"Id": 1002},
               "CreationDate": "2024-05-02T09:30:00.000Z", "ModificationDate": "2024-05-03T10:00:00.000Z"}  # fmt: skip
VACANCY = {"VacancyId": 1002, "Title": "Payroll Officer", "Reference": "VAC-1002",
           "VacancyStatus": {"Id": 1, "Description": "Live"}, "Location": {"Id": 11, "Description": "London"},
           "Company": {"Id": 7, "Description": "Acme Ltd"}, "Salary": {"Salary": 32000},
           "CreationDate": "2024-03-02T00:00:00.000Z", "ModificationDate": "2024-03-04T00:00:00.000Z"}  # fmt: skip
CANDIDATE = {"CandidateId": 20007, "FirstName": " Isla ", "Surname": "Evans", "EmailAddress": "isla@mail.example",
             "MobileTelephone": "07700 900123", "HomeTelephone": "", "Source": {"Id": 3, "Description": "LinkedIn"},
             "Address": {"Town": "Leeds", "Postcode": "LS1 4AP",
                         "Country": {"Id": 826, "Description": "United Kingdom"}},
             "CreationDate": "2024-05-02T09:30:00.000Z", "ModificationDate": "2024-05-02T09:30:00.000Z"}  # fmt: skip
ACTION = {"ActionId": 90011, "ActionType": {"Id": 1, "Description": "Note"}, "Candidate": {"Id": 20007},
          "Application": {"Id": 50123}, "Vacancy": {"Id": 1002}, "User": {"Id": 2}, "Notes": "Strong <b>fit</b>\nCall",
          "ActionDate": "2024-05-04T11:00:00.000Z", "Duration": None,
          "CreationDate": "2024-05-04T11:00:00.000Z", "ModificationDate": "2024-05-04T11:00:00.000Z"}  # fmt: skip


def _one(records: Iterator[Any]) -> Any:
    (record,) = list(records)
    return record


def test_documented_shapes_map() -> None:
    job = _one(m.map_vacancy(VACANCY, CTX))
    assert (job.remote_id, job.fields["name"], job.fields["status"], job.fields["job_code"]) == (
        "1002", "Payroll Officer", "OPEN", "VAC-1002")  # fmt: skip
    assert job.fields["location"]["raw"] == "London" and job.fields["salary_amount"] == 32000.0
    cand = _one(m.map_candidate(CANDIDATE, CTX))
    assert (cand.fields["first_name"], cand.fields["last_name"], cand.fields["source"]) == ("Isla", "Evans", "LinkedIn")
    assert cand.fields["phone_numbers"] == [{"phone_number": "07700 900123", "type": "MOBILE"}]
    assert cand.fields["location"]["city"] == "Leeds" and cand.fields["location"]["country"] == "United Kingdom"
    app = _one(m.map_application(APPLICATION, CTX))
    assert app.fields["candidate_id"] == CTX.ref("candidates", "20007") and app.fields["job_id"] == CTX.ref(
        "jobs", 1002
    )
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "3")
    assert app.fields["outcome"] == "PENDING" and app.fields["remote_created_at"] == "2024-05-02T09:30:00.000Z"
    note = _one(m.map_action(ACTION, CTX))
    assert note.model == "notes" and note.fields["content_html"] == "<p>Strong &lt;b&gt;fit&lt;/b&gt;<br>Call</p>"
    assert note.fields["author_id"] == CTX.ref("users", "2") and note.fields["title"] == "Note"


def test_interview_actions_are_interviews_and_actions_without_a_candidate_are_skipped() -> None:
    call = {**ACTION, "ActionType": {"Id": 2, "Description": "Telephone Interview"}, "Duration": 45}
    interview = _one(m.map_action(call, CTX))
    assert interview.model == "interviews" and interview.fields["ending_at"] == "2024-05-04T11:45:00.000Z"
    assert interview.fields["application_id"] == CTX.ref("applications", "50123")
    assert m.map_action({**call, "Application": None}, CTX).__next__().model == "notes"  # no application: a note
    assert list(m.map_action({**ACTION, "Candidate": None, "Application": None}, CTX)) == []


def test_a_placement_hires_and_customer_statuses_go_through_the_status_map() -> None:
    def outcome(ctx: MapContext, **changes: Any) -> tuple[str, str | None]:
        app = _one(m.map_application({**APPLICATION, **changes}, ctx))
        return app.fields["outcome"], app.fields["rejection_reason_name"]

    assert outcome(CTX, Placement={"Id": 70001}) == ("HIRED", None)
    rejected = {"Stage": APPLICATION["Workflow"]["Stage"], "Status": {"Id": 2, "Description": "Rejected"}}
    assert outcome(CTX, Workflow=rejected) == ("DECLINED", "Rejected")
    own = {"Stage": APPLICATION["Workflow"]["Stage"], "Status": {"Id": 9, "Description": "Not Suitable - Skills"}}
    assert outcome(CTX, Workflow=own) == ("PENDING", None)
    mapped = MapContext("eploy:golden", status_map={"not suitable - skills": "DECLINED", "offer": "HIRED"})
    assert outcome(mapped, Workflow=own) == ("DECLINED", "Not Suitable - Skills")
    offer = {"Stage": {"Id": 4, "Description": "Offer"}, "Status": {"Id": 1, "Description": "In Progress"}}
    assert outcome(mapped, Workflow=offer) == ("HIRED", None)
    assert outcome(CTX, Workflow=None, Candidate=None)[0] == "PENDING"  # missing blocks never fail a sync


def _source(fake: FakeState) -> kit.KitSource:
    config, credentials = conformance_setup("http://eploy.test")
    info = IntegrationInfo("eploy:t", "eploy", config, credentials)
    transport = httpx.ASGITransport(app=create_app(state=fake))
    return kit.KitSource(API, API.client(info, transport), config, streams=kit.resolve(STREAMS))


def _read(fake: FakeState, name: str, since: datetime | None = None) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        source = _source(fake)
        stream = source.streams[name]
        try:
            return [row async for page in source.read(stream, since) for row in page]
        finally:
            await source.client.aclose()

    return asyncio.run(go())


def test_lists_are_post_searches_with_the_delta_filter_in_the_body() -> None:
    fake = FakeState.generate(seed=3, records=30, rate=None)
    fake.page_cap = 7
    assert len(_read(fake, "applications")) == 30
    searches = [e for e in fake.log.entries() if e.path == "/api/applications/search"]
    assert [e.json()["Paging"]["RequestedPage"] for e in searches] == [1, 2, 3, 4, 5]
    assert set(searches[0].json()["ResponseBlocks"]) >= {"ApplicationId", "Workflow", "Candidate", "Vacancy"}
    assert fake.auth is not None and getattr(fake.auth, "issued", 0) == 1  # one JSON grant for the whole listing
    fake.log.clear()
    changed = sorted(fake.applications)[4]
    fake.move(changed, (4, "Offer"))
    rows = _read(fake, "applications", since=datetime(2025, 1, 1, tzinfo=UTC))
    assert [r["ApplicationId"] for r in rows] == [changed]
    (delta,) = [e for e in fake.log.entries() if e.path == "/api/applications/search"]
    assert delta.json()["Filters"] == [{"Route": "Application.ModificationDate", "Operation": "GreaterThan",
                                        "Value": "2025-01-01T00:00:00Z"}]  # fmt: skip


def test_stages_are_learnt_from_the_applications() -> None:
    fake = FakeState.generate(seed=3, records=30, rate=None)
    stages = _read(fake, "stages")
    used = {a["Workflow"]["Stage"]["Id"] for a in fake.applications.values()}
    assert {int(s["Id"]) for s in stages} == used and all(s["Description"] for s in stages)


def test_the_fake_answers_the_recorded_bodies() -> None:
    from starlette.testclient import TestClient

    client = TestClient(create_app(rate_limit=None))
    grant = {"grant_type": "client_credentials", "client_id": "eploy_client", "client_secret": "eploy_secret"}
    assert client.post("/api/token", data=grant).status_code == 400  # a form is not Eploy's grant: JSON only
    token = client.post("/api/token", json=grant).json()
    recorded = json.loads((PAYLOADS / "token.response.json").read_text())
    assert set(token) == set(recorded) and token["expires_in"] <= 3599
    refused = client.post("/api/candidates/validatepasswordpolicy", json={"Password": "Bananas"},
                          headers={"Authorization": f"Bearer {token['access_token']}"})  # fmt: skip
    assert refused.status_code == 400
    assert refused.json() == json.loads((PAYLOADS / "candidates_validatepasswordpolicy.error.json").read_text())
    assert client.post("/api/token", json={**grant, "client_secret": "wrong"}).status_code == 401


def test_declaration() -> None:
    assert CONNECTOR.capabilities.models >= {"jobs", "candidates", "applications", "application_stages", "users",
                                             "notes", "interviews"}  # fmt: skip
    assert "offers" in CONNECTOR.capabilities.unavailable and "add_application_note" in CONNECTOR.actions
    with pytest.raises(StopIteration):
        next(s for s in STREAMS if s.name == "deleted")


def test_create_application_is_created_once_reuses_the_candidate_and_refuses_twice(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 24, None)
    with live("eploy", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = {j.remote_id: j for j in k.ats.get_jobs(page_size=50).result.data.results}
        live_ids = sorted(str(i) for i, vac in fake.vacancies.items() if vac["VacancyStatus"]["Description"] == "Live")
        email = f"Ada.{uuid.uuid4().hex[:6]}@x.example"
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        again = created_after_stall(v, jobs[live_ids[0]].id, cand, {"path": "/api/applications", "method": "POST"})
        people = [c for c in fake.candidates.values() if c["EmailAddress"] == email]
        assert len(people) == 1 and again.candidate is not None
        mine = [a for a in fake.applications.values() if a["Candidate"]["Id"] == people[0]["CandidateId"]]
        assert [str(a["ApplicationId"]) for a in mine] == [again.remote_id]
        other = k.ats.create_application(job_id=jobs[live_ids[1]].id, candidate={**cand, "email_address":
                                                                                  email.lower()}).data  # fmt: skip
        assert other.candidate is not None and other.candidate.remote_id == again.candidate.remote_id
        with pytest.raises(KomboAtsError) as twice:
            k.ats.create_application(job_id=jobs[live_ids[1]].id, candidate=cand)
        assert twice.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
        closed = next(i for i, vac in fake.vacancies.items() if vac["VacancyStatus"]["Description"] == "Closed")
        with pytest.raises(KomboAtsError) as shut:
            k.ats.create_application(job_id=jobs[str(closed)].id, candidate=cand)
        assert shut.value.data.error.code == "ATS.JOB_CLOSED"

"""JOIN: mapper tests on the documented field names (no JOIN payload was ever recorded: the job below lists the
fields a maintained client reads, reference §2.6 [conn]), then the vendor's quirks: the raw-token header,
422 on a bare ``GET /jobs``, create-once through ``updatedAtGte``, "already exists" as an existing application."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.join import CONNECTOR
from atsbridge.connectors.join import mappers as m
from atsbridge.connectors.join.api import API
from atsbridge.connectors.join.streams import STREAMS
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.join import FakeState, create_app
from atsbridge.model import write_bodies as bodies

CTX = MapContext("join:golden")
JOB = {"id": 7, "title": "Backend Engineer", "description": "<p>Hi</p>\\n", "createdAt": "2024-05-01T10:00:00.000Z",
       "lastUpdatedAt": "2024-05-02T10:00:00.000Z", "workplaceType": "HYBRID", "remoteType": None,
       "employmentTypeId": 1, "categoryId": 3, "seniorityId": 2, "language": "de", "status": "ONLINE",
       "office": {"name": "Berlin", "streetName": "Torstr.", "streetNumber": "1", "postalCode": "10119",
                  "city": "Berlin", "countryIso": "DE", "isDefault": True},
       "salary": {"from": 60000, "to": 80000, "currency": "EUR", "frequency": "PER_YEAR", "isShownOnJobAd": True},
       "contact": {"name": "Hanna", "email": "hanna@acme.example", "position": "Talent"}}  # fmt: skip


def test_job_fields_map() -> None:
    job = next(m.map_job(JOB, CTX))
    assert (job.remote_id, job.fields["name"], job.fields["status"]) == ("7", "Backend Engineer", "OPEN")
    assert job.fields["remote_work_status"] == "HYBRID"
    assert (job.fields["salary_amount_from"], job.fields["salary_period"]) == (60000.0, "YEAR")
    assert job.fields["location"]["street_1"] == "Torstr. 1" and job.fields["location"]["country"] == "DE"
    assert job.fields["custom_fields"]["contact"]["email"] == "hanna@acme.example"


def test_application_carries_its_candidate_and_the_status_map_decides_customer_statuses() -> None:
    raw = {"id": 11, "jobId": 7, "candidateId": 3, "status": "Trial day", "source": "REFERRALS",
           "candidate": {"id": 3, "email": "a@b.example", "firstName": "Ada", "lastName": "L", "phone": None},
           "createdAt": "2024-05-03T10:00:00.000Z", "updatedAt": "2024-05-04T10:00:00.000Z"}  # fmt: skip
    cand, app = list(m.map_application(raw, CTX))
    assert cand.remote_id == "3" and cand.fields["email_addresses"] == [{"email_address": "a@b.example", "type": None}]
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "3")
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "7")
    assert app.fields["outcome"] == "PENDING"
    assert m.outcome(raw, MapContext("join:golden", status_map={"trial day": "HIRED"})) == "HIRED"
    assert m.outcome({**raw, "status": "REJECTED"}) == "DECLINED"


def test_the_token_is_sent_raw_and_a_bearer_token_is_refused() -> None:
    client = TestClient(create_app(records=10, rate_limit=None))
    assert client.get("/v2/jobs?page=1", headers={"Authorization": "join_token"}).status_code == 200
    refused = client.get("/v2/jobs?page=1", headers={"Authorization": "Bearer join_token"})
    assert refused.status_code == 401 and refused.json()["error"]["type"] == "UNAUTHORIZED"
    bare = client.get("/v2/jobs", headers={"Authorization": "join_token"})
    assert bare.status_code == 422  # a bare GET /jobs: the pager always sends page and pageSize
    sent = httpx.Request("GET", "https://api.join.com/v2/jobs")
    info = IntegrationInfo("i", "join", {}, {"api_token": "tok"})
    assert next(API.auth.build(info, API.base_url, None).auth_flow(sent)).headers["Authorization"] == "tok"


def run(fake: FakeState, action: Callable[[kit.KitSource], Awaitable[WriteResult]]) -> WriteResult:
    info = IntegrationInfo("i", "join", {"base_url": "http://fake/v2"}, {"api_token": "join_token"})

    async def go() -> WriteResult:
        client = API.client(info, httpx.ASGITransport(app=create_app(state=fake)))
        source = kit.KitSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)
        try:
            return await action(source)
        finally:
            await source.aclose()

    return asyncio.run(go())


def _call(fake: FakeState, email: str = "new@mail.example") -> WriteCall[Any]:
    job = next(j for j, job in fake.jobs.items() if job["status"] == "ONLINE")
    person = bodies.NewCandidate(first_name="Noa", last_name="K", email_address=email, phone_number="+49301")
    body = bodies.CreateApplication(candidate=person, source=bodies.Source(name="referrals"))
    return WriteCall("create_application", "i", body, job_remote_id=str(job),
                     files=[FileData("cv.pdf", "CV", "application/pdf", b"%PDF")])  # fmt: skip


def test_create_sends_documents_inline_and_a_retry_finds_the_application_by_update_time() -> None:
    fake = FakeState.generate(2, 20, rate=None)
    call = _call(fake)
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    made = fake.applications[int(result.created["application_remote_id"])]
    assert made["source"] == "REFERRALS" and made["documents"] == [{"type": "CV", "name": "cv.pdf"}]
    assert made["integrationExternalId"].startswith("atsbridge:i:") and made["candidate"]["phone"] == "+49301"
    assert result.created["candidate_remote_id"] == str(made["candidateId"])
    retry = _call(fake)
    retry.progress = {
        "application_create_started": int(parse_ts(made["createdAt"]).timestamp() * 1000)
    }  # the first answer was lost
    again = run(fake, lambda s: CONNECTOR.actions["create_application"](s, retry))
    assert again.created["application_remote_id"] == result.created["application_remote_id"]
    assert len(fake.log.writes()) == 1


def test_already_exists_is_an_existing_application() -> None:
    fake = FakeState.generate(2, 20, rate=None)
    run(fake, lambda s: CONNECTOR.actions["create_application"](s, _call(fake, "twice@mail.example")))
    with pytest.raises(AlreadyApplied):
        run(fake, lambda s: CONNECTOR.actions["create_application"](s, _call(fake, "twice@mail.example")))

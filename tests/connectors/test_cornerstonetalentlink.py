"""Cornerstone TalentLink: golden mapper tests on the documented shapes (no payload was recorded), the outcome
rule, the GraphQL-like query with the delta filter in its ``where``, the three-part auth, the fake's field
selection, and the candidate POST's create-once through the SDK."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine
from starlette.testclient import TestClient

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.cornerstonetalentlink import mappers as m
from atsbridge.connectors.cornerstonetalentlink.api import API, CANDIDATES
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.core.config import Settings
from atsbridge.fakes.cornerstonetalentlink import PREFIX, PROBE, FakeState, create_app
from atsbridge.fakes.kit.ndjson import parse_ndjson
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("cornerstonetalentlink:golden")
#: Shapes as HrFlow's connector asks for them (``PublishedAdvertDTO``, ``candidateFullDto``); nested ones [gap].
ADVERT = {"id": 501, "status": "PUBLISHED", "postingStartDate": 1700000000000, "postingEndDate": None,
          "creationDate": 1699000000000, "updateDate": 1700000000000, "jobAdTitle": "Nurse (m/f/d)",
          "advertId": "ADV501", "opening": {"id": 77, "jobNumber": "REQ-77", "jobTitle": "Nurse"},
          "jobLocations": [{"city": "Lyon", "zip": "69002", "countryName": "France"}], "hybrid": True}  # fmt: skip
CANDIDATE = {"id": 9, "firstname": "Léa", "lastname": "Dubois", "email": "lea@x.example", "srcChannelName": "LinkedIn",
             "origin": "API", "creation": 1579978410000, "update": 1580000000000, "status": "ACTIVE",
             "anonymous": False, "partiallyDeleted": False,
             "address": {"city": "Lyon", "zip": "69002", "countryName": "France", "mobilePhone": "+33 6 1"},
             "tags": [{"id": 3, "name": "Referral", "icon": None, "category": {"id": 1}}],
             "attachments": [{"id": 44, "mimeType": "application/pdf", "fileName": "cv.pdf", "type": "CV",
                              "fileUrl": {"href": "https://x/tlk/rest/candidate/9/attachments/44/file"}}]}  # fmt: skip
APPLICATION = {"id": 1234, "sourceChannelName": "LinkedIn", "creation": 1579978410000, "update": 1580000000000,
               "applicationDate": 1579978410000, "status": "Interview", "archived": False,
               "completionReason": None, "candidate": {"id": 9}, "opening": {"id": 77}}  # fmt: skip


def test_documented_shapes_map() -> None:
    (job,) = m.map_advert(ADVERT, CTX)
    assert job.remote_id == "77" and job.fields["job_code"] == "REQ-77" and job.fields["name"] == "Nurse (m/f/d)"
    assert (job.fields["status"], job.fields["remote_work_status"]) == ("OPEN", "HYBRID")
    assert job.fields["location"]["city"] == "Lyon" and job.fields["opened_at"] == "2023-11-14T22:13:20.000Z"
    cand, tag, doc = m.map_candidate(CANDIDATE, CTX)
    assert cand.fields["email_addresses"] == [{"email_address": "lea@x.example", "type": "PERSONAL"}]
    assert cand.fields["phone_numbers"] == [{"phone_number": "+33 6 1", "type": "MOBILE"}]
    assert cand.fields["remote_created_at"] == "2020-01-25T18:53:30.000Z" and cand.fields["source"] == "LinkedIn"
    assert cand.nested == {"tag_ids": [CTX.ref("tags", 3)]} and (tag.remote_id, tag.fields["name"]) == ("3", "Referral")
    assert doc.remote_id == "9/44" and (doc.fields["type"], doc.fields["content_type"]) == ("CV", "application/pdf")
    app, stage = m.map_application(APPLICATION, CTX)
    assert app.fields["job_id"] == CTX.ref("jobs", 77) and app.fields["candidate_id"] == CTX.ref("candidates", 9)
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "Interview") == stage.id
    assert app.fields["outcome"] == "PENDING" and stage.fields["name"] == "Interview"


def test_status_then_completion_reason_then_archived_decide_the_outcome() -> None:
    def outcome(ctx: MapContext = CTX, **changes: object) -> str:
        return str(next(iter(m.map_application({**APPLICATION, **changes}, ctx))).fields["outcome"])

    assert outcome(status="Hired") == "HIRED" and outcome(status="Rejected") == "DECLINED"
    assert outcome(completionReason="Withdrawn") == "DECLINED"
    assert outcome(archived=True) == "PENDING"  # archived without a reason says nothing
    assert outcome(archived=True, completionReason="Position filled") == "DECLINED"
    custom = MapContext("cornerstonetalentlink:golden", status_map={"contract signed": "HIRED", "rejected": "PENDING"})
    assert outcome(custom, status="Contract signed") == "HIRED" and outcome(custom, status="Rejected") == "PENDING"
    (app, _) = m.map_application({**APPLICATION, "status": "Rejected", "completionReason": "Too junior"}, CTX)
    assert app.fields["rejection_reason_name"] == "Too junior"


def test_the_query_carries_paging_and_the_delta_filter() -> None:
    first = CANDIDATES.first(PageRequest("GET", "/candidate", {"update_ge": 1700000000000, "email_eq": "a@b.c"}))
    query = str((first.params or {})["query"])
    assert query.startswith('{ candidates(first: 100, after: 0, sortBy: id, orderBy: ASC, where: {email_eq: "a@b.c", '
                            "update_ge: 1700000000000}) {id, firstname")  # fmt: skip
    assert (first.params or {})["stream"] == "true"
    rows = {"data": {"candidates": [{"id": 1}] * 7}}
    second = CANDIDATES.next(first, httpx.Response(200), rows)
    assert second is not None and "after: 7," in str((second.params or {})["query"])


def test_auth_sends_the_user_headers_and_the_key_in_the_query() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"")

    info = IntegrationInfo("tl:test", "cornerstonetalentlink", {},
                           {"company": "Acme", "username": "api", "password": "pw", "api_key": "k1"})  # fmt: skip

    async def go() -> None:
        client = API.client(info, httpx.MockTransport(handler))
        try:
            await client.request("GET", "/candidate", params={"stream": "true"})
        finally:
            await client.aclose()

    asyncio.run(go())
    (request,) = seen
    assert (request.headers["username"], request.headers["password"]) == ("Acme:api:BO", "pw")
    assert request.url.params["api_key"] == "k1" and request.url.params["stream"] == "true"


def test_the_fake_answers_selected_fields_as_ndjson_and_refuses_big_pages() -> None:
    client = TestClient(create_app(seed=2, records=30, rate_limit=None))
    path, headers = PROBE
    assert client.get(path, headers=headers).status_code == 200
    assert client.get(path, headers={**headers, "password": "nope"}).status_code == 401
    q = "{ candidates(first: 15, after: 0, sortBy: id, orderBy: ASC) {id, email} }"
    answer = client.get(f"{PREFIX}/candidate", params={"query": q, "stream": "true", "api_key": "tl_key"},
                        headers=headers)  # fmt: skip
    chunks = parse_ndjson(answer.content)
    assert [len(c["data"]["candidates"]) for c in chunks] == [10, 5]
    assert set(chunks[0]["data"]["candidates"][0]) == {"id", "email"}
    big = q.replace("first: 15", "first: 500")
    refused = client.get(f"{PREFIX}/candidate", params={"query": big, "api_key": "tl_key"}, headers=headers)
    assert refused.status_code == 400 and "first" in refused.json()["errors"][0]


def test_apply_is_created_once_after_a_stall(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("cornerstonetalentlink", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = k.ats.get_jobs(page_size=50).result.data.results
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email, "phone_number": "+44 7"}
        again = created_after_stall(v, jobs[0].id, cand)
        mine = [c for c in fake.candidates.values() if c["email"] == email]
        assert len(mine) == 1 and mine[0]["address"]["mobilePhone"] == "+44 7"
        apps = [a for a in fake.applications.values() if a["_candidate"] == str(mine[0]["id"])]
        assert [str(a["id"]) for a in apps] == [again.remote_id] and apps[0]["_opening"] == jobs[0].remote_id
        assert again.candidate is not None and again.candidate.remote_id == str(mine[0]["id"])
        with pytest.raises(KomboAtsError) as info:
            k.ats.add_application_note(application_id=again.id, content="x", content_type="PLAIN_TEXT")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"


def test_an_application_filed_asynchronously_is_awaited_and_never_doubled(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(4, 20, None)
    with live("cornerstonetalentlink", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        fake.filing_delay = 2  # filed two list requests after the POST
        k = v.sdk()
        job = k.ats.get_jobs(page_size=50).result.data.results[1]
        email = new_email("grace")
        cand = {"first_name": "Grace", "last_name": "Hopper", "email_address": email}
        # created, never heard; the application not filed yet
        made = created_after_stall(v, job.id, cand)
        mine = [c for c in fake.candidates.values() if c["email"] == email]
        apps = [a for a in fake.applications.values() if mine and a["_candidate"] == str(mine[0]["id"])]
        assert len(mine) == 1 and [str(a["id"]) for a in apps] == [made.remote_id] and not fake.pending

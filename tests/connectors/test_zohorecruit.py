"""Zoho Recruit connector: golden tests on the recorded write answers (unchanged) and on the documented record
shapes (no list payload was ever recorded), then the vendor's true quirks: the data centre's hosts, the
``Zoho-oauthtoken`` refresh grant and its HTTP 200 refusals, ``If-Modified-Since`` with bodiless 304/204
answers, and the writes' item-level refusals. Shared behaviour is the contract suite's."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.zohorecruit import CONNECTOR
from atsbridge.connectors.zohorecruit import mappers as m
from atsbridge.connectors.zohorecruit.actions import item
from atsbridge.connectors.zohorecruit.api import API
from atsbridge.connectors.zohorecruit.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.zohorecruit import FakeState, create_app
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads, sync_now
from tests.connectors.test_bamboohr import changed_rows, live, retire, snapshot

PAY = payloads("zohorecruit")
CTX = MapContext("zohorecruit:golden")
FAKE = FakeState.generate(seed=1, records=30, rate=None)


def test_recorded_write_answers() -> None:
    """The change-status answer is doubly nested (``data[[...]]``); associate's ``details.ids`` is a string."""
    status = item(json.loads((PAY / "change_status.response.json").read_text()))
    assert (status["code"], status["details"]["id"]) == ("SUCCESS", "568998000001714001")
    associated = item(json.loads((PAY / "associate_candidate.response.json").read_text()))
    assert associated["details"] == {"jobid": "100001000000025001", "ids": "[100001000000027002, 100001000000027011]"}
    with pytest.raises(RemoteError):
        item({"data": []})


def test_documented_shapes_map() -> None:
    app = next(a for a in FAKE.applications.values())
    app = {**app, "Application_Status": "Offer-Declined"}
    (mapped,) = m.map_application(app, CTX)
    assert (mapped.fields["outcome"], mapped.fields["rejection_reason_name"]) == ("DECLINED", "Offer-Declined")
    assert mapped.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "Offer-Declined")
    assert mapped.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", app["Candidate_Name"]["id"])
    cand = next(c for c in FAKE.candidates.values() if c["Associated_Tags"])
    (c,) = m.map_candidate({**cand, "Mobile": "+91 1", "Custom_Score__c": 7}, CTX)
    assert c.fields["phone_numbers"] == [{"phone_number": "+91 1", "type": None}]
    assert c.fields["custom_fields"] == {"Candidate_ID": cand["Candidate_ID"], "Full_Name": cand["Full_Name"],
                                        "Origin": "Added by User", "Experience_in_Years": cand["Experience_in_Years"],
                                        "Skill_Set": "Java, SQL", "Candidate_Status": "New", "Is_Locked": False,
                                        "Rating": None, "Custom_Score__c": 7}  # fmt: skip
    assert c.nested["tag_ids"] == [record_id(CTX.integration_id, "tags", cand["Associated_Tags"][0]["id"])]
    job = next(j for j in FAKE.jobs.values() if j["Job_Opening_Status"] == "Filled")
    (j,) = m.map_job(job, CTX)
    assert (j.fields["status"], j.fields["employment_type"]) == ("CLOSED", "PART_TIME")
    assert j.fields["job_code"] == "ZR_5_JOB"
    assert j.fields["location"]["raw"] == "Chennai, TN, India" and j.fields["closed_at"] is not None
    fields = {"api_name": "Application_Status", "pick_list_values": [
        {"display_value": "-None-", "actual_value": "-None-"}, {"display_value": "Hired", "actual_value": "Hired"},
        {"display_value": "Not a fit", "actual_value": "Rejected"}]}  # fmt: skip
    stages = list(m.map_stage_field(fields, CTX))
    assert [(r.model, r.remote_id, r.fields["name"]) for r in stages] == [
        ("application_stages", "Hired", "Hired"), ("application_stages", "Rejected", "Not a fit"),
        ("rejection_reasons", "Rejected", "Not a fit")]  # fmt: skip


def test_customer_statuses_follow_the_integrations_status_map() -> None:
    app = {**next(iter(FAKE.applications.values())), "Application_Status": "Talent pool"}
    assert next(iter(m.map_application(app, CTX))).fields["outcome"] == "PENDING"
    ctx = MapContext("zohorecruit:mapped", status_map={"talent pool": "DECLINED", "hired": "PENDING"})
    assert next(iter(m.map_application(app, ctx))).fields["outcome"] == "DECLINED"
    hired = {**app, "Application_Status": "Hired"}
    assert next(iter(m.map_application(hired, ctx))).fields["outcome"] == "PENDING"  # the map wins
    assert next(iter(m.map_application(hired, CTX))).fields["outcome"] == "HIRED"


def _source(config: dict[str, Any], handler: Any, refresh: str = "rt") -> kit.KitSource:
    creds = {"client_id": "cid", "client_secret": "sec", "refresh_token": refresh}
    info = IntegrationInfo("zr", "zohorecruit", config, creds)
    return kit.KitSource(API, API.client(info, httpx.MockTransport(handler)), config, streams=kit.resolve(STREAMS))


def test_the_data_centre_picks_both_hosts_and_the_header_is_zoho_oauthtoken() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/v2/token":
            return httpx.Response(200, json={"access_token": "1000.tok", "expires_in": 3600, "api_domain": "x"})
        return httpx.Response(204)  # Zoho's "no records": no body

    async def go() -> list[list[Any]]:
        source = _source({"region": "eu"}, handler)
        try:
            return [page async for page in source.listing("users", "/Candidates", {"x": "1"})]
        finally:
            await source.aclose()

    assert asyncio.run(go()) == [[]]
    token, listing = seen
    assert str(token.url) == "https://accounts.zoho.eu/oauth/v2/token"
    assert dict(httpx.QueryParams(token.content.decode())) == {"grant_type": "refresh_token", "refresh_token": "rt",
                                                               "client_id": "cid", "client_secret": "sec"}  # fmt: skip
    assert str(listing.url).startswith("https://recruit.zoho.eu/recruit/v2/Candidates?")
    assert listing.headers["authorization"] == "Zoho-oauthtoken 1000.tok"


def test_a_refused_refresh_token_answered_with_200_is_invalid_credentials() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "accounts.zoho.com"
        return httpx.Response(200, json={"error": "invalid_code"})

    async def go() -> None:
        source = _source({"region": "com"}, handler)
        try:
            await source.get_json("/users")
        finally:
            await source.aclose()

    with pytest.raises(RemoteError) as info:
        asyncio.run(go())
    assert info.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and "invalid_code" in info.value.message


def test_one_token_serves_every_client_and_the_accounts_throttle_is_not_bad_credentials() -> None:
    """Each sync, write and check builds a client, and Zoho Accounts throttles token requests per refresh
    token: a fresh token is reused. Its "too many requests" refusal (HTTP 400) is a rate limit, not a 401."""
    tokens: list[str] = []
    throttle = {"error": "Access Denied", "error_description": "You have made too many requests continuously."}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/v2/token":
            tokens.append(request.url.host)
            if "throttled" in request.content.decode():
                return httpx.Response(400, json=throttle)
            return httpx.Response(200, json={"access_token": f"1000.t{len(tokens)}", "expires_in": 3600})
        return httpx.Response(200, json={"users": [], "info": {"more_records": False}})

    async def get(config: dict[str, Any], refresh: str = "rt") -> None:
        source = _source(config, handler, refresh)
        try:
            await source.get_json("/users")
        finally:
            await source.aclose()

    region = {"region": "jp", "token_url": f"https://accounts.zoho.jp/oauth/v2/token?{uuid.uuid4().hex}"}
    asyncio.run(get(region))
    asyncio.run(get(region))
    assert tokens == ["accounts.zoho.jp"]
    with pytest.raises(RemoteError) as info:
        asyncio.run(get(region, "throttled"))
    assert info.value.code == "REMOTE.RATE_LIMIT_EXCEEDED" and info.value.retryable


@dataclass
class Zoho:
    fake: FakeState
    integration_id: str


@pytest.fixture
def zoho(engine: Engine, settings: Settings, environment: str) -> Iterator[Zoho]:
    fake = FakeState.generate(seed=3, records=30, rate=None)
    fake.page_cap = 7  # several pages: info.more_records drives the paging
    with serve_asgi(create_app(state=fake)) as url:
        config = {"region": "com", "base_url": f"{url}/recruit/v2", "token_url": f"{url}/oauth/v2/token",
                  "requests_per_second": 5000, "sync_all_applications": True, "timeout_seconds": 2.0}  # fmt: skip
        creds = {"client_id": fake.client_id, "client_secret": fake.client_secret, "refresh_token": fake.refresh_token}
        iid = create_integration(engine, settings, environment, "zohorecruit", "Org", config=config, credentials=creds)
        try:
            yield Zoho(fake, iid)
        finally:
            retire(engine, iid)


def test_deltas_send_if_modified_since_and_read_304_as_nothing_changed(
    engine: Engine, settings: Settings, zoho: Zoho
) -> None:
    fake, iid = zoho.fake, zoho.integration_id
    sync_now(engine, settings, iid, full=True)
    assert len(live(engine, iid, "applications")) == 30 and len(live(engine, iid, "application_stages")) == 9
    before = snapshot(engine, iid, CONNECTOR.capabilities.models)
    fake.log.clear()
    sync_now(engine, settings, iid, full=False)
    quiet = {(e.path, e.status) for e in fake.log.entries()}
    assert ("/recruit/v2/Candidates", 304) in quiet and ("/recruit/v2/Candidates/deleted", 304) in quiet
    assert not any("If-Modified-Since" in e.query for e in fake.log.entries())  # a header, never the query
    assert changed_rows(before, engine, iid) == {}
    cand = next(iter(fake.candidates))
    fake.touch(fake.candidates[cand], Current_Employer="Initech")
    gone = next(c for c in fake.candidates if c != cand)
    fake.delete("Candidates", gone)
    sync_now(engine, settings, iid, full=False)
    changed = changed_rows(before, engine, iid)
    assert changed.keys() == {"candidates", "applications"} and changed["candidates"] == {cand, gone}
    assert len(changed["applications"]) == 1  # the deleted candidate's, from the Applications deletion feed
    assert live(engine, iid, "candidates")[cand]["company"] == "Initech" and gone not in live(engine, iid, "candidates")


def test_writes_and_their_item_level_refusals(engine: Engine, settings: Settings, server: Server, zoho: Zoho) -> None:
    fake, iid = zoho.fake, zoho.integration_id
    sync_now(engine, settings, iid, full=True)
    with engine.begin() as conn:
        key = platform.create_api_key(conn, platform.get_integration(conn, iid).environment_id, "t")  # type: ignore[union-attr]
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    job = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.status == "OPEN")
    qualified = next(s for s in job.stages if s.remote_id == "Qualified")
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
    extra = {"zohorecruit": {"candidate": {"Skill_Set": "Analytical engines"}}}
    app = k.ats.create_application(job_id=job.id, candidate=cand, stage_id=qualified.id, remote_fields=extra).data
    vendor = fake.applications[app.remote_id]
    assert vendor["Application_Status"] == "Qualified" and app.current_stage_id == qualified.id
    assert fake.candidates[vendor["Candidate_Name"]["id"]]["Skill_Set"] == "Analytical engines"
    # the same person on another job: Zoho answers DUPLICATE_DATA naming the candidate, which is reused
    other = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.status == "OPEN" and j.id != job.id)
    second = k.ats.create_application(job_id=other.id, candidate=cand).data
    assert fake.applications[second.remote_id]["Candidate_Name"]["id"] == vendor["Candidate_Name"]["id"]
    with pytest.raises(KomboAtsError) as info:  # ALREADY_ASSOCIATED (an item refused inside a 400)
        k.ats.create_application(job_id=job.id, candidate=cand)
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    reason = next(r for r in k.ats.get_rejection_reasons().result.data.results if r.remote_id == "Offer-Declined")
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Took another offer")
    assert fake.applications[app.remote_id]["Application_Status"] == "Offer-Declined"
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].outcome == "DECLINED"
    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": "Pioneer"})
    assert [t["name"] for t in fake.candidates[vendor["Candidate_Name"]["id"]]["Associated_Tags"]] == ["Pioneer"]
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "Pioneer"})
    assert fake.candidates[vendor["Candidate_Name"]["id"]]["Associated_Tags"] == []

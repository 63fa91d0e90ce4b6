"""JazzHR connector: golden tests on the SDK-documented shapes (no REST answer was ever recorded), and the
vendor's true quirks: the key in the query (never in an error or a log), ``/page/{n}`` path paging with a
one-record page sent as a bare object, the ``/hires`` + step-name outcome rule, and the writes' create-once
behaviour against the stateful fake through the ``kombo`` SDK."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
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
from atsbridge.connectors.jazzhr import mappers as m
from atsbridge.connectors.jazzhr.api import API
from atsbridge.connectors.jazzhr.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.logredact import redact
from atsbridge.fakes.jazzhr import FakeState, create_app
from atsbridge.fakes.jazzhr.state import HIRED, NOT_HIRED
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server
from tests.connectors.test_bamboohr import changed_rows, live, retire, run, snapshot

CTX = MapContext("jazzhr:golden")
#: The SDK's ``ApplicantDetail`` fields; ``comments`` and ``categories`` hold one item each, so JazzHR sends
#: the bare object (the SDK's ``SingleOrArrayConverter``).
DOC_DETAIL = {
    "id": "prospect_20240105101010_ABC", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
    "address": "", "location": "Austin, TX", "phone": "5125550100", "linkedin_url": "https://linkedin.com/in/ada",
    "website": "", "twitter_username": "ada", "source": "Indeed", "apply_date": "2024-01-05", "recruiter_id": "",
    "desired_salary": "90000", "jobs": {"job_id": "job_1", "job_title": "Engineer", "workflow_step_id": "8326113",
                                        "applicant_progress": "Not Hired"},
    "comments": {"id": "901", "author_id": "usr_1", "author_name": "Sam Admin", "text": "Great call",
                 "date": "2024-01-06", "time": "14:05:00"},
    "categories": {"category_id": "880", "name": "Referral", "date_created": "2024-01-01", "status": "1"},
}  # fmt: skip
DOC_ROW = {"id": "prospect_20240105101010_ABC", "first_name": "Ada", "last_name": "Lovelace",
           "prospect_phone": "5125550100", "apply_date": "2024-01-05",
           "job_id": "job_1", "job_title": "Engineer"}  # fmt: skip
#: ``applicants2jobs`` (``date`` is often the zero date, per the Airbyte schema) and ``/hires``.
DOC_A2J = {"id": "projob_1", "applicant_id": DOC_ROW["id"], "job_id": "job_1", "rating": 0,
           "workflow_step_id": 8326113, "date": "0000-00-00"}  # fmt: skip
DOC_HIRE = {"id": "89664433", "applicant_id": DOC_ROW["id"], "job_id": "job_1", "workflow_step_id": "8326113",
            "workflow_step_name": "Full Time", "hired_date": "2024-02-01", "hired_time": "09:30:00"}  # fmt: skip


def test_documented_shapes_map() -> None:
    cand, note = m.map_applicant({**DOC_ROW, "_detail": DOC_DETAIL}, CTX)
    assert cand.fields["email_addresses"] == [{"email_address": "ada@example.com", "type": None}]
    assert cand.fields["social_media"][0]["link"] == "https://linkedin.com/in/ada"
    assert cand.fields["social_media"][1] == {"type": "twitter", "link": None, "username": "ada"}
    assert cand.nested == {"tag_ids": [record_id(CTX.integration_id, "tags", "880")]}
    assert (note.remote_id, note.fields["content_html"]) == ("901", "Great call")
    assert note.fields["candidate_id"] == cand.id and note.fields["remote_created_at"] == "2024-01-06T14:05:00.000Z"
    (app,) = m.map_application({**DOC_A2J, "_hire": None, "_progress": "Not Hired"}, CTX)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Not Hired")
    assert app.fields["remote_created_at"] is None and app.fields["candidate_id"] == cand.id
    (user,) = m.map_user({"id": "usr_1", "type": "super_admin", "first_name": "Sam", "last_name": "A",
                          "email": "sam@acme.example", "date_created": "2020-01-01"}, CTX)  # fmt: skip
    assert user.nested == {"system_roles": [{"remote_id": "super_admin", "remote_label": "super_admin",
                                             "unified_type": "ADMIN", "scope": "SYSTEM"}]}  # fmt: skip
    (job,) = m.map_job({"id": "job_1", "title": "Engineer", "status": "On Hold", "city": "Austin",
                        "original_open_date": "2023-12-01", "hiring_lead": "usr_1"}, CTX)  # fmt: skip
    assert (job.fields["status"], job.fields["location"]["city"]) == ("CLOSED", "Austin")
    assert job.nested["hiring_team"] == [{"user_id": user.id, "hiring_team_roles": ["HIRING_MANAGER"],
                                          "job_roles": []}]  # fmt: skip


def test_outcome_is_hires_first_then_the_step_name_then_the_status_map() -> None:
    hired = {**DOC_A2J, "_hire": DOC_HIRE, "_progress": "Full Time"}
    (app,) = m.map_application(hired, CTX)
    assert app.fields["outcome"] == "HIRED" and app.fields["custom_fields"]["hired_at"] == "2024-02-01T09:30:00Z"
    assert m.outcome({**DOC_A2J, "_progress": "Hired"}) == "HIRED"
    assert m.outcome({**DOC_A2J, "_progress": "Phone Screen"}) == "PENDING"
    mapped = MapContext("jazzhr:mapped", status_map={"withdrew": "DECLINED", "8326113": "DECLINED"})
    assert m.outcome({**DOC_A2J, "workflow_step_id": 1, "_progress": "Withdrew"}, mapped) == "DECLINED"
    assert m.outcome({**DOC_A2J, "_progress": "Offer"}, mapped) == "DECLINED"  # by step id
    assert m.outcome(hired, MapContext("x", status_map={"hired": "PENDING"})) == "PENDING"  # the map wins


def _source(handler: Any, key: str = "k3y-SECRET") -> kit.KitSource:
    info = IntegrationInfo("jazzhr:t", "jazzhr", {"base_url": "https://jazz.test/v1"}, {"api_key": key})
    client = API.client(info, httpx.MockTransport(handler))
    return kit.KitSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)


def test_paging_is_a_path_segment_and_one_record_is_a_bare_object() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.path}?{request.url.query.decode()}")
        page = int(request.url.path.rsplit("/", 1)[1])
        rows = [{"id": f"usr_{page}_{i}"} for i in range(100)]
        return httpx.Response(200, json=rows if page < 3 else {"id": "usr_last"})

    async def listed() -> list[Any]:
        return await _source(handler).all_records("users", "/users")

    found = asyncio.run(listed())
    assert len(found) == 201 and found[-1] == {"id": "usr_last"}
    assert seen == [f"/v1/users/page/{n}?apikey=k3y-SECRET" for n in (1, 2, 3)]
    assert kit.as_list({"id": "1"}) == [{"id": "1"}] and kit.as_list([]) == [] and kit.as_list(None) == []


def test_the_key_never_reaches_an_error_or_a_log_line() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": "Not found"})

    with pytest.raises(RemoteError) as info:
        asyncio.run(_source(handler).get_json("/applicants/prospect_1"))
    assert "k3y-SECRET" not in str(info.value) and info.value.status == 404
    line = redact("GET https://api.resumatorapi.com/v1/users/page/1?apikey=k3y-SECRET failed")
    assert "k3y-SECRET" not in line and "apikey=[redacted]" in line


@pytest.fixture
def jazz(engine: Engine, settings: Settings, environment: str) -> Iterator[tuple[FakeState, str]]:
    app = create_app(seed=4, records=30, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": f"{url}/v1", "requests_per_second": 5000, "sync_all_applications": True,
                  "timeout_seconds": 1.0}  # fmt: skip
        iid = create_integration(engine, settings, environment, "jazzhr", "Org", config=config,
                                 credentials={"api_key": "jazz_key"})  # fmt: skip
        try:
            yield app.state.fake, iid
        finally:
            retire(engine, iid)


def test_delta_finds_changes_by_full_listing(engine: Engine, settings: Settings, jazz: tuple[FakeState, str]) -> None:
    """No updated-since filter: each run lists everything, and only what changed is rewritten."""
    fake, iid = jazz
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    before = snapshot(engine, iid, frozenset({"candidates", "applications", "notes"}))
    pending = [k for k, a in fake.applications.items() if a["workflow_step_id"] not in (HIRED, NOT_HIRED)]
    hired, rejected = pending[:2]
    fake.hire(hired)
    fake.move(rejected, NOT_HIRED)
    edited = fake.applications[pending[2]]["applicant_id"]
    fake.applicants[edited]["email"] = "new@mail.example"
    assert run(engine, settings, iid, full=False).status == "SUCCEEDED"
    assert changed_rows(before, engine, iid) == {"applications": {hired, rejected}, "candidates": {edited}}
    apps = live(engine, iid, "applications")
    assert (apps[hired]["outcome"], apps[rejected]["outcome"]) == ("HIRED", "DECLINED")


def test_writes_are_created_once(
    engine: Engine, settings: Settings, server: Server, jazz: tuple[FakeState, str]
) -> None:
    fake, iid = jazz
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    with engine.begin() as conn:
        found = platform.get_integration(conn, iid)
        assert found is not None
        key = platform.create_api_key(conn, found.environment_id, "t")
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    job = next(j for j in fake.jobs.values() if j["status"] == "Open")
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    fake.faults.stall_after_commit(1, 2.5, path="/v1/applicants")
    with pytest.raises(KomboAtsError):
        k.ats.create_application(job_id=f"remote:{job['id']}", candidate=cand, http_headers=headers)
    made = k.ats.create_application(job_id=f"remote:{job['id']}", candidate=cand, http_headers=headers).data
    assert made.candidate is not None
    assert [a["id"] for a in fake.applicants.values() if a["email"] == email] == [made.candidate.remote_id]
    assert fake.applications[made.remote_id]["job_id"] == job["id"]
    categories = len(fake.categories)
    fake.faults.stall_after_commit(1, 2.5, path="/v1/categories")
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    with pytest.raises(KomboAtsError):
        k.ats.add_candidate_tag(candidate_id=made.candidate_id, tag={"name": "Night shift"}, http_headers=headers)
    k.ats.add_candidate_tag(candidate_id=made.candidate_id, tag={"name": "Night shift"}, http_headers=headers)
    assert len(fake.categories) == categories + 1
    k.ats.add_candidate_tag(candidate_id=made.candidate_id, tag={"name": "referral"})  # the account's own
    assert len(fake.categories) == categories + 1
    held = fake.applicants[made.candidate.remote_id]["categories"]
    assert [c["name"] for c in held] == ["Night shift", "Referral"]
    with pytest.raises(KomboAtsError) as info:
        k.ats.move_application_to_stage(application_id=made.id, stage_id="remote:1002")
    assert info.value.data.error.code in ("INTEGRATION.ACTION_NOT_AVAILABLE", "PLATFORM.INPUT_INVALID")

"""Personio connector: golden tests on the documented v2 shapes (no payload was ever recorded), syncs against
the stateful fake (SQLite and PostgreSQL), and the one write through the ``kombo==1.4.0`` SDK."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.personio import CONNECTOR
from atsbridge.connectors.personio import mappers as m
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.personio import FakeState, create_app
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.connectors.test_bamboohr import changed_rows, deleted, live, retire, run, snapshot

CTX = MapContext("personio:golden")
#: The documented v2 application shape (reference §4), as a Personio client reports it.
DOC_APPLICATION = {
    "id": "app_1", "application_date": "2025-03-01",
    "candidate": {"id": "cand_1", "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace",
                  "gender": None},
    "job": {"id": "job_1", "name": "Engineer", "department": {"id": "d1", "name": "Tech"}, "category": None},
    "current_stage": {"id": None, "kind": "system", "name": "Rejected", "type": "rejected"},
    "channel": {"id": "ch", "name": "LinkedIn"}, "hiring_team": [], "is_anonymized": False,
    "created_at": {"date-time": "2025-03-01T10:00:00.000Z", "timezone": "Europe/Berlin"},
    "updated_at": {"date-time": "2025-03-05T10:00:00.000Z", "timezone": "Europe/Berlin"},
}  # fmt: skip


def test_documented_shapes_map() -> None:
    (app,) = m.map_application(DOC_APPLICATION, CTX)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Rejected")
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "job_1:rejected")
    assert app.fields["remote_updated_at"] == "2025-03-05T10:00:00.000Z"
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "cand_1")
    assert m.outcome({"type": "accepted"}) == ("HIRED", None) and m.outcome({"type": "custom"})[0] == "PENDING"
    stages = [{"id": None, "kind": "system", "name": None, "type": "unassigned"},
              {"id": "s7", "kind": "custom", "name": "Phone screen", "type": "custom"}]  # fmt: skip
    created = {"date-time": "2025-01-01T00:00:00Z", "timezone": "UTC"}
    job, first, custom = m.map_job({"id": "job_1", "name": "Engineer", "_stages": stages, "created_at": created}, CTX)
    assert job.fields["remote_created_at"] == "2025-01-01T00:00:00.000Z"
    assert (first.remote_id, first.fields["name"]) == ("job_1:unassigned", "Unassigned")
    assert custom.remote_id == "job_1:s7" and custom.fields["custom_fields"]["kind"] == "custom"
    (cand,) = m.map_candidate({"id": "c", "first_name": "A", "email": "a@x.io", "linkedin_profile": "https://li/a",
                               "created_at": "2025-01-01T00:00:00Z"}, CTX)  # fmt: skip
    assert cand.fields["social_media"] == [{"type": "linkedin", "link": "https://li/a", "username": None}]


def test_customer_named_stages_follow_the_integrations_status_map() -> None:
    """Custom stages are PENDING by default; a customer's map (by stage name or id) decides them, and a
    system type it does not name keeps the declared rule."""
    custom = {**DOC_APPLICATION, "current_stage": {"id": "s9", "kind": "custom", "name": "Declined (talent pool)",
                                                   "type": "custom"}}  # fmt: skip
    assert next(iter(m.map_application(custom, CTX))).fields["outcome"] == "PENDING"
    ctx = MapContext("personio:mapped", status_map={"declined (talent pool)": "DECLINED", "s10": "HIRED"})
    (app,) = m.map_application(custom, ctx)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Declined (talent pool)")
    by_id = {**custom, "current_stage": {**custom["current_stage"], "id": "s10", "name": "Signed"}}
    assert next(iter(m.map_application(by_id, ctx))).fields["outcome"] == "HIRED"
    assert next(iter(m.map_application(DOC_APPLICATION, ctx))).fields["outcome"] == "DECLINED"


@dataclass
class Personio:
    fake: FakeState
    integration_id: str
    url: str


@pytest.fixture
def personio(engine: Engine, settings: Settings, environment: str) -> Iterator[Personio]:
    app = create_app(seed=3, records=30, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": url, "company_id": "4242", "requests_per_second": 5000, "sync_all_applications": True,
                  "timeout_seconds": 1.0}  # fmt: skip
        creds = {"client_id": "personio_id", "client_secret": "personio_secret"}
        iid = create_integration(engine, settings, environment, "personio", "Org", config=config, credentials=creds)
        try:
            yield Personio(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


def assert_matches_fake(engine: Engine, p: Personio) -> None:
    fake, iid = p.fake, p.integration_id
    stages = sum(len(fake.stages_of(j)) for j in fake.jobs.values())
    expected = {"jobs": len(fake.jobs), "application_stages": stages, "candidates": len(fake.candidates),
                "applications": len(fake.applications)}  # fmt: skip
    assert {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models} == expected
    apps = live(engine, iid, "applications")
    for app in list(fake.applications.values())[:8]:
        unified = apps[app["id"]]
        assert unified["outcome"] == m.outcome(app["current_stage"])[0]
        stage = m.stage_remote_id(app["job"]["id"], app["current_stage"])
        assert unified["current_stage_id"] == record_id(iid, "application_stages", stage)


def test_full_then_delta_sync(engine: Engine, settings: Settings, personio: Personio) -> None:
    fake, iid = personio.fake, personio.integration_id
    fake.faults.rate_limit_storm(3, path="/applications")
    fake.faults.fail_next(2, status=503, path="/candidates")
    result = run(engine, settings, iid, full=True)
    assert result.status == "SUCCEEDED" and not result.mapping_errors, result.error
    assert_matches_fake(engine, personio)
    before = snapshot(engine, iid, CONNECTOR.capabilities.models)
    pending = [a for a in fake.applications.values() if a["current_stage"]["type"] in ("unassigned", "custom")
               and len(fake.candidates[a["candidate"]["id"]]["applications"]) == 1]  # fmt: skip
    moved, hired, rejected, removed = (a["id"] for a in pending[:4])
    edited = pending[4]["candidate"]["id"]
    fake.move(moved, "offer")
    fake.move(hired, "accepted")
    fake.move(rejected, "rejected")
    fake.edit_candidate(edited, phone="+49 1")
    gone = fake.applications[removed]["candidate"]["id"]
    fake.delete_candidate(gone)
    result = run(engine, settings, iid, full=False)
    assert result.status == "SUCCEEDED", result.error
    assert changed_rows(before, engine, iid) == {"applications": {moved, hired, rejected}, "candidates": {edited}}
    assert (
        live(engine, iid, "applications")[hired]["outcome"] == "HIRED" and deleted(engine, iid, "candidates") == set()
    )
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert deleted(engine, iid, "candidates") == {gone} and deleted(engine, iid, "applications") == {removed}


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_cleanly(engine: Engine, settings: Settings, personio: Personio, break_it: str) -> None:
    iid, fake = personio.integration_id, personio.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    if break_it == "truncate":
        fake.faults.truncate_next(1, path="/candidates")
    else:
        fake.faults.fail_next(1000, status=503, path="/applications")
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    assert all(deleted(engine, iid, model) == set() for model in CONNECTOR.capabilities.models)
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, personio)


def test_create_application_and_refusals(
    engine: Engine, settings: Settings, server: Server, personio: Personio
) -> None:
    fake, iid = personio.fake, personio.integration_id
    sync_now(engine, settings, iid, full=True)
    with engine.begin() as conn:
        env = platform.get_integration(conn, iid)
        assert env is not None
        key = platform.create_api_key(conn, env.environment_id, "t")
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    jobs = k.ats.get_jobs(page_size=100).result.data.results
    job = next(j for j in jobs if j.status != "CLOSED" and any(s.name == "Phone screen" for s in j.stages))
    screen = next(s for s in job.stages if s.name == "Phone screen")
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cv = {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf",
          "data": base64.b64encode(b"%PDF-1.4").decode()}  # fmt: skip
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
    app = k.ats.create_application(job_id=job.id, candidate=cand, stage_id=screen.id, attachments=[cv]).data
    assert app.current_stage_id == screen.id and app.candidate is not None and app.candidate.first_name == "Ada"
    vendor = fake.applications[app.remote_id]
    assert vendor["current_stage"]["name"] == "Phone screen" and vendor["files"][0]["category"] == "cv"
    assert fake.documents[vendor["files"][0]["uuid"]]["original_filename"] == "cv.pdf"
    # a timeout after Personio committed, then a retry under the same key: still one application
    other = f"once.{uuid.uuid4().hex[:6]}@x.example"
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    fake.faults.stall_after_commit(1, 2.5, path="/v1/recruiting/applications")
    with pytest.raises(KomboAtsError):
        k.ats.create_application(job_id=job.id, candidate={**cand, "email_address": other}, http_headers=headers)
    again = k.ats.create_application(job_id=job.id, candidate={**cand, "email_address": other}, http_headers=headers)
    assert [a["id"] for a in fake.applications.values() if a["candidate"]["email"] == other] == [again.data.remote_id]
    count = len(fake.applications)
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=f"remote:{job.remote_id}", candidate=cand)  # Personio: already applied
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    for call in (
        lambda: k.ats.move_application_to_stage(application_id=app.id, stage_id=screen.id),
        lambda: k.ats.add_application_note(application_id=app.id, content="x", content_type="PLAIN_TEXT"),
    ):
        with pytest.raises(KomboAtsError) as info:
            call()
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"
    assert len(fake.applications) == count


def test_v1_needs_the_company_id_and_takes_the_recruiting_api_key(
    engine: Engine, settings: Settings, server: Server, environment: str, personio: Personio
) -> None:
    """v1 is a second API: ``X-Company-ID`` on every request and the Recruiting API token (not the v2 one) when
    configured. A wrong token or company id is refused (401) and creates nothing; the right token works."""
    fake = personio.fake
    creds = {"client_id": "personio_id", "client_secret": "personio_secret"}
    job = next(j for j in fake.jobs.values() if j["status"] == "open")
    cand = {"first_name": "Ada", "last_name": "Key", "email_address": f"key.{uuid.uuid4().hex[:6]}@x.example"}
    outcomes = []
    for company, key in (("4242", "wrong-key"), ("999", "recruiting_key"), ("4242", "recruiting_key")):
        config = {"base_url": personio.url, "company_id": company, "requests_per_second": 5000}
        iid = create_integration(engine, settings, environment, "personio", f"Org {company} {key}", config=config,
                                 credentials={**creds, "recruiting_api_key": key})  # fmt: skip
        try:
            sync_now(engine, settings, iid, full=True)
            with engine.begin() as conn:
                key_id = platform.create_api_key(conn, environment, "t")
            k = Kombo(api_key=key_id, integration_id=iid, server_url=server.v1)
            try:
                made = k.ats.create_application(job_id=f"remote:{job['id']}", candidate=cand).data
                outcomes.append(fake.applications[made.remote_id]["candidate"]["email"])
            except KomboAtsError as exc:
                outcomes.append(exc.data.error.code)
        finally:
            retire(engine, iid)
    assert outcomes[:2] == ["INTEGRATION.AUTHENTICATION_INVALID"] * 2 and outcomes[2] == cand["email_address"]
    assert sum(a["candidate"]["email"] == cand["email_address"] for a in fake.applications.values()) == 1

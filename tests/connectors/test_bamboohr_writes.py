"""BambooHR writes through the ``kombo==1.4.0`` SDK against our API and the stateful fake: every supported
action read back through the SDK and checked in the fake; idempotent create across a timeout; refusals."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.fakes.bamboohr import FakeState, create_app
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.connectors.test_bamboohr import integration, retire

CV = b"%PDF-1.4\n% a tiny CV\n"


@dataclass
class Setup:
    fake: FakeState
    k: Kombo
    key: str
    integration_id: str
    url: str


@pytest.fixture
def bamboo(engine: Engine, settings: Settings, server: Server) -> Iterator[Setup]:
    app = create_app(seed=9, records=20, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"bamboo-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = integration(engine, settings, env, "bamboo_key", url, sync_all_applications=True,
                          requests_per_second=5000, timeout_seconds=1.0)  # fmt: skip
        sync_now(engine, settings, iid, full=True)
        try:
            yield Setup(app.state.fake, Kombo(api_key=key, integration_id=iid, server_url=server.v1), key, iid, url)
        finally:
            retire(engine, iid)


def candidate(email: str) -> dict[str, Any]:
    return {"first_name": "Grace", "last_name": "Hopper", "email_address": email, "phone_number": "+1 212 555 0100",
            "location": {"country": "US", "city": "New York", "state": "NY"},
            "social_links": [{"url": "https://www.linkedin.com/in/grace"}]}  # fmt: skip


def open_job(k: Kombo) -> Any:
    return next(j for j in k.ats.get_jobs(page_size=100, statuses=["OPEN"]).result.data.results)


def by_email(fake: FakeState, email: str) -> list[dict[str, Any]]:
    return [a for a in fake.applications.values() if a["applicant"]["email"] == email]


def files() -> list[dict[str, Any]]:
    data = base64.b64encode(CV).decode()
    return [{"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": data},
            {"name": "letter.pdf", "type": "COVER_LETTER", "content_type": "application/pdf", "data": data},
            {"name": "extra.pdf", "type": "OTHER", "content_type": "application/pdf", "data": data}]  # fmt: skip


def test_create_move_reject_note_link(bamboo: Setup) -> None:
    k, fake = bamboo.k, bamboo.fake
    job = open_job(k)
    reviewed = next(s for s in job.stages if s.name == "Reviewed")
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    res = k.ats.create_application(job_id=job.id, candidate=candidate(email), stage_id=reviewed.id, attachments=files())
    app = res.data
    assert app.job_id == job.id and app.current_stage_id == reviewed.id and app.outcome == "PENDING"
    assert any("extra.pdf" in w.message for w in res.warnings)
    (vendor,) = by_email(fake, email)
    assert str(vendor["id"]) == app.remote_id and vendor["status"]["label"] == "Reviewed"
    assert vendor["resumeFileId"] and vendor["coverLetterFileId"]
    assert vendor["applicant"]["linkedinUrl"] == "https://www.linkedin.com/in/grace"
    assert vendor["applicant"]["address"]["city"] == "New York"
    listed = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert listed.candidate.email_addresses[0].email_address == email

    interview = next(s for s in job.stages if s.name == "Schedule Interview")
    k.ats.move_application_to_stage(application_id=app.id, stage_id=interview.id)
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == interview.id
    assert fake.applications[vendor["id"]]["status"]["label"] == "Schedule Interview"

    k.ats.add_application_note(application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT")
    link = k.ats.add_application_result_link(
        application_id=app.id, label="Assessment", url="https://assess.example/r/1",
        details={"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "92"}]},
    )  # fmt: skip
    assert link.warnings and "comment" in link.warnings[0].message
    k.ats.add_candidate_result_link(candidate_id=app.candidate_id, label="Report", url="https://assess.example/r/2")
    comments = [c["comment"] for c in fake.comments[vendor["id"]]]
    assert comments[0] == "Strong systems thinking." and "Acme: Score: 92" in comments[1]
    assert comments[2] == "Report: https://assess.example/r/2"

    reasons = k.ats.get_rejection_reasons().result.data.results
    reason = next(r for r in reasons if r.name == "Not Qualified")
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == "Not Qualified"
    assert fake.code_of(fake.applications[vendor["id"]]) == "NOQUAL" and comments != fake.comments[vendor["id"]]
    assert fake.comments[vendor["id"]][-1]["comment"] == "Not now"


def test_create_survives_a_timeout_after_the_vendor_committed(bamboo: Setup) -> None:
    k, fake = bamboo.k, bamboo.fake
    job = open_job(k)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    fake.faults.stall_after_commit(1, 2.5, path="/applicant_tracking/application")
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers)
    assert info.value.data.error.code == "REMOTE.SERVICE_UNAVAILABLE"
    assert len(by_email(fake, email)) == 1  # the vendor committed before the answer was lost
    again = k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers)
    (vendor,) = by_email(fake, email)
    assert again.data.remote_id == str(vendor["id"])
    replay = k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers)
    assert replay.data.id == again.data.id and len(by_email(fake, email)) == 1


def test_invalid_input_and_vendor_refusals_change_nothing(bamboo: Setup, server: Server) -> None:
    k, fake = bamboo.k, bamboo.fake
    job = open_job(k)
    count = len(fake.applications)
    auth = {"Authorization": f"Bearer {bamboo.key}", "X-Integration-Id": bamboo.integration_id}
    body = {"candidate": candidate("not-an-email")}
    r = httpx.post(f"{server.v1}/ats/jobs/{job.id}/applications", json=body, headers=auth)
    assert r.status_code == 400 and "candidate.email_address" in r.json()["error"]["message"]
    fake.edit_job(int(job.remote_id), status={"id": 2, "label": "Draft"})  # the vendor now refuses the job
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=candidate("refused@x.example"))
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "Invalid jobId" in info.value.data.error.message
    assert len(fake.applications) == count
    app = k.ats.get_applications(page_size=1).result.data.results[0]
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": "hot"})
    assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_application_attachment(
            application_id=app.id, attachment={"name": "a.txt", "type": "OTHER", "content_type": "text/plain",
                                               "data": base64.b64encode(b"x").decode()},
        )  # fmt: skip
    assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"


def test_import_tracked_application(engine: Engine, settings: Settings, server: Server, bamboo: Setup) -> None:
    with engine.begin() as conn:
        env = platform.create_environment(conn, "bamboo-tracking")
        key = platform.create_api_key(conn, env, "t")
    iid = integration(engine, settings, env, "bamboo_key", bamboo.url, requests_per_second=5000)
    try:
        sync_now(engine, settings, iid, full=True)
        k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
        assert k.ats.get_applications().result.data.results == []
        target = next(iter(bamboo.fake.applications.values()))
        # BambooHR has no key in the contract (nor in the SDK): atsbridge's ``application_remote_id`` extension
        url, auth = f"{server.v1}/ats/import-tracked-application", {"Authorization": f"Bearer {key}",
                                                                    "X-Integration-Id": iid}  # fmt: skip
        res = httpx.post(url, json={"tracked_at": None, "application_remote_id": str(target["id"])}, headers=auth)
        assert res.status_code == 200, res.text
        (app,) = k.ats.get_applications().result.data.results
        assert app.id == res.json()["data"]["id"] and app.remote_id == str(target["id"])
        assert k.ats.get_candidates().result.data.results[0].remote_id == str(target["applicant"]["id"])
        missing = httpx.post(url, json={"tracked_at": None, "application_remote_id": "999999"}, headers=auth)
        assert missing.json()["error"]["code"] == "REMOTE.INPUT_INVALID"
    finally:
        retire(engine, iid)

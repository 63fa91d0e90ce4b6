"""SmartRecruiters writes through the ``kombo==1.4.0`` SDK against our API and the stateful fake: every action,
read back through the SDK and checked in the fake; idempotent create across a timeout; refusals; import."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.fakes.smartrecruiters import FakeState, create_app
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.connectors.test_smartrecruiters import integration, retire

CV = b"%PDF-1.4\n% a tiny CV\n"


@dataclass
class Setup:
    fake: FakeState
    k: Kombo
    integration_id: str
    url: str


@pytest.fixture
def sr(engine: Engine, settings: Settings, server: Server) -> Iterator[Setup]:
    app = create_app(seed=9, records=16, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"sr-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = integration(engine, settings, env, "sr_token", url, sync_all_applications=True,
                          requests_per_second=5000, timeout_seconds=1.0)  # fmt: skip
        sync_now(engine, settings, iid, full=True)
        try:
            yield Setup(app.state.fake, Kombo(api_key=key, integration_id=iid, server_url=server.v1), iid, url)
        finally:
            retire(engine, iid)


def candidate(email: str) -> dict[str, Any]:
    return {"first_name": "Grace", "last_name": "Hopper", "email_address": email, "phone_number": "+1 212 555 0100",
            "location": {"country": "US", "city": "New York"}, "company": "US Navy", "title": "Admiral"}  # fmt: skip


def upload(name: str, kind: str = "OTHER") -> dict[str, Any]:
    return {"name": name, "type": kind, "content_type": "application/pdf", "data": base64.b64encode(CV).decode()}


def open_job(k: Kombo) -> Any:
    jobs = k.ats.get_jobs(page_size=100, statuses=["OPEN"]).result.data.results
    return next(j for j in jobs if any(":INTERVIEW:" in (s.remote_id or "") for s in j.stages))


def vendor(fake: FakeState, email: str) -> list[dict[str, Any]]:
    return [c for c in fake.candidates.values() if c["email"] == email]


def test_every_action_round_trips(sr: Setup) -> None:
    k, fake = sr.k, sr.fake
    job = open_job(k)
    screen = next(s for s in job.stages if s.name == "Interview: Phone screen")
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    app = k.ats.create_application(job_id=job.id, candidate=candidate(email), stage_id=screen.id,
                                   attachments=[upload("cv.pdf", "CV")]).data  # fmt: skip
    assert app.job_id == job.id and app.current_stage_id == screen.id and app.outcome == "PENDING"
    (cand,) = vendor(fake, email)
    assert app.remote_id == f"{cand['id']}:{job.remote_id}"
    assert fake.applications[(cand["id"], job.remote_id)]["subStatus"] == "Phone screen"
    assert [(f["type"], f["jobId"]) for f in fake.attachments[cand["id"]]] == [("RESUME", job.remote_id)]
    files = k.ats.get_application_attachments(application_id=app.id).data.results
    assert [f.type for f in files] == ["CV"]

    offered = next(s for s in job.stages if s.name == "Offered")
    k.ats.move_application_to_stage(application_id=app.id, stage_id=offered.id)
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == offered.id
    assert fake.applications[(cand["id"], job.remote_id)]["status"] == "OFFERED"

    k.ats.add_application_note(application_id=app.id, content="Great call.", content_type="PLAIN_TEXT")
    link = k.ats.add_application_result_link(application_id=app.id, label="Test", url="https://t.example/1")
    assert link.warnings and "note" in link.warnings[0].message
    assert [n["content"] for n in fake.notes[-2:]] == ["Great call.", "Test: https://t.example/1"]
    assert fake.notes[-1]["shareWith"] == {"hiringTeamOf": [job.remote_id]}

    k.ats.add_application_attachment(application_id=app.id, attachment=upload("extra.pdf"))
    k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload("profile.pdf"))
    names = {f.file_name for f in k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert names == {"cv.pdf", "extra.pdf", "profile.pdf"}
    assert {f["name"]: f["jobId"] for f in fake.attachments[cand["id"]]}["profile.pdf"] is None

    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": "hot lead"})
    assert "hot lead" in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert "hot lead" in fake.candidates[cand["id"]]["tags"]
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "HOT LEAD"})
    assert "hot lead" not in fake.candidates[cand["id"]]["tags"]
    assert k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never"}).warnings

    reason = k.ats.get_rejection_reasons().result.data.results[0]
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == reason.name
    assert fake.applications[(cand["id"], job.remote_id)]["reasonOfRejection"]["id"] == reason.remote_id
    assert fake.notes[-1]["content"] == "Not now"


def test_create_survives_a_timeout_after_the_vendor_committed(sr: Setup) -> None:
    k, fake = sr.k, sr.fake
    job = open_job(k)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    fake.faults.stall_after_commit(1, 2.5, path="/candidates", method="POST")
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers)
    assert info.value.data.error.code == "REMOTE.SERVICE_UNAVAILABLE" and len(vendor(fake, email)) == 1
    again = k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers)
    (cand,) = vendor(fake, email)
    assert again.data.candidate.remote_id == cand["id"]
    assert k.ats.create_application(job_id=job.id, candidate=candidate(email), http_headers=headers).data.id == (
        again.data.id
    )
    assert len(vendor(fake, email)) == 1


def test_refusals_change_nothing_and_import(engine: Engine, settings: Settings, server: Server, sr: Setup) -> None:
    k, fake = sr.k, sr.fake
    job = open_job(k)
    before = len(fake.candidates)
    fake.edit_job(job.remote_id, status="FILLED")  # the vendor now refuses it; our store still says open
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=candidate("late@x.example"))
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "not accepting" in info.value.data.error.message
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate={**candidate("x@x.example"), "email_address": "nope"})
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert len(fake.candidates) == before

    with engine.begin() as conn:
        env = platform.create_environment(conn, "sr-tracking")
        key = platform.create_api_key(conn, env, "t")
    iid = integration(engine, settings, env, "sr_token", sr.url, requests_per_second=5000)
    try:
        sync_now(engine, settings, iid, full=True)
        tracked = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
        assert tracked.ats.get_applications().result.data.results == []
        cid, jid = next(iter(fake.applications))
        res = tracked.ats.import_tracked_application(
            tracked_at=None, smartrecruiters={"candidate_remote_id": cid, "job_remote_id": jid}
        )
        assert res.data.imported_id.smartrecruiters.candidate_remote_id == cid
        (app,) = tracked.ats.get_applications().result.data.results
        assert app.remote_id == f"{cid}:{jid}" and app.id == res.data.id
        sync_now(engine, settings, iid, full=True)
        assert [a.id for a in tracked.ats.get_applications().result.data.results] == [res.data.id]
        assert [c.remote_id for c in tracked.ats.get_candidates().result.data.results] == [cid]
        with pytest.raises(KomboAtsError) as info:
            tracked.ats.import_tracked_application(
                tracked_at=None, smartrecruiters={"candidate_remote_id": cid, "job_remote_id": "nope"}
            )
        assert info.value.data.error.code == "REMOTE.INPUT_INVALID"
    finally:
        retire(engine, iid)

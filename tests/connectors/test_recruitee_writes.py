"""Recruitee writes through the ``kombo`` SDK against our API and the fake: every supported action read back
through the SDK and checked in the fake's state, idempotent creates across a lost answer, refused input,
``import_tracked_application`` by ``recruitee.placement_id``."""

from __future__ import annotations

import base64
import copy
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, update

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes.recruitee import FakeState, create_app
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.test_writes_sdk import candidate

Raw = dict[str, Any]
CV = b"%PDF-1.4\n% a tiny CV\n"


@dataclass
class Env:
    fake: FakeState
    key: str
    integration_id: str
    k: Kombo
    api: str


def _integration(engine: Engine, settings: Settings, env: str, url: str, **config: Any) -> str:
    cfg = {"base_url": url, "company_id": "89564", "requests_per_minute": 100_000, "timeout_seconds": 1.0, **config}
    return create_integration(engine, settings, env, "recruitee", "Org", config=cfg,
                              credentials={"token": "recruitee_token"})  # fmt: skip


def _retire(engine: Engine, iid: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@pytest.fixture
def rc(engine: Engine, settings: Settings, server: Server) -> Iterator[Env]:
    app = create_app(seed=7, records=24, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"rc-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = _integration(engine, settings, env, url, sync_all_applications=True)
        sync_now(engine, settings, iid, full=True)
        try:
            k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
            yield Env(app.state.fake, key, iid, k, server.v1)
        finally:
            _retire(engine, iid)


def open_job(k: Kombo) -> Any:
    jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    return sorted(jobs, key=lambda j: j.remote_id)[0]


def by_email(fake: FakeState, email: str) -> list[Raw]:
    return [c for c in fake.candidates.values() if email in c["emails"]]


def snapshot(fake: FakeState) -> Any:
    with fake.lock:
        return copy.deepcopy((fake.candidates, fake.notes, fake.attachments))


def upload(name: str, kind: str = "CV", data: bytes = CV) -> dict[str, Any]:
    content_type = "application/pdf" if name.endswith(".pdf") else "text/plain"
    return {"name": name, "type": kind, "content_type": content_type, "data": base64.b64encode(data).decode()}


def test_create_application_with_stage_and_cv(rc: Env) -> None:
    job = open_job(rc.k)
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = next(s for s in job.stages if s.name == "Phone interview")
    res = rc.k.ats.create_application(
        job_id=job.id,
        candidate=candidate(email),
        stage_id=stage.id,
        attachments=[upload("grace-cv.pdf")],
        remote_fields={"recruitee": {"candidate": {"cover_letter_text": "Hi!"}}},
    )
    app = res.data  # fmt: skip
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert app.candidate is not None and (app.candidate.first_name, app.candidate.last_name) == ("Grace", "Hopper")
    assert rc.k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == stage.id
    files = rc.k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results
    (cv,) = [f for f in files if f.file_name == "grace-cv.pdf"]
    assert httpx.get(cv.data_url).content == CV
    (cand,) = by_email(rc.fake, email)  # the fake holds exactly what was sent
    assert cand["name"] == "Grace Hopper" and cand["phones"] == ["+1 212 555 0100"] and cand["cover_letter"] == "Hi!"
    (placement,) = cand["placements"]
    assert (placement["offer_id"], placement["stage_id"], placement["id"]) == (
        int(job.remote_id),
        int(stage.remote_id),
        int(app.remote_id),
    )
    assert rc.fake.files[f"attachment/{rc.fake.attachments[cand['id']][0]['id']}"] == CV


def test_legacy_create_candidate_lands_in_applied(rc: Env) -> None:
    job = open_job(rc.k)
    res = rc.k.ats.create_candidate(candidate=candidate(f"l.{uuid.uuid4().hex[:6]}@x.example"),
                                    application={"job_id": job.id})  # fmt: skip
    assert res.data.applications and res.data.applications[0].current_stage.name == "Applied"


@pytest.mark.parametrize("path", ["/c/89564/candidates", "/c/89564/attachments"])
def test_create_retried_after_commit_timeout_creates_once(rc: Env, path: str) -> None:
    job = open_job(rc.k)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    args: dict[str, Any] = {"job_id": job.id, "candidate": candidate(email), "attachments": [upload("cv.pdf")]}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    rc.fake.faults.stall_after_commit(1, 1.5, path=path)
    with pytest.raises(KomboAtsError) as info:
        rc.k.ats.create_application(**args, http_headers=key)
    assert info.value.data.error.code == "REMOTE.SERVICE_UNAVAILABLE"
    first = rc.k.ats.create_application(**args, http_headers=key).data
    assert rc.k.ats.create_application(**args, http_headers=key).data.id == first.id  # replayed
    (cand,) = by_email(rc.fake, email)
    assert len(cand["placements"]) == 1 and len(rc.fake.attachments[cand["id"]]) == 1
    assert len(rc.k.ats.get_candidates(email=email).result.data.results) == 1


def test_move_reject_notes_links_tags_and_files(rc: Env) -> None:
    k, fake = rc.k, rc.fake
    job = open_job(k)
    app = k.ats.create_application(job_id=job.id, candidate=candidate(f"m.{uuid.uuid4().hex[:6]}@x.example")).data
    cid = int(app.candidate.remote_id)
    target = next(s for s in job.stages if s.name == "Evaluation")
    k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id)
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert fake.placement(int(app.remote_id))[1]["stage_id"] == int(target.remote_id)

    res = k.ats.add_application_note(application_id=app.id, content="Strong <systems> thinking.",
                                     content_type="PLAIN_TEXT")  # fmt: skip
    assert res.warnings and "candidate" in res.warnings[0].message
    notes = k.ats.get_notes(candidate_ids=[app.candidate_id]).result.data.results
    assert any(n.content_html == "<p>Strong &lt;systems&gt; thinking.</p>" for n in notes)
    assert [n["body"] for n in fake.notes[cid]] == ["Strong <systems> thinking."]

    link = k.ats.add_candidate_result_link(candidate_id=app.candidate_id, label="Test", url="https://a.example/1")
    assert link.warnings and fake.notes[cid][-1]["body"] == "Test: https://a.example/1"
    k.ats.add_application_result_link(application_id=app.id, label="Quiz", url="https://q.example/2",
                                      details={"custom_field_name_prefix": "Acme:",
                                               "attributes": [{"key": "Score", "value": "7"}]})  # fmt: skip
    assert fake.notes[cid][-1]["body"] == "Quiz: https://q.example/2\nAcme: Score: 7"
    assert any(
        "Quiz" in (n.content_html or "") for n in k.ats.get_notes(candidate_ids=[app.candidate_id]).result.data.results
    )

    k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload("notes.txt", "OTHER", b"x"))
    added = k.ats.add_application_attachment(application_id=app.id, attachment=upload("more.txt", "OTHER", b"y"))
    assert added.warnings and "candidate" in added.warnings[0].message
    names = {f.file_name for f in k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert {"notes.txt", "more.txt"} <= names and {r["filename"] for r in fake.attachments[cid]} == names

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag in fake.candidates[cid]["tags"]
    assert tag in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag not in fake.candidates[cid]["tags"]
    assert tag not in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"}).warnings

    reason = k.ats.get_rejection_reasons().result.data.results[1]
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == reason.name
    placement = fake.placement(int(app.remote_id))[1]
    assert (placement["disqualify_kind"], placement["disqualify_reason"]) == ("admin", reason.name)
    assert fake.notes[cid][-1]["body"] == "Not now"


def test_invalid_input_changes_nothing(rc: Env) -> None:
    k, fake = rc.k, rc.fake
    jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    job, other = jobs[0], jobs[1]
    before = snapshot(fake)
    headers = {"Authorization": f"Bearer {rc.key}", "X-Integration-Id": rc.integration_id}
    for body in (
        {"candidate": candidate("x@x.example"), "stage_id": other.stages[1].id},
        {"candidate": {**candidate("x@x.example"), "first_name": ""}},
        {"candidate": candidate("x@x.example"), "attachments": [{"name": "a", "type": "CV", "data": "%%%"}]},
    ):
        r = httpx.post(f"{rc.api}/ats/jobs/{job.id}/applications", json=body, headers=headers)
        assert r.status_code in (400, 404) and r.json()["error"]["code"] == "PLATFORM.INPUT_INVALID", r.text
    app = k.ats.get_applications(page_size=1, outcomes=["PENDING"]).result.data.results[0]
    reason = k.ats.get_rejection_reasons().result.data.results[0]
    fake.reasons = [r for r in fake.reasons if str(r["id"]) != reason.remote_id]  # gone in Recruitee since
    with pytest.raises(KomboAtsError) as info:
        k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id)
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "disqualify reason" in info.value.data.error.message
    assert snapshot(fake) == before


def test_import_tracked_application_by_placement_id(engine: Engine, settings: Settings, server: Server) -> None:
    app = create_app(seed=8, records=12, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, "rc-tracking")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = _integration(engine, settings, env, url)
        try:
            sync_now(engine, settings, iid, full=True)
            k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
            assert k.ats.get_applications().result.data.results == []
            placement = app.state.fake.placements()[-1]
            res = k.ats.import_tracked_application(tracked_at=None, recruitee={"placement_id": str(placement["id"])})
            assert res.data.imported_id.recruitee.placement_id == str(placement["id"])
            apps = k.ats.get_applications().result.data.results
            assert [a.remote_id for a in apps] == [str(placement["id"])] and apps[0].id == res.data.id
            assert k.ats.get_candidates().result.data.results[0].remote_id == str(placement["candidate_id"])
            sync_now(engine, settings, iid, full=True)
            assert [a.remote_id for a in k.ats.get_applications().result.data.results] == [str(placement["id"])]
            with pytest.raises(KomboAtsError) as info:
                k.ats.import_tracked_application(tracked_at=None, recruitee={"placement_id": "1"})
            assert info.value.data.error.code == "REMOTE.INPUT_INVALID"
        finally:
            _retire(engine, iid)

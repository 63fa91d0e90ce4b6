"""Teamtailor writes through the ``kombo`` SDK against our API and the fake: every supported action read back
through the SDK and checked in the fake's state, idempotent creates across a lost answer, refused input."""

from __future__ import annotations

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
from atsbridge.fakes.teamtailor import FakeState, create_app
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.test_writes_sdk import answers_for, candidate

Raw = dict[str, Any]


@dataclass
class Env:
    fake: FakeState
    url: str
    key: str
    integration_id: str
    k: Kombo
    api: str


def _integration(engine: Engine, settings: Settings, env: str, url: str, **config: Any) -> str:
    cfg = {"base_url": url + "/v1", "requests_per_10s": 10_000, "timeout_seconds": 1.0, **config}
    return create_integration(engine, settings, env, "teamtailor", "Org", config=cfg,
                              credentials={"api_key": "teamtailor_key"})  # fmt: skip


def _retire(engine: Engine, iid: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@pytest.fixture
def tt(engine: Engine, settings: Settings, server: Server) -> Iterator[Env]:
    app = create_app(seed=7, records=24, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"tt-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = _integration(engine, settings, env, url, sync_all_applications=True)
        sync_now(engine, settings, iid, full=True)
        try:
            yield Env(
                app.state.fake, url, key, iid, Kombo(api_key=key, integration_id=iid, server_url=server.v1), server.v1
            )
        finally:
            _retire(engine, iid)


def job_with_questions(k: Kombo) -> Any:
    jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    return max(jobs, key=lambda j: (len(j.screening_questions), j.remote_id))


def by_email(fake: FakeState, email: str) -> list[Raw]:
    return [c for c in fake.of("candidates") if (c["attributes"]["email"] or "").lower() == email.lower()]


def snapshot(fake: FakeState) -> dict[str, int]:
    with fake.lock:
        return {t: len(v) for t, v in fake.store.data.items()} | {
            "tags": sum(len(c["attributes"]["tags"]) for c in fake.of("candidates")),
            "rejected": sum(1 for a in fake.of("job-applications") if a["attributes"]["rejected-at"]),
        }


def test_create_application_with_stage_and_answers(tt: Env) -> None:
    job = job_with_questions(tt.k)
    assert job.screening_questions, "the fake gives some jobs picked questions"
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = job.stages[2]
    app = tt.k.ats.create_application(
        job_id=job.id, candidate=candidate(email), stage_id=stage.id, screening_question_answers=answers_for(job)
    ).data
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert app.candidate is not None and app.candidate.first_name == "Grace"
    listed = tt.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    answers = {a.question.remote_id for a in listed.screening_question_answers or []}
    assert answers == {q.remote_id for q in job.screening_questions}
    assert tt.k.ats.get_candidates(email=email).result.data.results[0].id == app.candidate_id
    (cand,) = by_email(tt.fake, email)  # the fake holds exactly what was sent
    assert cand["attributes"]["phone"] == "+1 212 555 0100" and cand["attributes"]["last-name"] == "Hopper"
    (vendor_app,) = tt.fake.applications_of(cand["id"])
    assert vendor_app["rel"]["job"] == ("jobs", job.remote_id) and vendor_app["rel"]["stage"][1] == stage.remote_id
    assert len(tt.fake.store.related(cand, "answers")) == len(job.screening_questions)


def test_create_with_files_warns_and_legacy_create_candidate(tt: Env) -> None:
    job = job_with_questions(tt.k)
    upload = {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": "JVBERi0xLjQK"}
    res = tt.k.ats.create_application(job_id=job.id, candidate=candidate(f"f.{uuid.uuid4().hex[:6]}@x.example"),
                                      attachments=[upload], screening_question_answers=answers_for(job))  # fmt: skip
    assert any("public URL" in w.message for w in res.warnings)
    legacy = tt.k.ats.create_candidate(
        candidate=candidate(f"l.{uuid.uuid4().hex[:6]}@x.example"),
        application={"job_id": job.id},
        screening_question_answers=answers_for(job),
    )
    assert legacy.data.applications and legacy.data.applications[0].job.id == job.id  # fmt: skip
    assert legacy.data.applications[0].current_stage.name == "Inbox"


@pytest.mark.parametrize("path", ["/v1/candidates", "/v1/job-applications"])
def test_create_retried_after_commit_timeout_creates_once(tt: Env, path: str) -> None:
    job = job_with_questions(tt.k)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    args: dict[str, Any] = {"job_id": job.id, "candidate": candidate(email),
                            "screening_question_answers": answers_for(job)}  # fmt: skip
    key = {"Idempotency-Key": uuid.uuid4().hex}
    tt.fake.faults.stall_after_commit(1, 1.5, path=path)
    with pytest.raises(KomboAtsError) as info:
        tt.k.ats.create_application(**args, http_headers=key)
    assert info.value.data.error.code == "REMOTE.SERVICE_UNAVAILABLE"
    assert "Idempotency-Key" in info.value.data.error.message  # says what is done and how to finish
    first = tt.k.ats.create_application(**args, http_headers=key).data
    again = tt.k.ats.create_application(**args, http_headers=key).data  # a replay: no vendor call
    assert again.id == first.id
    (cand,) = by_email(tt.fake, email)
    assert len(tt.fake.applications_of(cand["id"])) == 1
    assert len(tt.fake.store.related(cand, "answers")) == len(job.screening_questions)
    assert len(tt.k.ats.get_candidates(email=email).result.data.results) == 1


def test_move_reject_notes_links_and_tags(tt: Env) -> None:
    k, fake = tt.k, tt.fake
    job = job_with_questions(k)
    app = k.ats.create_application(job_id=job.id, candidate=candidate(f"m.{uuid.uuid4().hex[:6]}@x.example"),
                                   screening_question_answers=answers_for(job)).data  # fmt: skip
    target = job.stages[3]
    k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id)
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert fake.get("job-applications", app.remote_id)["rel"]["stage"] == ("stages", target.remote_id)

    author = fake.of("users")[1]["id"]
    res = k.ats.add_application_note(
        application_id=app.id,
        content="Strong <systems> thinking.",
        content_type="PLAIN_TEXT",
        remote_fields={"teamtailor": {"user_id": author}},
    )
    assert res.warnings and "candidate" in res.warnings[0].message  # fmt: skip
    notes = k.ats.get_notes(candidate_ids=[app.candidate_id]).result.data.results
    assert any(n.content_html == "<p>Strong &lt;systems&gt; thinking.</p>" for n in notes)
    vendor_notes = [n for n in fake.of("notes") if str(n["attributes"]["candidate-id"]) == app.candidate.remote_id]
    assert [n["attributes"]["user-id"] for n in vendor_notes] == [int(author)]

    link = k.ats.add_application_result_link(application_id=app.id, label="Assessment", url="https://a.example/r/1",
                                             details={"custom_field_name_prefix": "Acme:",
                                                      "attributes": [{"key": "Score", "value": "92"}]})  # fmt: skip
    assert link.warnings and "note" in link.warnings[0].message
    texts = [n["attributes"]["note"] for n in fake.of("notes")]
    assert "Assessment: https://a.example/r/1\nAcme: Score: 92" in texts
    on_candidate = k.ats.add_candidate_result_link(
        candidate_id=app.candidate_id, label="Video", url="https://v.example"
    )
    assert on_candidate.warnings and "Video: https://v.example" in [n["attributes"]["note"] for n in fake.of("notes")]
    admin = next(u for u in fake.of("users") if u["attributes"]["role"] == "admin")
    assert [n for n in fake.of("notes") if n["attributes"]["note"].startswith("Assessment")][0]["attributes"][
        "user-id"] == int(admin["id"])  # fmt: skip

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert tag in {t.name for t in k.ats.get_tags(page_size=250).result.data.results}
    assert tag in fake.get("candidates", app.candidate.remote_id)["attributes"]["tags"]
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag.upper()})
    assert tag not in fake.get("candidates", app.candidate.remote_id)["attributes"]["tags"]
    assert tag not in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"}).warnings

    reason = next(r for r in k.ats.get_rejection_reasons().result.data.results if r.name == "Not a fit")
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == "Not a fit"
    vendor = fake.get("job-applications", app.remote_id)
    assert vendor["rel"]["reject-reason"] == ("reject-reasons", reason.remote_id)
    assert vendor["attributes"]["rejected-at"] is not None
    assert "Not now" in [n["attributes"]["note"] for n in fake.of("notes")]

    upload = {"name": "x.txt", "type": "OTHER", "content_type": "text/plain", "data": "eA=="}
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload)
    assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"


def test_invalid_input_changes_nothing(tt: Env) -> None:
    k, fake = tt.k, tt.fake
    jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    job, other = jobs[0], jobs[1]
    before = snapshot(fake)
    bad_bodies: list[dict[str, Any]] = [
        {"candidate": candidate("x@x.example"), "stage_id": other.stages[1].id},
        {"candidate": {**candidate("x@x.example"), "email_address": "not-an-email"}},
        {"candidate": candidate("x@x.example"), "colour": "blue"},
    ]
    for body in bad_bodies:
        r = httpx.post(
            f"{tt.api}/ats/jobs/{job.id}/applications",
            json=body,
            headers={"Authorization": f"Bearer {tt.key}", "X-Integration-Id": tt.integration_id},
        )
        assert r.status_code in (400, 404) and r.json()["error"]["code"] == "PLATFORM.INPUT_INVALID", r.text
    app = k.ats.get_applications(page_size=1).result.data.results[0]
    with pytest.raises(KomboAtsError) as info:  # refused by Teamtailor itself: the author does not exist
        k.ats.add_application_note(application_id=app.id, content="x", content_type="PLAIN_TEXT",
                                   remote_fields={"teamtailor": {"user_id": "424242"}})  # fmt: skip
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "user" in info.value.data.error.message
    with pytest.raises(KomboAtsError) as info:
        k.ats.move_application_to_stage(application_id=app.id, stage_id="nope")
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert snapshot(fake) == before


def test_import_tracked_application(engine: Engine, settings: Settings, server: Server) -> None:
    """Only tracked applications are synced by default; importing one (by its remote id: the contract has no
    Teamtailor key) makes it appear at once and stay."""
    app = create_app(seed=8, records=12, rate_limit=None)
    with engine.begin() as conn:
        env = platform.create_environment(conn, "tt-tracking")
        key = platform.create_api_key(conn, env, "t")
    with serve_asgi(app) as url:
        iid = _integration(engine, settings, env, url)
        try:
            sync_now(engine, settings, iid, full=True)
            k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
            assert k.ats.get_applications().result.data.results == []
            vendor = app.state.fake.of("job-applications")[0]
            r = httpx.post(f"{server.v1}/ats/import-tracked-application",
                           json={"tracked_at": None, "application_remote_id": vendor["id"]},
                           headers={"Authorization": f"Bearer {key}", "X-Integration-Id": iid})  # fmt: skip
            assert r.status_code == 200, r.text
            apps = k.ats.get_applications().result.data.results
            assert [a.remote_id for a in apps] == [vendor["id"]] and apps[0].id == r.json()["data"]["id"]
            assert k.ats.get_candidates().result.data.results[0].remote_id == vendor["rel"]["candidate"][1]
            sync_now(engine, settings, iid, full=True)
            assert [a.remote_id for a in k.ats.get_applications().result.data.results] == [vendor["id"]]
        finally:
            _retire(engine, iid)

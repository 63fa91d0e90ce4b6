"""Ashby writes through the ``kombo==1.4.0`` SDK against our API and the stateful fake: every action, read back
through the SDK and checked in the fake's own state; idempotent creates; refused input changes nothing."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, update

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes.ashby import FakeState, create_app
from atsbridge.fakes.ashby import writes as fake_writes
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads, sync_now
from tests.test_writes_sdk import answers_for, candidate

CV = b"%PDF-1.4\n% a tiny CV\n"
WRITE_METHODS = tuple(fake_writes.WRITES)


def recorded(name: str) -> dict[str, Any]:
    """The JSON body of a recorded Ashby write request (``write_<name>.request.json``)."""
    body: dict[str, Any] = json.loads((payloads("ashby") / f"write_{name}.request.json").read_text())["data"]
    return body


def sent(fake: FakeState, method: str) -> dict[str, Any]:
    return next(body for called, body in reversed(fake.bodies) if called == method)


def upload(name: str, kind: str, content: bytes, content_type: str = "application/pdf") -> dict[str, Any]:
    return {"name": name, "type": kind, "content_type": content_type, "data": base64.b64encode(content).decode()}


@dataclass
class Org:
    fake: FakeState
    iid: str
    key: str
    k: Kombo

    def job(self) -> Any:
        """The SDK's view of the fake's first open job with a listed posting (its form has questions)."""
        job_id = next(j["id"] for j in self.fake.jobs.values() if j["status"] == "Open" and j["jobPostingIds"])
        return next(j for j in self.k.ats.get_jobs(page_size=250).result.data.results if j.remote_id == job_id)

    def application(self, job: Any, index: int = 0) -> Any:
        apps = self.k.ats.get_applications(job_ids=[job.id], outcomes=["PENDING"], page_size=250).result.data.results
        return sorted(apps, key=lambda a: a.remote_id)[index]

    def by_email(self, email: str) -> list[dict[str, Any]]:
        return [c for c in self.fake.candidates.values() if email in {e["value"] for e in c["emailAddresses"]}]

    def writes_sent(self) -> list[str]:
        return [r for r in self.fake.requests if r.split(" ")[1].lstrip("/") in WRITE_METHODS]


@pytest.fixture
def org(engine: Engine, settings: Settings, server: Server) -> Iterator[Callable[..., Org]]:
    with ExitStack() as stack:
        made: list[str] = []

        def make(**config: Any) -> Org:
            app = create_app(seed=13, records=16, rate_limit=None)
            url = stack.enter_context(serve_asgi(app))
            with engine.begin() as conn:
                env = platform.create_environment(conn, f"ab-{uuid.uuid4().hex[:6]}")
                key = platform.create_api_key(conn, env, "test")
            cfg = {"base_url": url, "requests_per_second": 1000, "sync_all_applications": True, **config}
            iid = create_integration(engine, settings, env, "ashby", "Org", config=cfg,
                                     credentials={"api_key": "ashby_key"})  # fmt: skip
            made.append(iid)
            sync_now(engine, settings, iid, full=True)
            return Org(app.state.fake, iid, key, Kombo(api_key=key, integration_id=iid, server_url=server.v1))

        yield make
        with engine.begin() as conn:
            conn.execute(update(integrations).where(integrations.c.id.in_(made)).values(enabled=False))


def test_create_application_with_files_answers_stage_and_source(
    org: Callable[..., Org], engine: Engine, settings: Settings
) -> None:
    o = org()
    job = o.job()
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = job.stages[2]
    source = o.fake.sources[1]
    res = o.k.ats.create_application(
        job_id=job.id, candidate=candidate(email), stage_id=stage.id, source={"name": source["title"]},
        attachments=[upload("cv.pdf", "CV", CV), upload("notes.txt", "OTHER", b"hello", "text/plain")],
        screening_question_answers=answers_for(job),
    )  # fmt: skip
    app = res.data
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert any("note" in w.message for w in res.warnings)
    (vendor,) = o.by_email(email)
    assert vendor["name"] == "Grace Hopper" and vendor["primaryPhoneNumber"]["value"] == "+1 212 555 0100"
    vendor_app = o.fake.applications[app.remote_id]
    assert vendor_app["candidate"]["id"] == vendor["id"] == app.candidate.remote_id
    assert vendor_app["currentInterviewStage"]["id"] == stage.remote_id and vendor_app["source"]["id"] == source["id"]
    assert set(recorded("create_candidate")) <= set(sent(o.fake, "candidate.create"))
    assert set(recorded("create_application")) <= set(sent(o.fake, "application.create"))
    assert set(sent(o.fake, "application.changeSource")) == set(recorded("change_source"))
    files = {o.fake.files[h["handle"]][0]: o.fake.files[h["handle"]][2] for h in vendor["fileHandles"]}
    assert files == {"cv.pdf": CV, "notes.txt": b"hello"} and vendor["resumeFileHandle"]["name"] == "cv.pdf"
    (answers,) = o.fake.notes[vendor["id"]]
    assert (
        answers["content"].startswith("Screening answers\n")
        and job.screening_questions[0].title in (answers["content"])
    )
    # Read back through the SDK.
    assert o.k.ats.get_candidates(email=email).result.data.results[0].id == app.candidate_id
    got = {f.file_name: f for f in o.k.ats.get_application_attachments(application_id=app.id).data.results}
    assert set(got) == {"cv.pdf", "notes.txt"} and got["cv.pdf"].type == "CV"
    assert httpx.get(got["cv.pdf"].data_url).content == CV
    notes = o.k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert len(notes) == 1 and "Screening answers" in (notes[0].content_html or "")
    listed = o.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    sync_now(engine, settings, o.iid, full=False)  # nothing flips back
    assert o.k.ats.get_applications(ids=[app.id]).result.data.results[0].changed_at == listed.changed_at


def test_move_note_files_links_tags_reject_and_import(org: Callable[..., Org]) -> None:
    o = org()
    job = o.job()
    app = o.application(job)
    cid = app.candidate.remote_id
    target = job.stages[3]
    assert o.k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id).warnings == []
    assert o.k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert o.fake.applications[app.remote_id]["currentInterviewStage"]["id"] == target.remote_id

    assert set(sent(o.fake, "application.changeStage")) == set(recorded("change_stage"))
    o.k.ats.add_application_note(application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT")
    assert o.fake.notes[cid][-1]["content"] == "Strong systems thinking."
    assert set(sent(o.fake, "candidate.createNote")) == set(recorded("create_note"))
    res = o.k.ats.add_application_attachment(application_id=app.id, attachment=upload("extra.pdf", "OTHER", CV))
    assert res.warnings and "candidate" in res.warnings[0].message
    o.k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload("cv2.pdf", "CV", CV))
    names = {o.fake.files[h["handle"]][0] for h in o.fake.candidates[cid]["fileHandles"]}
    assert {"extra.pdf", "cv2.pdf"} <= names and o.fake.candidates[cid]["resumeFileHandle"]["name"] == "cv2.pdf"
    listed = {f.file_name for f in o.k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert {"extra.pdf", "cv2.pdf"} <= listed
    link = o.k.ats.add_application_result_link(application_id=app.id, label="Assessment",
                                               url="https://assess.example/r/1")  # fmt: skip
    assert link.warnings and "note" in link.warnings[0].message
    assert o.fake.notes[cid][-1]["content"] == '<p><a href="https://assess.example/r/1">Assessment</a></p>'
    contents = {n.content_html for n in o.k.ats.get_notes(candidate_ids=[app.candidate_id]).result.data.results}
    assert "<p>Strong systems thinking.</p>" in contents

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    o.k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag in {t["title"] for t in o.fake.candidates[cid]["tags"]}  # created in Ashby, then added
    assert tag in {t.name for t in o.k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert tag in {t.name for t in o.k.ats.get_tags(page_size=250).result.data.results}
    o.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag not in {t["title"] for t in o.fake.candidates[cid]["tags"]}
    assert o.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"}).warnings

    reason = next(r for r in o.k.ats.get_rejection_reasons(page_size=250).result.data.results if r.name == "Withdrew")
    o.k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Took another offer")
    rejected = o.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert (rejected.outcome, rejected.rejection_reason_name) == ("DECLINED", "Withdrew")
    vendor = o.fake.applications[app.remote_id]
    assert vendor["status"] == "Archived" and vendor["currentInterviewStage"]["type"] == "Archived"
    assert vendor["archiveReason"]["id"] == reason.remote_id and o.fake.notes[cid][-1]["content"] == (
        "Took another offer"
    )

    r = httpx.post(f"{o.k.sdk_configuration.server_url}/ats/import-tracked-application",
                   json={"tracked_at": None, "application_remote_id": app.remote_id},
                   headers={"Authorization": f"Bearer {o.key}", "X-Integration-Id": o.iid})  # fmt: skip
    assert r.status_code == 200 and r.json()["data"]["id"] == app.id


@pytest.mark.parametrize("stalled", ["/candidate.create", "/application.create"])
def test_retried_create_after_a_timeout_creates_one_of_each(org: Callable[..., Org], stalled: str) -> None:
    """Ashby commits the create but answers after our 1 s timeout; the client retries with the same key."""
    o = org(timeout_seconds=1.0)
    job = o.job()
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    args: dict[str, Any] = {"job_id": job.id, "candidate": candidate(email), "screening_question_answers":
                            answers_for(job), "http_headers": {"Idempotency-Key": uuid.uuid4().hex}}  # fmt: skip
    o.fake.faults.stall_after_commit(1, 2.0, path=stalled)
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.create_application(**args)
    assert info.value.data.error.code == "REMOTE.SERVICE_UNAVAILABLE"
    first = o.k.ats.create_application(**args)
    (vendor,) = o.by_email(email)
    assert vendor["applicationIds"] == [first.data.remote_id]
    assert len([r for r in o.fake.requests if r.split(" ")[1] == stalled]) == 1  # the create was sent once
    assert o.k.ats.create_application(**args).data.id == first.data.id
    assert len(o.k.ats.get_candidates(email=email).result.data.results) == 1


def test_an_existing_ashby_application_is_not_duplicated(org: Callable[..., Org]) -> None:
    o = org()
    job = o.job()
    email = f"known.{uuid.uuid4().hex[:6]}@x.example"
    with o.fake.lock:  # at Ashby already, after our last sync
        cand = fake_writes.candidate_create(o.fake, {"name": "Known Person", "email": email}, "")
        fake_writes.application_create(o.fake, {"candidateId": cand["id"], "jobId": job.remote_id}, "")
    seq = o.fake.seq
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.create_application(
            job_id=job.id, candidate=candidate(email), screening_question_answers=answers_for(job)
        )
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    assert o.fake.seq == seq and len(o.by_email(email)) == 1


def test_refused_input_changes_nothing_at_ashby(org: Callable[..., Org]) -> None:
    o = org()
    job = o.job()
    seq = o.fake.seq
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.create_application(job_id=job.id, candidate={**candidate("bad"), "email_address": "not-an-email"})
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    foreign = next(s for j in o.k.ats.get_jobs(page_size=250).result.data.results if j.id != job.id for s in j.stages)
    app = o.application(job)
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.move_application_to_stage(application_id=app.id, stage_id=foreign.id)
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert o.fake.seq == seq and o.writes_sent() == []
    # Ashby itself refuses (HTTP 200, success: false): the contract's REMOTE.INPUT_INVALID, nothing changed.
    o.fake.fail_body_next(1, "invalid_input", "The interview stage cannot be entered", path="/application.changeStage")
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.move_application_to_stage(application_id=app.id, stage_id=job.stages[2].id)
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "cannot be entered" in info.value.data.error.message
    o.fake.fail_body_next(1, "missing_endpoint_permission", path="/candidate.createNote")
    with pytest.raises(KomboAtsError) as info:
        o.k.ats.add_application_note(application_id=app.id, content="x", content_type="PLAIN_TEXT")
    assert info.value.data.error.code == "INTEGRATION.PERMISSION_MISSING"
    assert o.fake.seq == seq

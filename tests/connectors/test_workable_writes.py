"""Workable writes through the ``kombo==1.4.0`` SDK against our API and the stateful fake: every action, read
back through the SDK and checked in the fake's own state; idempotent creates; refused input changes nothing."""

from __future__ import annotations

import base64
import copy
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
from atsbridge.fakes.workable import FakeState, create_app
from atsbridge.fakes.workable import writes as fake_writes
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads, sync_now
from tests.test_writes_sdk import answers_for, candidate

CV = b"%PDF-1.4\n% a tiny CV\n"


def recorded(name: str) -> dict[str, Any]:
    """The JSON body of a recorded Workable write request (``write_<name>.request.json``)."""
    body: dict[str, Any] = json.loads((payloads("workable") / f"write_{name}.request.json").read_text())["data"]
    return body


def sent(fake: FakeState, suffix: str) -> dict[str, Any]:
    """The last write body the fake received on a path ending in ``suffix``."""
    return next(body for call, body in reversed(fake.bodies) if call.endswith(suffix))


def upload(name: str, kind: str, content: bytes, content_type: str = "application/pdf") -> dict[str, Any]:
    return {"name": name, "type": kind, "content_type": content_type, "data": base64.b64encode(content).decode()}


@dataclass
class Account:
    fake: FakeState
    iid: str
    key: str
    k: Kombo

    def job(self, state: str = "published") -> Any:
        """The SDK's view of the fake's first job in ``state`` that asks screening questions."""
        shortcode = next(sc for sc, j in self.fake.jobs.items() if j["state"] == state and self.fake.questions[sc])
        return next(j for j in self.k.ats.get_jobs(page_size=250).result.data.results if j.remote_id == shortcode)

    def application(self, job: Any, index: int = 0) -> Any:
        apps = self.k.ats.get_applications(job_ids=[job.id], outcomes=["PENDING"], page_size=250).result.data.results
        return sorted(apps, key=lambda a: a.remote_id)[index]

    def comments(self, candidate_id: str) -> list[dict[str, Any]]:
        return [a for a in self.fake.activities[candidate_id] if a["action"] == "comment"]


@pytest.fixture
def account(engine: Engine, settings: Settings, server: Server) -> Iterator[Callable[..., Account]]:
    with ExitStack() as stack:
        made: list[str] = []

        def make(**config: Any) -> Account:
            app = create_app(seed=11, records=16, rate_limit=None)
            url = stack.enter_context(serve_asgi(app))
            with engine.begin() as conn:
                env = platform.create_environment(conn, f"wk-{uuid.uuid4().hex[:6]}")
                key = platform.create_api_key(conn, env, "test")
            cfg = {"base_url": url + "/spi/v3", "requests_per_10s": 100_000, "sync_all_applications": True, **config}
            iid = create_integration(engine, settings, env, "workable", "Org", config=cfg,
                                     credentials={"token": "workable_token"})  # fmt: skip
            made.append(iid)
            sync_now(engine, settings, iid, full=True)
            return Account(app.state.fake, iid, key, Kombo(api_key=key, integration_id=iid, server_url=server.v1))

        yield make
        with engine.begin() as conn:
            conn.execute(update(integrations).where(integrations.c.id.in_(made)).values(enabled=False))


def test_create_application_with_files_answers_and_stage(
    account: Callable[..., Account], engine: Engine, settings: Settings
) -> None:
    a = account()
    job = a.job()
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = job.stages[2]
    res = a.k.ats.create_application(
        job_id=job.id, candidate=candidate(email), stage_id=stage.id, source={"name": "indeed.com"},
        attachments=[upload("cv.pdf", "CV", CV), upload("letter.txt", "COVER_LETTER", b"Dear team", "text/plain")],
        screening_question_answers=answers_for(job),
    )  # fmt: skip
    app = res.data
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert app.candidate is not None and app.candidate.first_name == "Grace"
    assert any("comment" in w.message for w in res.warnings)
    # The fake holds one candidate (= application) with the resume, the answers and the file comment.
    (vendor,) = [c for c in a.fake.candidates.values() if c["email"] == email]
    assert vendor["id"] == app.remote_id and vendor["job"]["shortcode"] == job.remote_id
    assert vendor["stage"] == stage.name and vendor["domain"] == "indeed.com" and vendor["headline"] == "Rear Admiral"
    assert a.fake.resumes[vendor["id"]] == CV
    assert len(vendor["answers"]) == len(job.screening_questions)
    body = sent(a.fake, "/candidates")  # the recorded create, plus what this candidate has
    assert set(body) == set(recorded("create_candidate")) and set(recorded("create_candidate")["candidate"]) <= set(
        body["candidate"]
    )
    assert (
        body["candidate"]["resume"]["name"] == "cv.pdf" and base64.b64decode(body["candidate"]["resume"]["data"]) == CV
    )
    (comment,) = a.comments(vendor["id"])
    assert a.fake.comment_files[comment["id"]] == ("letter.txt", b"Dear team")
    # Read back through the SDK: the answers, the CV (downloaded live), the file comment as a note.
    listed = a.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert len(listed.screening_question_answers or []) == len(job.screening_questions)
    assert a.k.ats.get_candidates(email=email).result.data.results[0].id == app.candidate_id
    (cv,) = a.k.ats.get_application_attachments(application_id=app.id).data.results
    assert cv.type == "CV" and cv.file_name == "cv.pdf" and httpx.get(cv.data_url).content == CV
    notes = a.k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert [n.content_html for n in notes] == ["<p>File: letter.txt</p>"]
    # The next sync flips nothing back.
    before = listed.changed_at
    sync_now(engine, settings, a.iid, full=False)
    again = a.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert again.changed_at == before and again.current_stage_id == stage.id


def test_move_note_files_links_tags_and_reject(account: Callable[..., Account]) -> None:
    a = account()
    job = a.job()
    app = a.application(job)
    cid = app.remote_id
    target = job.stages[4]
    assert a.k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id).warnings == []
    assert a.k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert a.fake.candidates[cid]["stage"] == target.name

    seen = len(a.comments(cid))
    a.k.ats.add_application_note(application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT")
    assert a.comments(cid)[-1]["body"] == "Strong systems thinking."
    res = a.k.ats.add_application_attachment(application_id=app.id, attachment=upload("extra.txt", "OTHER", b"x"))
    assert res.warnings and "comment" in res.warnings[0].message
    a.k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload("cand.pdf", "OTHER", CV))
    link = a.k.ats.add_application_result_link(
        application_id=app.id, label="Assessment", url="https://assess.example/r/1",
        details={"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "92"}]},
    )  # fmt: skip
    assert link.warnings and "comment" in link.warnings[0].message
    added = a.comments(cid)[seen:]
    assert [c["body"] for c in added] == ["Strong systems thinking.", "File: extra.txt", "File: cand.pdf",
                                          "Assessment: https://assess.example/r/1\nAcme: Score: 92"]  # fmt: skip
    assert [a.fake.comment_files[c["id"]][0] for c in added[1:3]] == ["extra.txt", "cand.pdf"]
    notes = {n.content_html for n in a.k.ats.get_notes(application_ids=[app.id]).result.data.results}
    assert "<p>Strong systems thinking.</p>" in notes and "<p>File: cand.pdf</p>" in notes

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    a.k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag in a.fake.candidates[cid]["tags"]
    assert tag in {t.name for t in a.k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    a.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag.upper()})
    assert tag not in a.fake.candidates[cid]["tags"]
    assert tag not in {t.name for t in a.k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert a.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"}).warnings

    reasons = a.k.ats.get_rejection_reasons(page_size=250).result.data.results
    withdrew = next(r for r in reasons if r.name == "Not interested")
    a.k.ats.reject_application(application_id=app.id, rejection_reason_id=withdrew.id, note="Took another offer")
    rejected = a.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert (rejected.outcome, rejected.rejection_reason_name) == ("DECLINED", "Not interested")
    vendor = a.fake.candidates[cid]
    assert vendor["disqualified"] and vendor["withdrew"] and a.fake.activities[cid][-1]["body"] == "Took another offer"

    # Each call has the body Workable's recorded requests have.
    assert set(sent(a.fake, "/move")) == set(recorded("move_candidate"))
    assert sent(a.fake, "/move")["target_stage"] == target.remote_id.split(":")[1]
    assert set(sent(a.fake, "/disqualify")) == set(recorded("disqualify"))
    assert set(sent(a.fake, "/comments")) == set(recorded("comment"))
    assert sent(a.fake, "/comments")["member_id"] == a.fake.members[0]["id"]  # the first active admin acts
    assert set(sent(a.fake, "/tags")) == set(recorded("tags"))

    other = a.application(job, 1)
    long = a.k.ats.reject_application(application_id=other.id, rejection_reason_id=reasons[0].id, note="x" * 300)
    assert long.warnings and "comment" in long.warnings[0].message
    assert a.fake.candidates[other.remote_id]["disqualified"] and a.comments(other.remote_id)[-1]["body"] == "x" * 300


def test_retried_create_after_a_timeout_creates_one_candidate(account: Callable[..., Account]) -> None:
    """Workable commits the POST but answers after our 1 s timeout; the client retries with the same key."""
    a = account(timeout_seconds=1.0)
    job = a.job()
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    args: dict[str, Any] = {"job_id": job.id, "candidate": candidate(email), "screening_question_answers":
                            answers_for(job), "http_headers": {"Idempotency-Key": uuid.uuid4().hex}}  # fmt: skip
    a.fake.faults.stall_after_commit(1, 2.0, path=f"/jobs/{job.remote_id}/candidates")
    with pytest.raises(KomboAtsError) as info:
        a.k.ats.create_application(**args)
    error = info.value.data.error
    assert error.code == "REMOTE.SERVICE_UNAVAILABLE" and "candidate_create_started" in error.message
    first = a.k.ats.create_application(**args)
    assert a.fake.faults.spent()  # the create did stall past the timeout
    assert [c["id"] for c in a.fake.candidates.values() if c["email"] == email] == [first.data.remote_id]
    posts = [r for r in a.fake.log.lines() if r.startswith(f"POST /spi/v3/jobs/{job.remote_id}/candidates")]
    assert len(posts) == 1
    replay = a.k.ats.create_application(**args)
    assert replay.data.id == first.data.id and len(a.k.ats.get_candidates(email=email).result.data.results) == 1


def test_a_candidate_already_at_workable_is_not_created_twice(account: Callable[..., Account]) -> None:
    a = account()
    job = a.job()
    email = f"known.{uuid.uuid4().hex[:6]}@x.example"
    with a.fake.lock:  # applied at Workable after our last sync: our store does not know it
        fake_writes.create_candidate(a.fake, job.remote_id, {"candidate": {"firstname": "K", "lastname": "N",
                                                                           "email": email}}, None)  # fmt: skip
    with pytest.raises(KomboAtsError) as info:
        a.k.ats.create_application(
            job_id=job.id, candidate=candidate(email), screening_question_answers=answers_for(job)
        )
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    assert len([c for c in a.fake.candidates.values() if c["email"] == email]) == 1


def test_refused_input_changes_nothing_at_workable(account: Callable[..., Account]) -> None:
    a = account()
    job = a.job()
    before = copy.deepcopy(a.fake.candidates)
    body = {"candidate": {**candidate("not-an-email"), "email_address": "not-an-email"}}
    r = httpx.post(f"{a.k.sdk_configuration.server_url}/ats/jobs/{job.id}/applications", json=body,
                   headers={"Authorization": f"Bearer {a.key}", "X-Integration-Id": a.iid})  # fmt: skip
    assert r.status_code == 400 and r.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    with pytest.raises(KomboAtsError) as info:  # a required question left out
        a.k.ats.create_application(job_id=job.id, candidate=candidate("x@y.example"))
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
    assert a.fake.candidates == before
    # Workable itself refuses: the candidate was deleted there after our sync.
    app = a.application(job)
    a.fake.delete_candidate(app.remote_id)
    gone = copy.deepcopy(a.fake.candidates)
    with pytest.raises(KomboAtsError) as info:
        a.k.ats.move_application_to_stage(application_id=app.id, stage_id=job.stages[3].id)
    assert info.value.data.error.code == "REMOTE.INPUT_INVALID" and "404" in info.value.data.error.message
    assert a.fake.candidates == gone


def test_import_tracked_application_by_remote_id(account: Callable[..., Account]) -> None:
    a = account(sync_all_applications=False)
    assert a.k.ats.get_applications().result.data.results == []
    cid = min(a.fake.candidates)
    r = httpx.post(f"{a.k.sdk_configuration.server_url}/ats/import-tracked-application",
                   json={"tracked_at": None, "application_remote_id": cid},
                   headers={"Authorization": f"Bearer {a.key}", "X-Integration-Id": a.iid})  # fmt: skip
    assert r.status_code == 200, r.text
    (app,) = a.k.ats.get_applications().result.data.results
    assert app.remote_id == cid and app.id == r.json()["data"]["id"]
    assert a.k.ats.get_candidates().result.data.results[0].remote_id == cid

"""Greenhouse writes end to end: the ``kombo==1.4.0`` SDK calls our API (the ``server`` fixture) for an integration
pointed at the stateful Greenhouse fake, on SQLite and PostgreSQL. Every write is read back through the SDK and
checked in the fake's own state; the create survives a commit-then-timeout, a 5xx and a 429 under one
Idempotency-Key; invalid input is refused before any vendor write; Greenhouse's own refusals come back as
``REMOTE.INPUT_INVALID`` (or ``ATS.JOB_CLOSED`` / ``ATS.APPLICATION_ALREADY_EXISTS``) with its message."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, update

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.greenhouse import FakeState, create_app
from atsbridge.fakes.greenhouse import writes as fake_writes
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now

#: seed 3 with 45 records: three jobs, one of them open (index 2), five stages each.
RECORDS = 45
CV = b"%PDF-1.4\n% Grace's CV\n\x00\xff"
LETTER = b"Dear hiring team,\n"


@dataclass
class Tenant:
    fake: FakeState
    iid: str
    k: Kombo
    engine: Engine

    def ref(self, model: str, remote: object) -> str:
        return record_id(self.iid, model, str(remote))

    def open_job(self) -> Any:
        return next(j for j in self.k.ats.get_jobs(page_size=250).result.data.results if j.status == "OPEN")

    def other_job(self, job: Any) -> Any:
        return next(j for j in self.k.ats.get_jobs(page_size=250).result.data.results if j.id != job.id)

    def counts(self) -> dict[str, int]:
        with self.fake.lock:
            return {kind: len(rows) for kind, rows in self.fake.tables.items()}

    def fake_candidates(self, email: str) -> list[int]:
        with self.fake.lock:
            return [i for i, row in self.fake.tables["candidates"].items()
                    if email in {e["value"] for e in row.data["email_addresses"]}]  # fmt: skip

    def fake_applications(self, candidate_id: int) -> list[int]:
        with self.fake.lock:
            return self.fake.ids("applications", candidate_id=candidate_id)

    def posted(self, path: str) -> int:
        return sum(1 for method, target, _ in self.fake.writes if method == "POST" and target == path)


@pytest.fixture
def gh(engine: Engine, settings: Settings, environment: str, server: Server) -> Iterator[Callable[..., Tenant]]:
    """Factory: a fresh fake tenant on a real port, an integration on it (short client timeout), synced."""
    stops: list[tuple[Any, str]] = []

    def make(sync_all: bool = True) -> Tenant:
        app = create_app(seed=3, records=RECORDS, rate_limit=None)
        ctx = serve_asgi(app)
        url = ctx.__enter__()
        config = {"base_url": url + "/v3", "token_url": url + "/token", "sync_all_applications": sync_all,
                  "timeout_seconds": 1.0}  # fmt: skip
        iid = create_integration(engine, settings, environment, "greenhouse", "Org", config=config,
                                 credentials={"client_id": "gh_client", "client_secret": "gh_secret"})  # fmt: skip
        stops.append((ctx, iid))
        with engine.begin() as conn:
            key = platform.create_api_key(conn, environment, f"gh-{uuid.uuid4().hex[:6]}")
        sync_now(engine, settings, iid, full=True)
        return Tenant(app.state.fake, iid, Kombo(api_key=key, integration_id=iid, server_url=server.v1), engine)

    yield make
    for ctx, iid in stops:
        with engine.begin() as conn:
            conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))
        ctx.__exit__(None, None, None)


def person(email: str) -> dict[str, Any]:
    return {
        "first_name": "Grace", "last_name": "Hopper", "email_address": email, "phone_number": "+1 212 555 0100",
        "title": "Rear Admiral", "company": "US Navy", "location": {"country": "US", "city": "New York"},
        "social_links": [{"url": "https://www.linkedin.com/in/grace"}, {"url": "https://grace.example"}],
    }  # fmt: skip


def answers_for(job: Any) -> list[dict[str, Any]]:
    """A valid answer to every question of the job's form (the fake's posts: text, boolean, multi-select)."""
    out: list[dict[str, Any]] = []
    for q in job.screening_questions:
        fmt = q.format_.TYPE if q.format_ is not None else "UNKNOWN"
        value: Any = {"TEXT": f"Answer to {q.title}", "BOOLEAN": True}.get(fmt)
        if fmt in ("SINGLE_SELECT", "MULTI_SELECT"):
            option = q.format_.options[-1].id
            value = option if fmt == "SINGLE_SELECT" else [option]
        if value is not None:
            out.append({"question_id": q.id, "answer": value})
    return out


def upload(name: str, data: bytes, kind: str = "OTHER", content_type: str = "text/plain") -> dict[str, Any]:
    return {"name": name, "type": kind, "content_type": content_type, "data": base64.b64encode(data).decode()}


def error_of(call: Callable[[], Any]) -> Any:
    with pytest.raises(KomboAtsError) as info:
        call()
    return info.value.data.error


def create(t: Tenant, job: Any, email: str, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "job_id": job.id,
        "candidate": person(email),
        "screening_question_answers": answers_for(job),
    }
    return t.k.ats.create_application(**{**args, **kw})


# ================================================================================ every write, end to end
def test_create_application_end_to_end(gh: Callable[..., Tenant], engine: Engine, settings: Settings) -> None:
    t = gh()
    job = t.open_job()
    stage = job.stages[1]
    user = t.k.ats.get_users().result.data.results[0]
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    res = create(
        t, job, email, stage_id=stage.id, source={"name": "meetups"}, sourced_by={"user_id": user.id},
        attachments=[upload("cv.pdf", CV, "CV", "application/pdf"), upload("letter.txt", LETTER, "COVER_LETTER"),
                     upload("old-cv.pdf", CV, "CV", "application/pdf")],
        remote_fields={"greenhousev3": {"candidate": {"tags": ["VIP"]}}},
        http_headers={"Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    app = res.data
    assert (app.job_id, app.current_stage_id, app.outcome) == (job.id, stage.id, "PENDING")
    assert app.candidate is not None and app.candidate.first_name == "Grace" and app.candidate.source == "Meetups"
    # Read back through the SDK.
    got = t.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert got.candidate.email_addresses[0].email_address == email
    assert {tag.name for tag in got.candidate.tags} == {"VIP"}
    answered = {a.question.title: a.answer.model_dump() for a in got.screening_question_answers or []}
    assert answered["Have you ever worked for our organization before?"] == {"content": "Yes"}
    assert answered["LinkedIn Profile"] == {"content": "Answer to LinkedIn Profile"}
    files = {f.file_name: f for f in t.k.ats.get_application_attachments(application_id=app.id).data.results}
    assert {n: f.type for n, f in files.items()} == {
        "cv.pdf": "CV",
        "letter.txt": "COVER_LETTER",
        "old-cv.pdf": "OTHER",
    }
    assert httpx.get(files["cv.pdf"].data_url).content == CV
    # The fake's own state.
    (cand_id,) = t.fake_candidates(email)
    (app_id,) = t.fake_applications(cand_id)
    assert str(app_id) == app.remote_id and str(cand_id) == app.candidate.remote_id
    fake_cand, fake_app = t.fake.get("candidates", cand_id), t.fake.get("applications", app_id)
    assert fake_cand["tags"] == ["VIP"] and fake_cand["title"] == "Rear Admiral"
    assert fake_cand["addresses"] == [{"value": "New York, US", "type": "home"}]
    assert fake_cand["social_media_addresses"] == [{"value": "https://www.linkedin.com/in/grace"}]
    assert fake_cand["website_addresses"] == [{"value": "https://grace.example", "type": "personal"}]
    assert fake_app["jobs"][0]["id"] == int(job.remote_id) and fake_app["current_stage"]["id"] == int(stage.remote_id)
    assert fake_app["source"] == {"id": 12, "public_name": "Meetups"} and fake_app["credited_to"]["id"] == int(
        user.remote_id
    )
    assert {"question": "How did you hear about this job?", "answer": "Answer to How did you hear about this job?"} in (
        fake_app["answers"]
    )
    stored = {t.fake.get("attachments", a)["filename"]: a for a in t.fake.ids("attachments", application_id=app_id)}
    assert t.fake.get("attachments", stored["cv.pdf"])["type"] == "resume"
    assert t.fake.get("attachments", stored["old-cv.pdf"])["type"] == "other"  # only the first CV is the resume
    assert t.fake.attachment_content(stored["letter.txt"]) == LETTER
    # The next sync flips nothing back.
    sync_now(engine, settings, t.iid, full=False)
    again = t.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert (again.changed_at, again.current_stage_id) == (got.changed_at, stage.id)


def test_every_other_write(gh: Callable[..., Tenant]) -> None:
    t = gh()
    job = t.open_job()
    app = create(t, job, f"ada.{uuid.uuid4().hex[:6]}@x.example").data
    cand_id, app_id = int(app.candidate.remote_id), int(app.remote_id)

    target = job.stages[3]
    assert t.k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id).warnings == []
    assert t.k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert t.fake.get("applications", app_id)["current_stage"]["id"] == int(target.remote_id)

    author = t.k.ats.get_users().result.data.results[1]
    t.k.ats.add_application_note(
        application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT",
        remote_fields={"greenhouse": {"post_headers": {"On-Behalf-Of": author.remote_id}},
                       "greenhousev3": {"visibility": "private"}},
    )  # fmt: skip
    notes = t.k.ats.get_notes(application_ids=[app.id]).result.data.results
    note = next(n for n in notes if n.content_html == "<p>Strong systems thinking.</p>")
    assert note.author_id == author.id and note.is_private
    fake_note = t.fake.get("notes", int(note.remote_id))
    assert (fake_note["user"]["id"], fake_note["visibility"]) == (int(author.remote_id), "private")

    details = {"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "92"}]}
    link = t.k.ats.add_application_result_link(application_id=app.id, label="Assessment",
                                               url="https://assess.example/r/1", details=details)  # fmt: skip
    assert link.warnings and "note" in link.warnings[0].message
    cand_link = t.k.ats.add_candidate_result_link(candidate_id=app.candidate_id, label="Profile",
                                                  url="https://assess.example/p/1")  # fmt: skip
    assert cand_link.warnings
    bodies = {t.fake.get("notes", n)["body"]: t.fake.get("notes", n) for n in t.fake.ids("notes", candidate_id=cand_id)}
    assert bodies["Assessment: https://assess.example/r/1\nAcme: Score: 92"]["application_id"] == app_id
    assert bodies["Profile: https://assess.example/p/1"]["application_id"] is None

    t.k.ats.add_application_attachment(application_id=app.id, attachment=upload("extra.txt", b"x"))
    t.k.ats.add_candidate_attachment(
        candidate_id=app.candidate_id, attachment=upload("cv.pdf", CV, "CV", "application/pdf")
    )
    names = {f.file_name: f for f in t.k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert {"extra.txt", "cv.pdf"} <= set(names) and names["cv.pdf"].application_id is None
    assert httpx.get(names["extra.txt"].data_url).content == b"x"
    rows = {t.fake.get("attachments", a)["filename"]: t.fake.get("attachments", a)
            for a in t.fake.ids("attachments", candidate_id=cand_id)}  # fmt: skip
    assert (rows["extra.txt"]["application_id"], rows["cv.pdf"]["type"]) == (app_id, "resume")

    tags_before = len(t.fake.tables["candidate_tags"])
    new = f"hot-{uuid.uuid4().hex[:4]}"
    t.k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": new})
    t.k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": "ruby"})  # exists as "Ruby"
    tags = {x.name for x in t.k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert tags == {new, "Ruby"} and new in {x.name for x in t.k.ats.get_tags(page_size=250).result.data.results}
    assert len(t.fake.tables["candidate_tags"]) == tags_before + 1
    assert t.fake.get("candidates", cand_id)["tags"] == [new, "Ruby"]
    t.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": new.upper()})
    tags = {x.name for x in t.k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert tags == {"Ruby"} and t.fake.get("candidates", cand_id)["tags"] == ["Ruby"]
    assert t.k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"}).warnings

    reason = t.k.ats.get_rejection_reasons().result.data.results[0]
    rf = {"greenhousev3": {"rejection_email": {"email_template_id": 42}}}
    t.k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now", remote_fields=rf)
    rejected = t.k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert (rejected.outcome, rejected.rejection_reason_name) == ("DECLINED", reason.name)
    fake_app = t.fake.get("applications", app_id)
    assert (fake_app["status"], fake_app["rejection_reason"]["id"]) == ("rejected", int(reason.remote_id))
    notes = t.k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert any(n.content_html == "<p>Not now</p>" for n in notes)
    rejects = [body for method, path, body in t.fake.writes if path.endswith(f"/{app_id}/reject")]
    assert rejects == [{"rejection_reason_id": int(reason.remote_id), "notes": "Not now",
                        "rejection_email": {"email_template_id": 42}}]  # fmt: skip


def test_import_tracked_application(gh: Callable[..., Tenant]) -> None:
    t = gh(sync_all=False)
    assert t.k.ats.get_applications().result.data.results == []
    app_id = max(t.fake.tables["applications"])
    res = t.k.ats.import_tracked_application(tracked_at=None, greenhouse={"application_id": str(app_id)})
    assert res.data.imported_id.greenhouse.application_id == str(app_id)
    (listed,) = t.k.ats.get_applications().result.data.results
    assert listed.id == res.data.id == t.ref("applications", app_id)
    assert listed.candidate_id == t.ref("candidates", t.fake.get("applications", app_id)["candidate_id"])
    other = min(t.fake.tables["applications"])
    res3 = t.k.ats.import_tracked_application(tracked_at=None, greenhousev3={"application_id": str(other)})
    assert res3.data.id == t.ref("applications", other) and len(t.k.ats.get_applications().result.data.results) == 2
    err = error_of(lambda: t.k.ats.import_tracked_application(tracked_at=None, greenhouse={"application_id": "999"}))
    assert err.code == "REMOTE.INPUT_INVALID" and "no application 999" in err.message


# ======================================================================= faults on the create, one key
UNAVAILABLE, LIMITED = "REMOTE.SERVICE_UNAVAILABLE", "REMOTE.RATE_LIMIT_EXCEEDED"
FAULTS: dict[str, tuple[Callable[[FakeState], None], str, int, int]] = {
    # name: (plan, error code of the first try, POSTs /v3/candidates and /v3/applications the fake receives)
    "commit then timeout (candidate)": (
        lambda f: f.faults.stall_after_commit(1, 2.0), "REMOTE.SERVICE_UNAVAILABLE", 1, 1),
    "commit then timeout (application)": (
        lambda f: f.faults.stall_after_commit(1, 2.0, after=1), "REMOTE.SERVICE_UNAVAILABLE", 1, 1),
    "5xx (candidate)": (lambda f: f.faults.fail_next(1, 502, writes=True), UNAVAILABLE, 2, 1),
    "5xx (application)": (lambda f: f.faults.fail_next(1, 503, after=1, writes=True), UNAVAILABLE, 1, 2),
    "429 (application)": (lambda f: f.faults.rate_limit_storm(1, after=1, writes=True), LIMITED, 1, 2),
    "truncated answer": (lambda f: f.faults.truncate_next(1, after=1, writes=True), UNAVAILABLE, 1, 1),
}  # fmt: skip


@pytest.mark.parametrize("fault", list(FAULTS))
def test_create_survives_faults_under_one_key(gh: Callable[..., Tenant], fault: str) -> None:
    t = gh()
    plan, code, candidate_posts, application_posts = FAULTS[fault]
    job = t.open_job()
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    attach = [upload("cv.pdf", CV, "CV", "application/pdf")]
    plan(t.fake)
    assert error_of(lambda: create(t, job, email, attachments=attach, http_headers=key)).code == code
    first = create(t, job, email, attachments=attach, http_headers=key)
    replay = create(t, job, email, attachments=attach, http_headers=key)
    assert replay.model_dump() == first.model_dump()
    (cand_id,) = t.fake_candidates(email)
    (app_id,) = t.fake_applications(cand_id)
    assert first.data.remote_id == str(app_id) and len(t.fake.ids("attachments", application_id=app_id)) == 1
    assert (t.posted("/v3/candidates"), t.posted("/v3/applications")) == (candidate_posts, application_posts)
    assert len(t.k.ats.get_candidates(email=email).result.data.results) == 1


# ================================================================== invalid input: refused, nothing written
def _bad_create(t: Tenant, **kw: Any) -> Callable[[], Any]:
    job = t.open_job()
    return lambda: create(t, job, f"bad.{uuid.uuid4().hex[:6]}@x.example", **kw)


def _foreign_stage(t: Tenant) -> Callable[[], Any]:
    job = t.open_job()
    return _bad_create(t, stage_id=t.other_job(job).stages[0].id)


def _bad_answer(t: Tenant) -> Callable[[], Any]:
    job = t.open_job()
    multi = next(q for q in job.screening_questions if q.format_ and q.format_.TYPE == "MULTI_SELECT")
    answers = [a for a in answers_for(job) if a["question_id"] != multi.id]
    return _bad_create(t, screening_question_answers=[*answers, {"question_id": multi.id, "answer": ["nope"]}])


def _existing_app(t: Tenant) -> Any:
    """A pending candidate application: prospects are pending too but cannot be moved or rejected in Greenhouse,
    and the API's order differs between databases, so the pick is checked against the fake."""
    pending = [a for a in t.k.ats.get_applications(page_size=250).result.data.results if a.outcome == "PENDING"]
    with t.fake.lock:
        return next(a for a in pending if not t.fake.get("applications", int(a.remote_id)).get("prospect"))


def _bad_reason(t: Tenant) -> Callable[[], Any]:
    app = _existing_app(t)
    return lambda: t.k.ats.reject_application(application_id=app.id, rejection_reason_id="no-such-reason")


def _bad_move(t: Tenant) -> Callable[[], Any]:
    app = _existing_app(t)
    foreign = next(j for j in t.k.ats.get_jobs(page_size=250).result.data.results if j.id != app.job_id)
    return lambda: t.k.ats.move_application_to_stage(application_id=app.id, stage_id=foreign.stages[0].id)


def _bad_file(t: Tenant) -> Callable[[], Any]:
    app = _existing_app(t)
    bad = {"name": "a.pdf", "type": "CV", "content_type": "application/pdf", "data": "%%% not base64"}
    return lambda: t.k.ats.add_application_attachment(application_id=app.id, attachment=bad)


INVALID: dict[str, tuple[Callable[[Tenant], Callable[[], Any]], str]] = {
    "stage of another job": (_foreign_stage, "stage_id"),
    "move to a stage of another job": (_bad_move, "stage_id"),
    "answer not an option": (_bad_answer, "not an option"),
    "unknown rejection reason": (_bad_reason, "rejection_reason_id"),
    "bad base64 on create": (lambda t: _bad_create(t, attachments=[{**upload("a", b"x"), "data": "%%%"}]),
                             "attachments[0].data"),
    "bad base64 on attachment": (_bad_file, "attachment[0].data"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_input_is_refused_before_any_vendor_write(gh: Callable[..., Tenant], case: str) -> None:
    t = gh()
    make, needle = INVALID[case]
    call = make(t)
    before, writes = t.counts(), len(t.fake.writes)
    err = error_of(call)
    assert err.code == "PLATFORM.INPUT_INVALID" and needle in err.message, err
    assert len(t.fake.writes) == writes and t.counts() == before


# ======================================================================== Greenhouse's own refusals
def test_vendor_refusals_carry_greenhouses_message(gh: Callable[..., Tenant]) -> None:
    t = gh()
    app = _existing_app(t)
    job = next(j for j in t.k.ats.get_jobs(page_size=250).result.data.results if j.id == app.job_id)
    gone = next(s for s in job.stages if s.id != app.current_stage_id)
    t.fake.delete("job_interview_stages", int(gone.remote_id))  # deleted in Greenhouse since the last sync
    err = error_of(lambda: t.k.ats.move_application_to_stage(application_id=app.id, stage_id=gone.id))
    assert err.code == "REMOTE.INPUT_INVALID" and f"to_stage_id: Stage {gone.remote_id} does not exist" in err.message

    reason = t.k.ats.get_rejection_reasons().result.data.results[0]
    t.fake.reject(int(app.remote_id), int(reason.remote_id))  # rejected in Greenhouse since the last sync
    err = error_of(lambda: t.k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id))
    assert err.code == "REMOTE.INPUT_INVALID" and "Application must be 'active', is currently 'rejected'" in err.message
    assert t.fake.counters["422"] == 2


def test_closed_job_and_duplicate_application_at_the_vendor(gh: Callable[..., Tenant]) -> None:
    t = gh()
    job = t.open_job()
    # The job closed in Greenhouse after the last sync: refused before anything is written.
    with t.fake.lock:
        t.fake.get("jobs", int(job.remote_id))["status"] = "closed"
    assert error_of(lambda: create(t, job, "late@x.example")).code == "ATS.JOB_CLOSED"
    assert t.fake.writes == [] and t.fake_candidates("late@x.example") == []
    # ...and closing between the candidate and the application: Greenhouse's own refusal, same code.
    with t.fake.lock:
        t.fake.get("jobs", int(job.remote_id))["status"] = "open"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    t.fake.faults.stall_after_commit(1, 2.0)
    assert error_of(lambda: create(t, job, "race@x.example", http_headers=key)).code == "REMOTE.SERVICE_UNAVAILABLE"
    with t.fake.lock:
        t.fake.get("jobs", int(job.remote_id))["status"] = "closed"
    err = error_of(lambda: create(t, job, "race@x.example", http_headers=key))
    assert err.code == "ATS.JOB_CLOSED" and "not accepting applications" in err.message
    with t.fake.lock:
        t.fake.get("jobs", int(job.remote_id))["status"] = "open"
    # A candidate who applied in Greenhouse since the last sync: found by email, Greenhouse refuses the duplicate.
    with t.fake.lock:
        cand = next(c for c in sorted(t.fake.tables["candidates"]) if not t.fake.ids("applications", candidate_id=c))
        email = t.fake.get("candidates", cand)["email_addresses"][0]["value"]
    with t.fake.lock:
        fake_writes.create_application(t.fake, {"candidate_id": cand, "job_id": int(job.remote_id)})
    err = error_of(lambda: create(t, job, email))
    assert err.code == "ATS.APPLICATION_ALREADY_EXISTS" and "already has an application" in err.message
    assert len(t.fake_applications(cand)) == 1 and t.fake_candidates(email) == [cand]


def test_a_returning_candidate_gets_the_new_application(gh: Callable[..., Tenant]) -> None:
    t = gh()
    job = t.open_job()
    with t.fake.lock:
        cand = next(c for c in sorted(t.fake.tables["candidates"])
                    if all(t.fake.get("applications", a)["jobs"][0]["id"] != int(job.remote_id)
                           for a in t.fake.ids("applications", candidate_id=c)))  # fmt: skip
        email = t.fake.get("candidates", cand)["email_addresses"][0]["value"]
    res = create(t, job, email.upper())
    assert res.data.candidate.remote_id == str(cand) and t.fake_candidates(email) == [cand]
    assert any("left unchanged" in w.message for w in res.warnings)
    assert t.posted("/v3/candidates") == 0 and t.posted("/v3/applications") == 1


# ============================================================================ the fake's own write rules
def test_fake_enforces_greenhouse_write_rules() -> None:
    app = create_app(seed=3, records=RECORDS, rate_limit=None)
    fake: FakeState = app.state.fake
    job = next(i for i, r in fake.tables["jobs"].items() if r.data["status"] == "open")
    closed = next(i for i, r in fake.tables["jobs"].items() if r.data["status"] == "closed")
    user = min(fake.tables["users"])
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/v3") as c:
        token = httpx.post(url + "/token", data={"grant_type": "client_credentials", "sub": str(user)},
                           auth=("gh_client", "gh_secret")).json()["access_token"]  # fmt: skip
        c.headers["Authorization"] = f"Bearer {token}"
        assert c.post("/candidates", json={"first_name": "A"}).json() == {
            "message": "Validation error",
            "errors": [{"message": "last_name can't be blank", "field": "last_name"}],
        }
        cand = c.post("/candidates", json={"first_name": "A", "last_name": "B"})
        assert cand.status_code == 201 and cand.json()["applications"] == []
        cid = cand.json()["id"]
        r = c.post("/applications", json={"candidate_id": cid, "job_id": closed})
        assert r.status_code == 422 and "not accepting applications" in r.text
        foreign = fake.ids("job_interview_stages", job_id=closed)[0]
        r = c.post("/applications", json={"candidate_id": cid, "job_id": job, "initial_stage_id": foreign})
        assert r.status_code == 422 and f"Stage {foreign} is not a stage of job {job}" in r.text
        bad = {"filename": "a.pdf", "type": "resume", "content": "%%%", "content_type": "application/pdf"}
        r = c.post("/applications", json={"candidate_id": cid, "job_id": job, "attachments": [bad]})
        assert r.status_code == 422 and "Base64" in r.text
        assert c.post("/applications", json={"candidate_id": cid, "job_id": job}).status_code == 201
        r = c.post("/applications", json={"candidate_id": cid, "job_id": job})
        assert r.status_code == 422 and "already has an application" in r.text
        note = c.post("/notes", json={"candidate_id": cid, "body": "hi", "visibility": "private"}).json()
        assert note["user"]["id"] == user and note["visibility"] == "private"
        assert c.delete("/applied_candidate_tags/12345").status_code == 404
        # Fault knobs on writes: a planned failure writes nothing; a stall writes, then answers late.
        fake.faults.fail_next(1, 503, writes=True)
        assert c.post("/candidates", json={"first_name": "C", "last_name": "D"}).status_code == 503
        assert not any(r.data["first_name"] == "C" for r in fake.tables["candidates"].values())
        fake.faults.stall_after_commit(1, 1.5)
        with pytest.raises(httpx.ReadTimeout):
            c.post("/candidates", json={"first_name": "E", "last_name": "F"}, timeout=0.3)
        assert any(r.data["first_name"] == "E" for r in fake.tables["candidates"].values())
    assert [m for m, _, _ in fake.writes].count("POST") == 10

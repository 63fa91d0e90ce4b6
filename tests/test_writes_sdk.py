"""Every write of the contract through the ``kombo==1.4.0`` SDK against the sandbox ATS, read back through
the SDK and checked in the sandbox ATS's own state; idempotency; invalid input refused before any change."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, func, select

from atsbridge.connectors.sandbox import sandbox_for
from atsbridge.connectors.sandbox.simulate import World
from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, sandbox_changes
from tests.conftest import Sandbox, Server, make_sandbox, sync_now

CV = b"%PDF-1.4\n% a tiny CV\n"


@pytest.fixture(scope="module")
def sbx(engine: Engine, settings: Settings) -> Sandbox:
    return make_sandbox(engine, settings, "small", seed=31)


def client(server: Server, sbx: Sandbox) -> Kombo:
    return Kombo(api_key=sbx.key, integration_id=sbx.integration_id, server_url=server.v1)


def open_job(k: Kombo) -> Any:
    jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    return next(j for j in jobs if len(j.stages) >= 3 and j.screening_questions)


def answers_for(job: Any) -> list[dict[str, Any]]:
    """A valid answer to every answerable question of the job (the ones a form would show)."""
    out: list[dict[str, Any]] = []
    for q in job.screening_questions:
        fmt = q.format_.TYPE if q.format_ is not None else "UNKNOWN"
        value: Any
        if fmt == "TEXT":
            value = "Because I like it"
        elif fmt == "NUMBER":
            value = float(q.format_.min or 0)
        elif fmt == "BOOLEAN":
            value = True
        elif fmt == "DATE":
            value = "2026-01-15"
        elif fmt == "SINGLE_SELECT":
            value = q.format_.options[0].id
        elif fmt == "MULTI_SELECT":
            value = [q.format_.options[0].id]
        elif fmt == "FILE":
            value = {"name": "portfolio.txt", "content_type": "text/plain", "data": base64.b64encode(b"hi").decode()}
        else:
            continue
        out.append({"question_id": q.id, "answer": value})
    return out


def candidate(email: str) -> dict[str, Any]:
    return {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email_address": email,
        "phone_number": "+1 212 555 0100",
        "title": "Rear Admiral",
        "company": "US Navy",
        "location": {"country": "US", "city": "New York"},
    }


def sandbox_rows(engine: Engine, iid: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(sandbox_changes.c.integration_id == iid)).scalar_one())


def test_create_application_end_to_end(server: Server, engine: Engine, settings: Settings, sbx: Sandbox) -> None:
    k = client(server, sbx)
    job = open_job(k)
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = job.stages[1]
    res = k.ats.create_application(
        job_id=job.id,
        candidate=candidate(email),
        stage_id=stage.id,
        attachments=[
            {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": base64.b64encode(CV).decode()}
        ],
        screening_question_answers=answers_for(job),
    )
    app = res.data
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert app.candidate is not None and app.candidate.first_name == "Grace"
    # Reads reflect the write at once.
    listed = k.ats.get_applications(ids=[app.id]).result.data.results
    assert listed and listed[0].candidate.email_addresses[0].email_address == email
    assert k.ats.get_candidates(email=email.upper()).result.data.results[0].id == app.candidate_id
    files = k.ats.get_application_attachments(application_id=app.id).data.results
    cv = next(f for f in files if f.type == "CV")
    assert httpx.get(cv.data_url).content == CV
    # The sandbox ATS itself holds the new records.
    world = World(engine, sbx.integration_id, sandbox_for(_info(engine, sbx)), __import__("random").Random())
    assert world.get("applications", app.remote_id)["jobId"] == job.remote_id
    # The next sync does not flip anything back.
    before = listed[0].changed_at
    sync_now(engine, settings, sbx.integration_id, full=False)
    again = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert again.changed_at == before and again.current_stage_id == stage.id


def _info(engine: Engine, sbx: Sandbox) -> Any:
    from atsbridge.connectors.base import IntegrationInfo

    with engine.connect() as conn:
        integration = platform.get_integration(conn, sbx.integration_id)
    assert integration is not None
    return IntegrationInfo(integration.id, "sandbox", integration.config, {}, engine)


def test_create_with_remote_job_id_and_legacy_create_candidate(server: Server, sbx: Sandbox) -> None:
    k = client(server, sbx)
    job = open_job(k)
    res = k.ats.create_application(
        job_id=f"remote:{job.remote_id}",
        candidate=candidate(f"remote.{uuid.uuid4().hex[:6]}@x.example"),
        screening_question_answers=answers_for(job),
    )
    assert res.data.job_id == job.id and res.data.current_stage_id == job.stages[0].id
    legacy = k.ats.create_candidate(
        candidate=candidate(f"legacy.{uuid.uuid4().hex[:6]}@x.example"),
        application={"job_id": job.id},
        screening_question_answers=answers_for(job),
    )
    assert legacy.data.applications and legacy.data.applications[0].job.id == job.id


def test_idempotent_create(server: Server, engine: Engine, sbx: Sandbox) -> None:
    k = client(server, sbx)
    job = open_job(k)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    args: dict[str, Any] = {
        "job_id": job.id,
        "candidate": candidate(email),
        "screening_question_answers": answers_for(job),
    }
    first = k.ats.create_application(**args, http_headers=key)
    rows = sandbox_rows(engine, sbx.integration_id)
    second = k.ats.create_application(**args, http_headers=key)
    assert second.data.id == first.data.id
    assert sandbox_rows(engine, sbx.integration_id) == rows  # no second vendor call
    assert len(k.ats.get_candidates(email=email).result.data.results) == 1
    other = {**args, "candidate": candidate(f"other.{uuid.uuid4().hex[:6]}@x.example")}
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(**other, http_headers=key)
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID" and "Idempotency-Key" in info.value.data.error.message
    # Without a key, a repeat is a duplicate and the ATS says so.
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(**args)
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"


def test_move_reject_note_tags_files_links(server: Server, engine: Engine, sbx: Sandbox) -> None:
    k = client(server, sbx)
    job = open_job(k)
    app = k.ats.create_application(
        job_id=job.id,
        candidate=candidate(f"m.{uuid.uuid4().hex[:6]}@x.example"),
        screening_question_answers=answers_for(job),
    ).data
    target = job.stages[2]
    assert k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id).warnings == []
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    foreign = next(s for j in k.ats.get_jobs(page_size=250).result.data.results if j.id != job.id for s in j.stages)
    with pytest.raises(KomboAtsError) as info:
        k.ats.move_application_to_stage(application_id=app.id, stage_id=foreign.id)
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID" and target.id in info.value.data.error.message

    k.ats.add_application_note(application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT")
    notes = k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert any("Strong systems thinking." in (n.content_html or "") for n in notes)

    link = k.ats.add_application_result_link(
        application_id=app.id, label="Assessment", url="https://assess.example/r/1",
        details={"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "92"}]},
    )  # fmt: skip
    assert link.warnings and "note" in link.warnings[0].message

    upload = {
        "name": "extra.txt",
        "type": "OTHER",
        "content_type": "text/plain",
        "data": base64.b64encode(b"x").decode(),
    }
    k.ats.add_application_attachment(application_id=app.id, attachment=upload)
    k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment={**upload, "name": "cand.txt"})
    names = {f.file_name for f in k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert {"extra.txt", "cand.txt"} <= names

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    tags = k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags
    assert tag in {t.name for t in tags}
    assert tag in {t.name for t in k.ats.get_tags(page_size=250).result.data.results}
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag not in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    absent = k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"})
    assert absent.warnings

    reason = k.ats.get_rejection_reasons().result.data.results[0]
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == reason.name
    with pytest.raises(KomboAtsError) as info:
        k.ats.reject_application(application_id=app.id, rejection_reason_id="nope")
    assert (
        info.value.data.error.code == "PLATFORM.INPUT_INVALID"
        and "rejection_reason_id" in info.value.data.error.message
    )


def test_closed_job_and_unknown_ids(server: Server, sbx: Sandbox) -> None:
    k = client(server, sbx)
    closed = next(j for j in k.ats.get_jobs(page_size=250).result.data.results if j.status in ("CLOSED", "ARCHIVED"))
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=closed.id, candidate=candidate("closed@x.example"))
    assert info.value.data.error.code == "ATS.JOB_CLOSED"
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id="nope", candidate=candidate("nope@x.example"))
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID" and "job_id" in info.value.data.error.message
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_application_note(application_id="nope", content="x", content_type="PLAIN_TEXT")
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID" and "application_id" in info.value.data.error.message


@pytest.mark.parametrize(
    "mutate, needle",
    [
        (lambda b, q: b["candidate"].update(email_address="not-an-email"), "candidate.email_address"),
        (lambda b, q: b["candidate"].pop("first_name"), "candidate.first_name"),
        (lambda b, q: b.update(colour="blue"), "colour"),
        (
            lambda b, q: b.update(attachments=[{"name": "a", "type": "CV", "content_type": "x/y", "data": "%%%"}]),
            "attachments[0].data",
        ),
        (lambda b, q: b.update(attachments=[{"name": "a", "type": "CV"}]), "attachments[0]"),
        (lambda b, q: b.update(stage_id="nope"), "stage_id"),
        (lambda b, q: b["candidate"].update(location={"country": "usa"}), "candidate.location.country"),
        (
            lambda b, q: b.update(screening_question_answers=[{"question_id": q["select"], "answer": "not-an-option"}]),
            "not an option",
        ),
        (lambda b, q: b.update(screening_question_answers=[{"question_id": q["number"], "answer": "ten"}]), "NUMBER"),
    ],
)
def test_invalid_bodies_change_nothing(server: Server, engine: Engine, sbx: Sandbox, mutate: Any, needle: str) -> None:
    k = client(server, sbx)
    job = open_job(k)
    by_type = {(q.format_.TYPE if q.format_ else "UNKNOWN"): q.id for q in job.screening_questions}
    questions = {"select": by_type.get("SINGLE_SELECT"), "number": by_type.get("NUMBER")}
    if None in questions.values():
        pytest.skip("the chosen job lacks a select or number question")  # the generator gives every job both
    body: dict[str, Any] = {"candidate": candidate(f"bad.{uuid.uuid4().hex[:6]}@x.example"),
                            "screening_question_answers": answers_for(job)}  # fmt: skip
    mutate(body, questions)
    rows = sandbox_rows(engine, sbx.integration_id)
    apps = MODEL_TABLES["applications"]
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).where(apps.c.integration_id == sbx.integration_id)).scalar_one()
    r = httpx.post(
        f"{server.v1}/ats/jobs/{job.id}/applications",
        json=body,
        headers={"Authorization": f"Bearer {sbx.key}", "X-Integration-Id": sbx.integration_id},
    )
    assert r.status_code in (400, 404), r.text
    err = r.json()["error"]
    assert err["code"] == "PLATFORM.INPUT_INVALID" and needle in err["message"], err
    assert sandbox_rows(engine, sbx.integration_id) == rows
    with engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).where(apps.c.integration_id == sbx.integration_id)).scalar_one() == stored
        )


def test_import_tracked_application(server: Server, engine: Engine, settings: Settings) -> None:
    """With tracking on, nothing but tracked applications is served; an import makes one appear at once."""
    with engine.begin() as conn:
        env = platform.create_environment(conn, "tracking")
        key = platform.create_api_key(conn, env, "t")
        iid = platform.create_integration(
            conn, env, "sandbox", "Tracked Inc.", {"seed": 31, "size": "small", "sync_all_applications": False}
        )
    sync_now(engine, settings, iid, full=True)
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    assert k.ats.get_applications().result.data.results == []
    assert k.ats.get_jobs().result.data.results  # jobs are synced regardless
    res = k.ats.import_tracked_application(tracked_at=None, greenhouse={"application_id": "app_3"})
    assert res.data.imported_id.greenhouse.application_id == "app_3"
    apps = k.ats.get_applications().result.data.results
    assert [a.id for a in apps] == [res.data.id]
    assert k.ats.get_candidates().result.data.results[0].id == apps[0].candidate_id
    sync_now(engine, settings, iid, full=True)  # stays tracked, nothing else appears
    assert [a.id for a in k.ats.get_applications().result.data.results] == [res.data.id]


def test_action_not_available(server: Server, engine: Engine, settings: Settings) -> None:
    import dataclasses

    from atsbridge.connectors import registry

    sandbox = registry.get_connector("sandbox")
    registry.BUILTIN["readonly"] = registry.BUILTIN["sandbox"]
    registry._loaded["readonly"] = dataclasses.replace(sandbox, tool="readonly", actions={})
    try:
        with engine.begin() as conn:
            env = platform.create_environment(conn, "ro")
            key = platform.create_api_key(conn, env, "t")
            iid = platform.create_integration(
                conn, env, "readonly", "RO", {"seed": 2, "size": "tiny", "sync_all_applications": True}
            )
        sync_now(engine, settings, iid, full=True)
        k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
        app = k.ats.get_applications().result.data.results[0]
        with pytest.raises(KomboAtsError) as info:
            k.ats.add_application_note(application_id=app.id, content="x", content_type="PLAIN_TEXT")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"
    finally:
        registry.BUILTIN.pop("readonly")
        registry._loaded.pop("readonly")

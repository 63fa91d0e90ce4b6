"""Lever writes: the recorded write payloads parsed unchanged, then every write through the ``kombo==1.4.0`` SDK
against our API with an integration pointed at the stateful fake (on SQLite and PostgreSQL): read back through
the SDK and checked in the fake's own state; faults on the create; invalid input refused before any vendor
write; vendor rejections surfaced with Lever's message."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, update

from atsbridge.connect.service import create_integration
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.lever import CONNECTOR
from atsbridge.connectors.lever.api import API
from atsbridge.connectors.lever.create import opportunity_body
from atsbridge.connectors.lever.streams import LeverSource
from atsbridge.core.config import Settings
from atsbridge.fakes.lever import FakeState, create_app
from atsbridge.fakes.lever.writes import write_view
from atsbridge.model import write_bodies as bodies
from atsbridge.store import platform
from atsbridge.store.tables import integrations
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads, sync_now

Raw = dict[str, Any]
PAY = payloads("lever")
OPP_ID = "6408dc54-7015-4e5b-8d60-23afff2b1efc"
ACTOR = "be129d9b-50da-4485-9377-0d83e981f30b"
CV = b"%PDF-1.4\n% Grace's CV\n\x00\xff"


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


# ----------------------------------------------------------------------- recorded payloads, parsed unchanged


def recorded_transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    """Lever as recorded: each write answers its recorded response; reads answer the recorded records."""
    writes = {
        ("PUT", f"/v1/opportunities/{OPP_ID}/stage"): "write_update_stage",
        ("PUT", f"/v1/opportunities/{OPP_ID}/archived"): "write_archive",
        ("POST", f"/v1/opportunities/{OPP_ID}/notes"): "write_create_note",
        ("POST", f"/v1/opportunities/{OPP_ID}/addTags"): "write_add_tags",
    }
    reads = {
        f"/v1/opportunities/{OPP_ID}/applications": {"data": [load("application_single.json")["data"]]},
        "/v1/archive_reasons": {"data": load("archive_reasons.json")["data"], "hasNext": False},
        f"/v1/opportunities/{OPP_ID}": load("opportunity_single.json"),
    }

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        name = writes.get((request.method, request.url.path))
        if name is not None:
            return httpx.Response(200, content=(PAY / f"{name}.response.json").read_bytes())
        body = {**reads[request.url.path], "hasNext": False}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handle)


def run_recorded(action: str, call: WriteCall) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    client = HttpClient(base_url="https://api.lever.co/v1", transport=recorded_transport(seen))
    source = LeverSource(client, {"perform_as": ACTOR})

    async def go() -> Any:
        try:
            return await CONNECTOR.actions[action](source, call)
        finally:
            await source.aclose()

    return asyncio.run(go()), seen


def mapped(result: Any) -> dict[str, list[Any]]:
    streams = {s.name: s for s in CONNECTOR.streams}
    out: dict[str, list[Any]] = {}
    for stream, raw in result.records:
        for rec in streams[stream].mapper(raw, MapContext("lever:golden")):
            out.setdefault(rec.model, []).append(rec)
    return out


@pytest.mark.parametrize(
    "action, name, body, extra",
    [
        ("move_application_to_stage", "write_update_stage", bodies.MoveStage(stage_id="x"),
         {"stage": {"remote_id": "lead-reached-out"}}),
        ("reject_application", "write_archive", bodies.Reject(rejection_reason_id="x"),
         {"rejection_reason": {"remote_id": "c97322d4-a7f3-4008-948c-4f8e9c58d372"}}),
        ("add_application_note", "write_create_note",
         bodies.Note(content="Test note created by Nango action dryrun", content_type="PLAIN_TEXT"), {}),
        ("add_candidate_tag", "write_add_tags", bodies.TagBody(tag=bodies.TagName(name="nango-test-tag")), {}),
    ],
)  # fmt: skip
def test_recorded_requests_and_responses(action: str, name: str, body: Any, extra: Raw) -> None:
    """Each action sends exactly the recorded request and maps the recorded answer (unchanged)."""
    call = WriteCall(action, "lever:golden", body, candidate={"remote_id": OPP_ID}, **extra)
    result, seen = run_recorded(action, call)
    sent = next(r for r in seen if r.method != "GET")
    recorded = load(f"{name}.request.json")
    assert dict(sent.url.params) == recorded["params"]
    assert json.loads(sent.content) == recorded["data"]
    models = mapped(result)
    if action == "add_application_note":
        (note,) = models["notes"]
        assert note.remote_id == "7f8004a4-e5db-466a-ae31-7a26346701ed" and note.fields["content_html"] == (
            "<p>Test note created by Nango action dryrun</p>"
        )
    else:
        (cand,) = models["candidates"]
        (app,) = models["applications"]  # the application object, not only its id: the job stays known
        assert cand.remote_id == OPP_ID and app.fields["job_id"] is not None
    if action == "move_application_to_stage":
        assert app.fields["current_stage_id"] == MapContext("lever:golden").ref(
            "application_stages", "lead-reached-out"
        )
    if action == "reject_application":
        assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Timing")
    if action == "add_candidate_tag":
        assert MapContext("lever:golden").ref("tags", "nango-test-tag") in cand.nested["tag_ids"]


def test_create_body_has_the_recorded_shape() -> None:
    """The create request uses the recorded request's fields and value shapes; the recorded answer maps."""
    recorded = load("write_create_opportunity.request.json")["data"]
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="Nango", last_name="Test Candidate", email_address="test@nango.dev",
                                      title="Test Headline", phone_number="(555) 123-4567"),
        source=bodies.Source(name="LinkedIn"),
    )  # fmt: skip
    call = WriteCall("create_application", "x", body, job_remote_id=recorded["postings"][0], sourced_by_remote_id="u")
    call.stage = {"remote_id": "lead-new"}
    sent = opportunity_body(call, body)
    for key in ("name", "headline", "phones", "emails", "sources", "origin", "postings"):
        assert sent[key] == recorded[key], key
    assert set(sent) - set(recorded) <= {"links", "stage"} and sent["stage"] == "lead-new"
    answer = load("write_create_opportunity.response.json")
    assert answer["deduped"] is True
    opp = {**answer["data"], "applications": [], "_archive_reason": None}
    (cand,) = mapped(WriteResult([("opportunities", opp)]))["candidates"]
    assert cand.fields["email_addresses"] == [{"email_address": "test@nango.dev", "type": None}]


@pytest.mark.parametrize("config, seconds", [({"timeout_seconds": 0.25}, 0.25), ({}, 30.0)])
def test_client_timeout_is_configurable(config: Raw, seconds: float) -> None:
    client = API.client(IntegrationInfo("i", "lever", config, {"api_key": "k"}))
    assert client.timeout == seconds
    asyncio.run(client.aclose())


# -------------------------------------------------------------------------------------------- the fake


def test_fake_answers_in_the_recorded_shapes_and_rejects_like_lever() -> None:
    app = create_app(seed=6, records=40, rate_limit=None)
    fake: FakeState = app.state.fake
    admin = next(u["id"] for u in fake.users if u["accessRole"] == "super admin")
    posting = next(p for p in fake.postings.values() if p["state"] == "published")
    closed = next(p for p in fake.postings.values() if p["state"] == "closed")
    names = ("write_create_opportunity", "write_update_stage", "write_archive", "write_add_tags", "write_create_note")
    keys = {name: set(load(f"{name}.response.json")["data"]) for name in names}
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/v1", auth=("lever_key", "")) as lever:
        me = {"perform_as": admin}
        new = {"name": "Ada L", "emails": ["ada@x.example"], "postings": [posting["id"]], "origin": "applied"}
        created = lever.post("/opportunities", params=me, json=new)
        assert created.status_code == 201 and list(created.json()) == ["deduped", "data"]
        assert created.json()["deduped"] is False and set(created.json()["data"]) == keys["write_create_opportunity"]
        oid = created.json()["data"]["id"]
        again = lever.post("/opportunities", params=me, json={**new, "emails": ["ADA@x.example"]})
        assert again.status_code == 200 and again.json()["deduped"] is True and again.json()["data"]["id"] == oid
        other = next(p for p in fake.postings.values() if p["state"] == "internal")
        second = lever.post("/opportunities", params=me, json={**new, "postings": [other["id"]]}).json()
        assert second["deduped"] is True and second["data"]["id"] != oid
        assert second["data"]["contact"] == created.json()["data"]["contact"]  # one person, two candidacies
        moved = lever.put(f"/opportunities/{oid}/stage", params=me, json={"stage": fake.stages[3]["id"]}).json()
        assert set(moved["data"]) == keys["write_update_stage"] and moved["data"]["stage"] == fake.stages[3]["id"]
        reason = fake.reason("non-hired")["id"]
        archived = lever.put(f"/opportunities/{oid}/archived", params=me, json={"reason": reason}).json()
        assert set(archived["data"]) == keys["write_archive"] and archived["data"]["archived"]["reason"] == reason
        tagged = lever.post(f"/opportunities/{oid}/addTags", params=me, json={"tags": ["hot"]}).json()
        assert set(tagged["data"]) == keys["write_add_tags"] and "hot" in tagged["data"]["tags"]
        note = lever.post(f"/opportunities/{oid}/notes", params=me, json={"value": "hi"})
        assert note.status_code == 201 and set(note.json()["data"]) == keys["write_create_note"]
        upload = lever.post(f"/opportunities/{oid}/files", params=me, files={"file": ("cv.pdf", CV, "application/pdf")})
        fid = upload.json()["data"]["id"]
        assert lever.get(f"/opportunities/{oid}/files/{fid}/download").content == CV
        state = json.dumps([fake.opportunities, fake.subs], sort_keys=True)
        for method, path, body, status, needle in [
            ("POST", "/opportunities", {**new, "stage": "nope"}, 400, "Invalid stage"),
            ("POST", "/opportunities", {**new, "emails": ["z@x.example"], "postings": [closed["id"]]}, 400, "closed"),
            ("POST", "/opportunities", {**new, "postings": ["nope"]}, 400, "Invalid posting"),
            ("PUT", f"/opportunities/{oid}/stage", {"stage": "nope"}, 400, "Invalid stage"),
            ("PUT", f"/opportunities/{oid}/archived", {"reason": "nope"}, 400, "Invalid archive reason"),
            ("POST", f"/opportunities/{oid}/notes", {"value": ""}, 400, "value is required"),
            ("POST", "/opportunities/nope/notes", {"value": "x"}, 404, "not found"),
        ]:
            answer = lever.request(method, path, params=me, json=body)
            assert answer.status_code == status and needle in answer.json()["message"], (path, answer.text)
            assert set(answer.json()) == {"code", "message"}
        no_actor = lever.post(f"/opportunities/{oid}/notes", json={"value": "x"})
        assert no_actor.status_code == 400 and "perform_as" in no_actor.json()["message"]
        assert json.dumps([fake.opportunities, fake.subs], sort_keys=True) == state  # rejected: nothing changed
        assert write_view(fake.opportunities[oid]).keys() == keys["write_update_stage"]


# ------------------------------------------------------------------------------- end to end through the SDK


@dataclass
class Env:
    fake: FakeState
    iid: str
    url: str
    key: str
    k: Kombo

    def writes(self) -> list[str]:
        """The vendor writes the fake has seen (its request log without the reads)."""
        return [r for r in self.fake.requests if not r.startswith("GET ")]


def retire(engine: Engine, iid: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@contextmanager
def lever_env(engine: Engine, settings: Settings, server: Server) -> Iterator[Env]:
    """A small fake Lever tenant (five postings: open, internal, draft and closed ones) in its own environment,
    synced, with a short client timeout (the stall test waits it out)."""
    with engine.begin() as conn:
        environment = platform.create_environment(conn, f"lever-writes-{uuid.uuid4().hex[:6]}")
        key = platform.create_api_key(conn, environment, "test")
    app = create_app(seed=3, records=40, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": url + "/v1", "sync_all_applications": True, "requests_per_second": 5000,
                  "timeout_seconds": 1.0}  # fmt: skip
        iid = create_integration(
            engine, settings, environment, "lever", "Org", config=config, credentials={"api_key": "lever_key"}
        )
        try:
            sync_now(engine, settings, iid, full=True)
            app.state.fake.log.clear()
            yield Env(app.state.fake, iid, url, key, Kombo(api_key=key, integration_id=iid, server_url=server.v1))
        finally:
            retire(engine, iid)


@pytest.fixture
def env(engine: Engine, settings: Settings, server: Server) -> Iterator[Env]:
    """A fresh tenant per test that writes."""
    with lever_env(engine, settings, server) as e:
        yield e


@pytest.fixture(scope="module")
def untouched(engine: Engine, settings: Settings, server: Server) -> Iterator[Env]:
    """One tenant shared by the invalid-input cases (which must leave it as it is)."""
    with lever_env(engine, settings, server) as e:
        yield e


def open_job(e: Env) -> Any:
    """A published posting with custom questions (the fake gives every other posting a custom form)."""
    jobs = e.k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    return next(j for j in jobs if any(q.category != "EEO" for q in j.screening_questions))


def answers_for(job: Any) -> list[Raw]:
    out: list[Raw] = []
    for q in job.screening_questions:
        kind = q.format_.TYPE if q.format_ is not None else "UNKNOWN"
        if kind == "SINGLE_SELECT":
            out.append({"question_id": q.id, "answer": q.format_.options[0].id})
        elif kind == "MULTI_SELECT":
            out.append({"question_id": q.id, "answer": [o.id for o in q.format_.options[:2]]})
        elif kind == "TEXT":
            out.append({"question_id": q.id, "answer": "Because the mission fits."})
    return out


def person(email: str) -> Raw:
    return {"first_name": "Grace", "last_name": "Hopper", "email_address": email, "title": "Rear Admiral",
            "phone_number": "+1 212 555 0100", "location": {"country": "US", "city": "New York"},
            "social_links": [{"url": "https://github.com/grace"}]}  # fmt: skip


def upload(name: str, content: bytes, kind: str = "OTHER") -> Raw:
    return {"name": name, "type": kind, "content_type": "application/pdf", "data": base64.b64encode(content).decode()}


def opportunities_for(fake: FakeState, email: str, posting_id: str) -> list[Raw]:
    return [
        o
        for o in fake.opportunities.values()
        if email.lower() in [x.lower() for x in o["emails"]]
        and any(a["posting"] == posting_id for a in fake.children("applications", o["id"]))
    ]


def test_every_write_through_the_sdk(engine: Engine, settings: Settings, env: Env) -> None:
    k, fake = env.k, env.fake
    job = open_job(env)
    email = f"grace.{uuid.uuid4().hex[:6]}@navy.example"
    stage = job.stages[2]
    created = k.ats.create_application(
        job_id=job.id, candidate=person(email), stage_id=stage.id, attachments=[upload("cv.pdf", CV, "CV")],
        screening_question_answers=answers_for(job),
    )  # fmt: skip
    messages = " | ".join(w.message for w in created.warnings)
    assert "note" in messages and "CV" in messages
    app = created.data
    assert app.job_id == job.id and app.current_stage_id == stage.id and app.outcome == "PENDING"
    assert app.candidate is not None and (app.candidate.first_name, app.candidate.last_name) == ("Grace", "Hopper")
    # ... in the fake: one opportunity with the application, the stage, the note and the file's bytes
    (opp,) = opportunities_for(fake, email, job.remote_id)
    assert opp["id"] == app.candidate.remote_id and opp["stage"] == stage.remote_id and opp["origin"] == "applied"
    assert opp["location"] == "New York, US" and opp["links"] == ["https://github.com/grace"]
    actor = next(u for u in fake.users if u["id"] == opp["stageChanges"][0]["userId"])
    assert actor["accessRole"] == "super admin" and not actor.get("deactivatedAt")  # the default acting user
    (answers_note,) = fake.children("notes", opp["id"])
    assert answers_note["fields"][0]["value"].startswith("Screening question answers")
    (cv,) = fake.children("files", opp["id"])
    assert fake.file_contents[cv["id"]] == CV and cv["name"] == "cv.pdf"
    # ... and through the SDK
    assert k.ats.get_candidates(email=email.upper()).result.data.results[0].id == app.candidate_id
    files = k.ats.get_application_attachments(application_id=app.id).data.results
    assert [f.file_name for f in files] == ["cv.pdf"] and httpx.get(files[0].data_url).content == CV
    notes = k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert any("Screening question answers" in (n.content_html or "") for n in notes)

    target = job.stages[4]
    assert k.ats.move_application_to_stage(application_id=app.id, stage_id=target.id).warnings == []
    assert k.ats.get_applications(ids=[app.id]).result.data.results[0].current_stage_id == target.id
    assert fake.opportunities[opp["id"]]["stage"] == target.remote_id

    k.ats.add_application_note(
        application_id=app.id, content="Strong systems thinking.", content_type="PLAIN_TEXT",
        remote_fields={"lever": {"perform_as": fake.users[1]["id"]}},
    )  # fmt: skip
    note = fake.children("notes", opp["id"])[-1]
    assert note["fields"][0]["value"] == "Strong systems thinking." and note["user"] == fake.users[1]["id"]
    notes = k.ats.get_notes(application_ids=[app.id]).result.data.results
    assert any("Strong systems thinking." in (n.content_html or "") for n in notes)

    k.ats.add_application_attachment(application_id=app.id, attachment=upload("extra.pdf", b"extra"))
    k.ats.add_candidate_attachment(candidate_id=app.candidate_id, attachment=upload("cand.pdf", b"cand"))
    assert {f["name"] for f in fake.children("files", opp["id"])} == {"cv.pdf", "extra.pdf", "cand.pdf"}
    names = {f.file_name for f in k.ats.get_candidate_attachments(candidate_id=app.candidate_id).data.results}
    assert names == {"cv.pdf", "extra.pdf", "cand.pdf"}

    link = k.ats.add_application_result_link(
        application_id=app.id, label="Assessment", url="https://assess.example/r/1",
        details={"custom_field_name_prefix": "Acme:", "attributes": [{"key": "Score", "value": "92"}]},
    )  # fmt: skip
    assert "links" in link.warnings[0].message and "details" in link.warnings[0].message
    k.ats.add_candidate_result_link(candidate_id=app.candidate_id, label="Report", url="https://assess.example/r/2")
    assert fake.opportunities[opp["id"]]["links"][-2:] == ["https://assess.example/r/1", "https://assess.example/r/2"]
    social = k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].social_media
    assert {"https://assess.example/r/1", "https://assess.example/r/2"} <= {s.link for s in social}

    tag = f"hot-{uuid.uuid4().hex[:4]}"
    k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag})
    assert tag in fake.opportunities[opp["id"]]["tags"]
    assert tag in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    assert tag in {t.name for t in k.ats.get_tags(page_size=250).result.data.results}
    k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": tag.upper()})
    assert tag not in fake.opportunities[opp["id"]]["tags"]
    assert tag not in {t.name for t in k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].tags}
    writes = len(env.writes())
    absent = k.ats.remove_candidate_tag(candidate_id=app.candidate_id, tag={"name": "never-there"})
    assert absent.warnings and len(env.writes()) == writes  # nothing to remove: nothing sent

    reason = k.ats.get_rejection_reasons().result.data.results[0]
    k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id, note="Not now")
    rejected = k.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert rejected.outcome == "DECLINED" and rejected.rejection_reason_name == reason.name
    assert fake.opportunities[opp["id"]]["archived"]["reason"] == reason.remote_id
    assert fake.children("notes", opp["id"])[-1]["fields"][0]["value"] == "Not now"

    legacy = k.ats.create_candidate(
        candidate=person(f"legacy.{uuid.uuid4().hex[:6]}@x.example"), application={"job_id": job.id},
        screening_question_answers=answers_for(job),
    )  # fmt: skip
    assert legacy.data.applications and legacy.data.applications[0].job.id == job.id
    with pytest.raises(KomboAtsError) as info:
        k.ats.import_tracked_application(tracked_at=None, greenhouse={"application_id": "x"})
    assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"

    # Write-through stored exactly what the sync maps: the next sync finds nothing to change.
    before = k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0]
    result = sync_now(engine, settings, env.iid, full=False)
    assert not any(result.changed.values()), result.changed
    assert k.ats.get_candidates(ids=[app.candidate_id]).result.data.results[0].changed_at == before.changed_at


@pytest.mark.parametrize("fault", ["commit_then_timeout", "5xx", "429", "429_storm", "truncated"])
def test_create_survives_vendor_faults_exactly_once(env: Env, fault: str) -> None:
    """The client retries under the same Idempotency-Key: exactly one opportunity exists for the email and
    posting, and a replay answers what the successful try answered."""
    k, fake = env.k, env.fake
    job = open_job(env)
    email = f"once.{uuid.uuid4().hex[:6]}@x.example"
    args: Raw = {"job_id": job.id, "candidate": person(email), "screening_question_answers": answers_for(job),
                 "attachments": [upload("cv.pdf", CV, "CV")]}  # fmt: skip
    args["http_headers"] = {"Idempotency-Key": uuid.uuid4().hex}
    expected_error = {
        "commit_then_timeout": "REMOTE.SERVICE_UNAVAILABLE", "5xx": "REMOTE.SERVICE_UNAVAILABLE",
        "429_storm": "REMOTE.RATE_LIMIT_EXCEEDED", "truncated": "REMOTE.UNKNOWN_HTTP_ERROR",
    }.get(fault)  # fmt: skip
    if fault == "commit_then_timeout":
        fake.faults.stall_after_commit(1, 2.0, path="/v1/opportunities", method="POST")
    elif fault == "5xx":
        fake.faults.fail_next(1, status=503, path="/v1/opportunities", method="POST")
    elif fault == "truncated":  # committed, but the answer is cut short
        fake.faults.truncate_next(1, path="/v1/opportunities", method="POST")
    else:  # one 429 is re-sent by the connector itself (Lever refused before doing anything); a storm is not
        fake.faults.rate_limit_storm(1 if fault == "429" else 3, path="/v1/opportunities", method="POST")
    if expected_error is None:
        first = k.ats.create_application(**args)
    else:
        with pytest.raises(KomboAtsError) as info:
            k.ats.create_application(**args)
        assert info.value.data.error.code == expected_error
        if fault in ("commit_then_timeout", "truncated"):  # the vendor did commit
            assert len(opportunities_for(fake, email, job.remote_id)) == 1
        first = k.ats.create_application(**args)
    assert fake.faults.spent()
    (opp,) = opportunities_for(fake, email, job.remote_id)
    assert first.data.candidate.remote_id == opp["id"]
    assert len(fake.children("notes", opp["id"])) == 1 and len(fake.children("files", opp["id"])) == 1
    posts = [r for r in env.writes() if r.startswith("POST /v1/opportunities?")]
    assert len(posts) == {"commit_then_timeout": 1, "5xx": 2, "429": 2, "429_storm": 4, "truncated": 1}[fault]
    writes = len(env.writes())
    replay = k.ats.create_application(**args)
    assert replay.model_dump() == first.model_dump() and len(env.writes()) == writes


def _raw_post(e: Env, server: Server, path: str, body: Raw, method: str = "POST") -> httpx.Response:
    headers = {"Authorization": f"Bearer {e.key}", "X-Integration-Id": e.iid}
    return httpx.request(method, f"{server.v1}/ats/{path}", json=body, headers=headers)


@dataclass
class Ctx:
    """What an invalid request is built from: an open job with questions, a pending application, a closed job."""

    job: Any
    app: Any
    closed: Any

    def create(self, **changes: Any) -> tuple[str, str, Raw]:
        body: Raw = {"candidate": person(f"bad.{uuid.uuid4().hex[:6]}@x.example"),
                     "screening_question_answers": answers_for(self.job)}  # fmt: skip
        return "POST", f"jobs/{self.job.id}/applications", {**body, **changes}

    def select(self) -> str:
        return str(next(q.id for q in self.job.screening_questions if q.format_ and q.format_.TYPE == "SINGLE_SELECT"))


INVALID = "PLATFORM.INPUT_INVALID"
CASES: list[tuple[str, str, str, Any]] = [
    ("bad_email", INVALID, "candidate.email_address", lambda c: c.create(candidate=person("not-an-email"))),
    ("unknown_field", INVALID, "colour", lambda c: c.create(colour="blue")),
    ("unknown_stage", INVALID, "stage_id", lambda c: c.create(stage_id="nope")),
    ("bad_base64", INVALID, "attachments[0].data",
     lambda c: c.create(attachments=[{**upload("a.pdf", b"x"), "data": "%%"}])),
    ("bad_option", INVALID, "not an option",
     lambda c: c.create(screening_question_answers=[{"question_id": c.select(), "answer": "nope"}])),
    ("missing_required_answer", INVALID, "required question", lambda c: c.create(screening_question_answers=[])),
    ("unknown_job", INVALID, "job_id", lambda c: ("POST", "jobs/nope/applications", c.create()[2])),
    ("closed_job", "ATS.JOB_CLOSED", "CLOSED", lambda c: ("POST", f"jobs/{c.closed.id}/applications", c.create()[2])),
    ("duplicate", "ATS.APPLICATION_ALREADY_EXISTS", "already", lambda c: (
        "POST", f"jobs/{c.app.job_id}/applications",
        c.create(candidate=person(c.app.candidate.email_addresses[0].email_address))[2])),
    ("move_unknown_stage", INVALID, "stage_id", lambda c: ("PUT", f"applications/{c.app.id}/stage", {"stage_id": "x"})),
    ("reject_unknown_reason", INVALID, "rejection_reason_id",
     lambda c: ("POST", f"applications/{c.app.id}/reject", {"rejection_reason_id": "nope"})),
    ("empty_note", INVALID, "content",
     lambda c: ("POST", f"applications/{c.app.id}/notes", {"content": "", "content_type": "PLAIN_TEXT"})),
    ("attachment_without_data", INVALID, "attachment",
     lambda c: ("POST", f"applications/{c.app.id}/attachments", {"attachment": {"name": "a.pdf", "type": "OTHER"}})),
    ("bad_result_url", INVALID, "url",
     lambda c: ("POST", f"applications/{c.app.id}/result-links", {"label": "x", "url": "ftp://nope"})),
    ("empty_tag", INVALID, "tag.name",
     lambda c: ("POST", f"candidates/{c.app.candidate_id}/tags", {"tag": {"name": ""}})),
    ("unknown_candidate", INVALID, "candidate_id", lambda c: ("POST", "candidates/nope/tags", {"tag": {"name": "x"}})),
]  # fmt: skip


@pytest.mark.parametrize("case, code, needle, build", CASES, ids=[c[0] for c in CASES])
def test_invalid_input_changes_nothing(untouched: Env, server: Server, case: str, code: str, needle: str,
                                       build: Any) -> None:  # fmt: skip
    env = untouched
    k, fake = env.k, env.fake
    open_jobs = k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results
    apps = k.ats.get_applications(page_size=250).result.data.results
    app = next(a for a in apps if a.outcome == "PENDING" and a.job_id in {j.id for j in open_jobs})
    closed = next(j for j in k.ats.get_jobs(page_size=250).result.data.results if j.status == "CLOSED")
    method, path, body = build(Ctx(open_job(env), app, closed))
    before = json.dumps([fake.opportunities, fake.subs], sort_keys=True)
    answer = _raw_post(env, server, path, body, method)
    assert answer.status_code in (400, 404, 409), answer.text
    envelope = answer.json()
    assert envelope["status"] == "error" and envelope["error"]["code"] == code, envelope
    assert needle in envelope["error"]["message"], envelope
    assert env.writes() == [] and json.dumps([fake.opportunities, fake.subs], sort_keys=True) == before


def test_vendor_rejections_keep_levers_message(env: Env) -> None:
    """What only Lever knows: a stage or acting user gone since the last sync, a posting closed meanwhile, a
    candidacy the store has not seen."""
    k, fake = env.k, env.fake
    apps = [a for a in k.ats.get_applications(page_size=250).result.data.results if a.outcome == "PENDING"]
    app = apps[0]
    current = fake.opportunities[app.candidate.remote_id]["stage"]
    gone = next(s for s in fake.stages[1:] if s["id"] != current)
    fake.stages.remove(gone)  # deleted in Lever, still synced here (not the first stage: creates default to it)
    stage_id = next(s.id for s in k.ats.get_jobs(ids=[app.job_id]).result.data.results[0].stages
                    if s.remote_id == gone["id"])  # fmt: skip
    with pytest.raises(KomboAtsError) as info:
        k.ats.move_application_to_stage(application_id=app.id, stage_id=stage_id)
    error = info.value.data.error
    assert error.code == "REMOTE.INPUT_INVALID" and f"Invalid stage: {gone['id']}" in error.message
    assert fake.opportunities[app.candidate.remote_id]["stage"] == current

    deactivated = next(u["id"] for u in fake.users if u.get("deactivatedAt"))
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_application_note(application_id=app.id, content="x", content_type="PLAIN_TEXT",
                                   remote_fields={"lever": {"perform_as": deactivated}})  # fmt: skip
    error = info.value.data.error
    assert error.code == "REMOTE.INPUT_INVALID" and f"no active user {deactivated}" in error.message

    job = open_job(env)
    fake.edit_posting(job.remote_id, state="closed")  # closed in Lever after the last sync
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=person(f"late.{uuid.uuid4().hex[:6]}@x.example"),
                                 screening_question_answers=answers_for(job))  # fmt: skip
    assert info.value.data.error.code == "ATS.JOB_CLOSED"
    fake.edit_posting(job.remote_id, state="published")

    email = f"direct.{uuid.uuid4().hex[:6]}@x.example"  # applied in Lever after the last sync
    admin = next(u["id"] for u in fake.users if u["accessRole"] == "super admin")
    fake.create_opportunity({"name": "Direct Applicant", "emails": [email], "postings": [job.remote_id]}, admin)
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate=person(email.upper()),
                                 screening_question_answers=answers_for(job))  # fmt: skip
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    assert [r for r in env.writes() if r.startswith("POST /v1/opportunities?")] == []
    assert len(opportunities_for(fake, email, job.remote_id)) == 1
    other = next(j for j in k.ats.get_jobs(page_size=250, statuses=["OPEN"]).result.data.results if j.id != job.id
                 and not any(q.required for q in j.screening_questions))  # fmt: skip
    again = k.ats.create_application(job_id=other.id, candidate=person(email))
    assert any("existing contact" in w.message for w in again.warnings)
    (first,) = opportunities_for(fake, email, job.remote_id)
    (second,) = opportunities_for(fake, email, other.remote_id)
    assert first["id"] != second["id"] and first["contact"] == second["contact"]  # Lever's dedupe: one person

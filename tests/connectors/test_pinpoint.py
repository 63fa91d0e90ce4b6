"""Pinpoint connector: the recorded request bodies (unchanged) are what the write actions send, JSON:API
side-loads resolve into the mappers, the stage-type outcome rule and the tenant's status map, and the
confidential-jobs visibility filter. Shared behaviour (sync, deltas, deletions, 429s, create-once notes) is the
contract suite's job."""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.pinpoint import CONNECTOR
from atsbridge.connectors.pinpoint import actions as a
from atsbridge.connectors.pinpoint import mappers as m
from atsbridge.connectors.pinpoint.api import API, PinpointSource
from atsbridge.connectors.pinpoint.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.pinpoint import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from tests.conftest import Server, payloads
from tests.contract.harness import live

PAY = payloads("pinpoint")
CTX = MapContext("pinpoint:golden")
CONFIG = {"base_url": "http://pinpoint.test/api/v1", "subdomain": "acme", "requests_per_second": 1000}


def recorded(name: str) -> Any:
    return orjson.loads((PAY / name).read_bytes())


def _run(fake: FakeState, act: Callable[[kit.KitSource], Awaitable[Any]], **config: Any) -> Any:
    info = IntegrationInfo("i", "pinpoint", {**CONFIG, **config}, {"api_key": fake.api_key})

    async def go() -> Any:
        client = API.client(info, httpx.ASGITransport(app=create_app(state=fake)))
        source = PinpointSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)
        try:
            return await act(source)
        finally:
            await client.aclose()

    return asyncio.run(go())


def _sent(fake: FakeState, method: str) -> list[Any]:
    return [e.json() for e in fake.log.entries() if e.method == method]


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(seed=7, records=48, rate=None)


def _open_job(fake: FakeState) -> str:
    return next(j for j, row in fake.jobs.items() if row["attributes"]["status"] == "open")


def test_create_sends_the_recorded_minimal_body(fake: FakeState) -> None:
    """``post_application_minimal.request.json`` unchanged but for its job id and its e-mail (the stored page
    carries Cloudflare's obfuscation, which is no address); the candidate id is read back with ``include``."""
    job = _open_job(fake)
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="Joe", last_name="Bloggs", email_address="joe@bloggs.example")
    )
    call: WriteCall[Any] = WriteCall("create_application", "i", body, job_remote_id=job)
    result: WriteResult = _run(fake, lambda s: a.create_application(s, call))
    expected = copy.deepcopy(recorded("post_application_minimal.request.json"))
    expected["data"]["attributes"]["email"] = "joe@bloggs.example"
    expected["data"]["relationships"]["job"]["data"]["id"] = job
    assert _sent(fake, "POST") == [expected]
    app_id = result.created["application_remote_id"]
    assert result.created["candidate_remote_id"] == fake.applications[app_id]["candidate"]
    written = dict(result.records)  # the application and its side-loaded candidate are written through
    (mapped,) = m.map_application(written["applications"], CTX)
    assert (
        mapped.fields["outcome"] == "PENDING" and written["candidates"]["id"] == result.created["candidate_remote_id"]
    )


def test_create_folds_remote_fields_and_one_cv_into_the_attributes(fake: FakeState) -> None:
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="A", last_name="B", email_address="a@b.example", phone_number="+44 1")
    )
    cv = FileData("cv.pdf", "CV", "application/pdf", b"%PDF")
    call: WriteCall[Any] = WriteCall(
        "create_application",
        "i",
        body,
        job_remote_id=_open_job(fake),
        files=[cv, cv],
        remote_fields={"candidate": {"skip_notifications_on_create": True}},
    )
    result = _run(fake, lambda s: a.create_application(s, call))
    (sent,) = _sent(fake, "POST")
    attributes = sent["data"]["attributes"]
    assert attributes["skip_notifications_on_create"] is True and attributes["phone"] == "+44 1"
    assert (attributes["cv_base64_filename"], attributes["cv_base64_data"]) == ("cv.pdf", "JVBERg==")
    assert result.warnings == ["Pinpoint takes one CV on create: only the first file was sent"]


def test_a_closed_job_is_refused_with_pinpoints_message(fake: FakeState) -> None:
    closed = next(j for j, row in fake.jobs.items() if row["attributes"]["status"] == "closed")
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="A", last_name="B", email_address="a@b.example")
    )
    call: WriteCall[Any] = WriteCall("create_application", "i", body, job_remote_id=closed)
    with pytest.raises(RemoteError) as info:
        _run(fake, lambda s: a.create_application(s, call))
    assert info.value.code == "REMOTE.INPUT_INVALID" and "Job is not accepting applications" in info.value.message
    assert "application_create_started" not in call.progress  # a definite refusal drops the intent


def test_move_and_tags_send_the_recorded_bodies(fake: FakeState) -> None:
    app_id = sorted(fake.applications, key=int)[0]
    app = fake.applications[app_id]
    target = next(s for s in fake.jobs[app["job"]]["stages"] if s != app["stage"])
    move: WriteCall[Any] = WriteCall(
        "move_application_to_stage",
        "i",
        bodies.MoveStage(stage_id="x"),
        application={"remote_id": app_id},
        stage={"remote_id": target},
    )
    _run(fake, lambda s: a.move_stage(s, move))
    expected = recorded("put_application_move_stage.request.json")
    expected["data"]["id"], expected["data"]["relationships"]["stage"]["data"]["id"] = app_id, target
    assert _sent(fake, "PUT") == [expected] and fake.applications[app_id]["stage"] == target

    fake.log.clear()
    tags = recorded("put_application_tags.request.json")["data"]["attributes"]["add_tags_with_context"]
    for tag in tags:
        call: WriteCall[Any] = WriteCall(
            "add_candidate_tag",
            "i",
            bodies.TagBody(tag=bodies.TagName(name=tag["tag"])),
            candidate={"applications": [{"remote_id": app_id}]},
        )
        _run(fake, lambda s, c=call: a.add_tag(s, c), tag_context=tag["context"])  # the context is per integration
    sent = [b["data"]["attributes"]["add_tags_with_context"][0] for b in _sent(fake, "PUT")]
    assert sent == tags and fake.applications[app_id]["attributes"]["tags"] == tags
    remove: WriteCall[Any] = WriteCall(
        "remove_candidate_tag",
        "i",
        bodies.TagBody(tag=bodies.TagName(name="Assessment: Passed")),
        candidate={"applications": [{"remote_id": app_id}]},
    )
    _run(fake, lambda s: a.remove_tag(s, remove), tag_context="assessment")
    assert fake.applications[app_id]["attributes"]["tags"] == tags[1:]


def test_side_loads_resolve_and_stage_types_decide_the_outcome(fake: FakeState) -> None:
    """Listings ask for their side-loads and the mappers read them from ``included``: stages per job in
    ``position`` order, the application's stage type and rejection reason."""
    jobs, apps = (
        _run(fake, lambda s: _rows(s, "/jobs", {"include": "stages"})),
        _run(fake, lambda s: _rows(s, "/applications", {"include": "candidate,job,stage,rejection_reason"})),
    )
    job = next(iter(jobs))
    records = list(m.map_job(job, CTX))
    assert [r.fields["name"] for r in records[1:]] == [
        "Applied",
        "Screening",
        "Interview",
        "Offer",
        "Hired",
        "Rejected",
        "Withdrawn",
    ]
    assert records[0].fields["confidential"] is False and records[0].fields["status"] == "OPEN"
    rejected = next(r for r in apps if kit.jsonapi.linked(r, "rejection_reason") is not None)
    (mapped,) = m.map_application(rejected, CTX)
    reason = fake.rejection_reasons[fake.applications[rejected["id"]]["rejection_reason"]]["attributes"]["name"]
    assert (mapped.fields["outcome"], mapped.fields["rejection_reason_name"]) == ("DECLINED", reason)
    assert mapped.fields["candidate_id"] == record_id(
        CTX.integration_id, "candidates", fake.applications[rejected["id"]]["candidate"]
    )
    assert m.outcome({"id": "1", "attributes": {"stage_type": "hired"}}, None) == ("HIRED", None)
    assert m.outcome({"id": "1", "attributes": {"stage_type": "offer"}}, None) == ("PENDING", None)


async def _rows(source: kit.KitSource, path: str, params: dict[str, str]) -> list[Any]:
    return await source.all_records("t", path, params)


def test_customer_named_stages_follow_the_status_map() -> None:
    stage = {"id": "77", "type": "stages", "attributes": {"name": "Talent pool", "stage_type": "in_progress"}}
    app = {"id": "5", "type": "applications", "attributes": {}, "_linked": {"stage": stage}}
    assert next(iter(m.map_application(app, CTX))).fields["outcome"] == "PENDING"
    ctx = MapContext("pinpoint:mapped", status_map={"talent pool": "DECLINED", "78": "HIRED"})
    (mapped,) = m.map_application(app, ctx)
    assert (mapped.fields["outcome"], mapped.fields["rejection_reason_name"]) == ("DECLINED", "Talent pool")
    by_id = {**app, "_linked": {"stage": {**stage, "id": "78", "attributes": {"name": "Signed"}}}}
    assert next(iter(m.map_application(by_id, ctx))).fields["outcome"] == "HIRED"


def test_confidential_jobs_applications_follow_the_configured_visibility(fake: FakeState) -> None:
    hidden = {
        a for a, row in fake.applications.items() if fake.jobs[row["job"]]["attributes"]["visibility"] == "confidential"
    }
    assert hidden, "the seed has applications on confidential jobs"
    default = {r["id"] for r in _run(fake, lambda s: _rows(s, "/applications", {}))}
    shown = {r["id"] for r in _run(fake, lambda s: _rows(s, "/applications", {}), job_visibility="public,confidential")}
    assert default == set(fake.applications) - hidden and shown == set(fake.applications)
    assert CONNECTOR.connect is not None and "job_visibility" in {f.key for f in CONNECTOR.connect.fields}


def test_errors_and_non_documents_fail_the_listing(fake: FakeState) -> None:
    """A page that is not a JSON:API document fails the listing (never an empty, "complete" listing); a bad
    key is the vendor's 401 in JSON:API's error shape."""
    with pytest.raises(RemoteError):
        kit.jsonapi.rows({"errors": [{"detail": "x"}]})
    info = IntegrationInfo("i", "pinpoint", CONFIG, {"api_key": "wrong"})

    async def go() -> None:
        client = API.client(info, httpx.ASGITransport(app=create_app(state=fake)))
        try:
            await PinpointSource(API, client, CONFIG).get_json("/users")
        finally:
            await client.aclose()

    with pytest.raises(RemoteError) as refused:
        asyncio.run(go())
    assert refused.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and '"status":"401"' in (refused.value.body or "")


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def test_writes_through_the_sdk(engine: Engine, settings: Settings, server: Server) -> None:
    """Create (with ``remote_fields.pinpoint.candidate``), move and tag over HTTP: the unified answers carry the
    vendor's records, and the vendor holds what was asked."""
    with live("pinpoint", engine, settings, server.v1, config={"tag_context": "assessment"}) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        job = next(j for j in k.ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN")
        person = {"first_name": "Q", "last_name": "Z", "email_address": "q.z@example.com"}
        extra = {"pinpoint": {"candidate": {"skip_notifications_on_create": True}}}
        app = k.ats.create_application(job_id=job.id, candidate=person, stage_id=job.stages[1].id,
                                       remote_fields=extra, http_headers=_key()).data  # fmt: skip
        assert app.current_stage is not None and app.current_stage.name == "Screening" and app.candidate_id
        k.ats.move_application_to_stage(application_id=app.id, stage_id=job.stages[4].id, http_headers=_key())
        k.ats.add_candidate_tag(candidate_id=app.candidate_id, tag={"name": "Passed"}, http_headers=_key())
        moved = k.ats.get_applications(ids=[app.id]).result.data.results[0]
        assert moved.outcome == "HIRED" and moved.custom_fields == {"source": "Careers site", "tags": [
            {"tag": "Passed", "context": "assessment"}]}  # fmt: skip
        posted = [r["body"] for r in v.control("GET", "requests")["requests"] if r["method"] == "POST"]
        assert posted[0]["data"]["attributes"]["skip_notifications_on_create"] is True


# ------------------------------------------------------------------------------------------------ webhooks
@pytest.mark.parametrize(
    ("event", "streams"),
    [
        ({"event": "application_created", "data": {"id": "7", "type": "applications"}}, ["applications", "candidates"]),
        ({"event": "application_stage_changed"}, ["applications", "candidates"]),
        ({"event": "application.hired"}, ["applications", "candidates"]),
        ({"event_type": "Candidate_Updated"}, ["candidates", "applications"]),
        ({"event": "candidate_deleted"}, ["candidates", "applications"]),
        ({"event": "jobs_published"}, ["jobs"]),
        ({"event_name": "stage_created"}, ["jobs"]),
        ({"event": "user_invited"}, ["users"]),
        ({"event": "comment_created"}, []),
        ({"event": "interview_scheduled"}, []),
    ],
)
def test_webhook_events_touch_the_streams_of_their_resource(event: dict[str, Any], streams: list[str]) -> None:
    from atsbridge.connectors.pinpoint.webhooks import WEBHOOKS

    touched = [t.stream for t in WEBHOOKS.events(event)]
    assert touched == streams
    assert set(touched) <= {s.name for s in CONNECTOR.streams}


@pytest.mark.parametrize("event", [[{"event": "application_created"}], {"data": {"id": "7"}}, {"event": ""}, "x"])
def test_webhook_bodies_naming_no_event_are_not_understood(event: Any) -> None:
    from atsbridge.connectors.pinpoint.webhooks import WEBHOOKS

    with pytest.raises(ValueError):
        WEBHOOKS.events(event)


def test_unsigned_webhooks_are_taken_only_at_the_issued_url(engine: Engine, settings: Settings, server: Server) -> None:
    """Pinpoint signs nothing [gap], so the issued URL's path token is the proof: an unsigned event at that URL
    queues a delta of its streams; the same event at a wrong token, or a body naming no event, gets the one
    refusal every bad delivery gets."""
    from atsbridge.connectors.pinpoint.webhooks import WEBHOOKS

    assert WEBHOOKS.registration == "manual" and WEBHOOKS.delivery_id is None
    with live("pinpoint", engine, settings, server.v1) as v:
        auth = {"Authorization": f"Bearer {v.key}"}
        hook = httpx.put(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook", headers=auth,
                         timeout=30).json()["data"]  # fmt: skip
        url = hook["url"]

        def deliver(to: str, body: bytes) -> httpx.Response:
            return httpx.post(to, content=body, headers={"Content-Type": "application/json"}, timeout=30)

        event = orjson.dumps({"event": "candidate_updated", "data": {"id": "1", "type": "candidates"}})
        refused = {
            "wrong token": deliver(url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB"), event),
            "no event": deliver(url, orjson.dumps({"data": {"id": "1"}})),
            "not JSON": deliver(url, b"{oops"),
        }
        answers = {name: (r.status_code, r.content) for name, r in refused.items()}
        assert {status for status, _ in answers.values()} == {401}, answers
        assert len({body for _, body in answers.values()}) == 1, "every refusal looks the same"
        taken = deliver(url, event)
        assert taken.status_code == 200, taken.text
        assert taken.json()["data"] == {"accepted": True, "streams": ["applications", "candidates"]}
        note = deliver(url, orjson.dumps({"event": "comment_created", "data": {"id": "9", "type": "comments"}}))
        assert note.json()["data"] == {"accepted": True, "streams": []}
        httpx.delete(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook", headers=auth, timeout=30)
        assert deliver(url, event).status_code == 401, "a deleted webhook's URL no longer works"

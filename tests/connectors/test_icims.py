"""iCIMS connector: golden mapper tests on the recorded payloads (unchanged), and iCIMS' own quirks — search
answers ids only, creates answer 201 with the id in ``Location`` only, customer-defined status nodes, the daily
quota kept as a budget, result links keyed by ``remote_fields.icims.assessment_package_id``, Integration Events
authenticated by the URL alone. Syncing, deltas,
deletions, storms and auth are the contract suite's (``tests/contract``)."""

from __future__ import annotations

import asyncio
import base64
import random
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.icims import CONNECTOR
from atsbridge.connectors.icims import mappers as m
from atsbridge.connectors.icims.actions import ACTIONS
from atsbridge.connectors.icims.api import API, new_id, search_body
from atsbridge.connectors.icims.streams import STREAMS
from atsbridge.connectors.icims.webhooks import WEBHOOKS, touches
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.icims import create_app
from atsbridge.fakes.icims import webhooks as fake_webhooks
from atsbridge.fakes.icims.simulate import HOOKS
from atsbridge.fakes.icims.state import STATUSES, BasicOrOAuth, FakeState
from atsbridge.fakes.kit.spec import Change
from atsbridge.model import write_bodies as bodies
from tests.conftest import Server, payloads
from tests.contract import harness
from tests.contract.harness import Live, live

PAY = payloads("icims")
CTX = MapContext("icims:golden")


def _load(name: str, rid: str) -> dict[str, Any]:
    return {**orjson.loads((PAY / name).read_bytes()), "_id": rid}


def test_recorded_workflow_without_status_maps_pending() -> None:
    (app,) = m.map_workflow(_load("applicantworkflow_get.json", "1002"), CTX)
    assert app.remote_id == "1002"
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "1140")
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "445")
    assert (app.fields["outcome"], app.fields["current_stage_id"]) == ("PENDING", None)


def test_recorded_job_maps() -> None:
    (job,) = m.map_job(_load("job_get_with_fields.json", "1123"), CTX)
    assert job.fields["name"] == "Theater & Writing Group Mentor"
    assert job.fields["category"] == "Education or Tutoring"
    assert job.fields["location"]["raw"].startswith("826 Boston, Inc. - 3035 Washington St")
    assert job.fields["custom_fields"]["numberofpositions"] == 5 and job.fields["status"] is None


def test_icims_dates_are_read_and_unreadable_ones_dropped() -> None:
    wf = {"_id": "8", "createddate": "2016-04-27 10:22 PM", "updateddate": "next tuesday"}
    (app,) = m.map_workflow(wf, CTX)
    assert app.fields["remote_created_at"] == "2016-04-27T22:22:00.000Z" and app.fields["remote_updated_at"] is None


def test_search_response_is_ids_only() -> None:
    hits = orjson.loads((PAY / "search_applicantworkflows_response.json").read_bytes())["searchResults"]
    assert [h["id"] for h in hits] == [19287, 19288] and all(set(h) == {"self", "id"} for h in hits)


def test_status_nodes_are_the_customers_and_the_status_map_decides() -> None:
    wf = {"_id": "7", "status": {"id": "C36951", "formattedvalue": "Talent pool", "value": "Talent pool"}}
    assert next(iter(m.map_workflow(wf, CTX))).fields["outcome"] == "PENDING"
    hired = {**wf, "status": {"id": "D10600", "formattedvalue": "Hired", "value": "Hired"}}
    assert next(iter(m.map_workflow(hired, CTX))).fields["outcome"] == "HIRED"
    mapped = MapContext("icims:mapped", status_map={"c36951": "DECLINED"})
    (app,) = m.map_workflow(wf, mapped)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Talent pool")
    (stage,) = m.map_stage(m.stage_row(wf["status"]), CTX)
    assert stage.remote_id == "C36951" and stage.fields["custom_fields"] == {"customer_defined": True}


def test_search_body_narrows_by_id_and_widens_the_delta_bound_by_the_staleness() -> None:
    from datetime import UTC, datetime

    body = search_body("person")("415", datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    assert body == {"operator": "&", "filters": [
        {"name": "person.id", "value": ["415"], "operator": ">"},
        {"name": "person.updateddate", "value": ["2025-03-01 11:45 AM"], "operator": ">="}]}  # fmt: skip
    assert search_body("job")(None, None) == {"filters": [], "operator": "&"}


def test_created_ids_come_from_the_location_header_only() -> None:
    assert new_id("https://api.icims.com/customers/1234/applicantworkflows/19301") == "19301"
    with pytest.raises(kit.UnknownOutcome):
        new_id(None)


def test_declaration_is_exact() -> None:
    caps = CONNECTOR.capabilities
    assert caps.models == {"jobs", "candidates", "applications", "application_stages"}
    assert caps.actions == {"create_application", "move_application_to_stage", "add_application_result_link",
                            "add_candidate_result_link"}  # fmt: skip
    assert {"users", "add_application_note", "reject_application"} <= set(caps.unavailable)


# ------------------------------------------------------------------------------------------- over the fake

INFO = IntegrationInfo("i", "icims", {"customer_id": "1234", "api_host": "api.icims.com"},
                       {"username": "icims_user", "password": "icims_pass"})  # fmt: skip


def _source(fake: FakeState, credentials: dict[str, str] | None = None, **config: str) -> kit.KitSource:
    transport = httpx.ASGITransport(app=create_app(state=fake))
    info = IntegrationInfo("i", "icims", {**INFO.config, "base_url": "http://fake/customers/1234", **config},
                           credentials or INFO.credentials)  # fmt: skip
    client = API.client(info, transport)
    return kit.KitSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)


def _write(fake: FakeState, action: str, call: WriteCall[Any], **auth: Any) -> Any:
    async def go() -> Any:
        source = _source(fake, **auth)
        try:
            return await ACTIONS[action](source, call)
        finally:
            await source.aclose()

    return asyncio.run(go())


def _candidate() -> bodies.CreateApplication:
    ada = bodies.NewCandidate(first_name="Ada", last_name="Byron", email_address="Ada@Example.com")
    return bodies.CreateApplication(candidate=ada)


def test_create_application_posts_person_then_workflow_once_and_reuses_a_known_person() -> None:
    fake = FakeState.generate(1, 6, rate=None)
    job = sorted(fake.jobs)[0]
    call: WriteCall[Any] = WriteCall("create_application", "i", _candidate(), job_remote_id=job,
                                     stage={"remote_id": "C36951"})  # fmt: skip
    result = _write(fake, "create_application", call)
    wid, pid = result.created["application_remote_id"], result.created["candidate_remote_id"]
    assert fake.people[pid]["email"] == "ada@example.com"
    assert fake.applicantworkflows[wid]["status"]["id"] == "C36951"
    assert [name for name, _ in result.records] == ["applicantworkflows", "people"]
    # a retry under the same key after an unknown outcome finds both instead of posting again
    people, workflows = len(fake.people), len(fake.applicantworkflows)
    retry: WriteCall[Any] = WriteCall("create_application", "i", _candidate(), job_remote_id=job,
                                      progress={"person_create_started": "ada@example.com",
                                                "workflow_create_started": f"{pid}:{job}"})  # fmt: skip
    again = _write(fake, "create_application", retry)
    assert again.created == result.created
    assert (len(fake.people), len(fake.applicantworkflows)) == (people, workflows)
    # another job: the known person is reused, only a workflow is made
    other: WriteCall[Any] = WriteCall("create_application", "i", _candidate(), job_remote_id=sorted(fake.jobs)[1])
    assert _write(fake, "create_application", other).created["candidate_remote_id"] == pid
    assert len(fake.people) == people


def test_move_is_a_status_patch_and_a_bad_node_carries_icims_message() -> None:
    fake = FakeState.generate(1, 6, rate=None)
    wid = sorted(fake.applicantworkflows)[0]
    call: WriteCall[Any] = WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="s"),
                                     application={"remote_id": wid}, stage={"remote_id": "D10600"})  # fmt: skip
    result = _write(fake, "move_application_to_stage", call)
    assert fake.applicantworkflows[wid]["status"]["id"] == "D10600"
    assert result.records[0][1]["status"]["formattedvalue"] == "Hired"
    bad: WriteCall[Any] = WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="s"),
                                    application={"remote_id": wid}, stage={"remote_id": "C99999"})  # fmt: skip
    with pytest.raises(RemoteError, match="Invalid status id"):
        _write(fake, "move_application_to_stage", bad)


def test_result_links_need_the_package_id_and_are_added_once() -> None:
    fake = FakeState.generate(1, 6, rate=None)
    wid = sorted(fake.applicantworkflows)[0]
    link = bodies.ResultLink(label="Coding test", url="https://tests.example/r/1")
    missing: WriteCall[Any] = WriteCall("add_application_result_link", "i", link, application={"remote_id": wid})
    with pytest.raises(RemoteError, match="assessment_package_id"):
        _write(fake, "add_application_result_link", missing)
    call: WriteCall[Any] = WriteCall("add_application_result_link", "i", link, application={"remote_id": wid},
                                     remote_fields={"assessment_package_id": "PKG-7"})  # fmt: skip
    _write(fake, "add_application_result_link", call)
    _write(fake, "add_application_result_link", call)  # a retry: no second entry
    (entry,) = fake.applicantworkflows[wid]["assessmentresults"]
    assert entry["assessmentname"] == {"value": "Coding test"} and entry["assessmenturl"] == "https://tests.example/r/1"
    assert (entry["assessmentpackageid"], entry["assessmentstatus"]) == ("PKG-7", {"id": "D37002019001"})
    person = str(fake.applicantworkflows[wid]["associatedprofile"]["id"])
    on_candidate: WriteCall[Any] = WriteCall("add_candidate_result_link", "i", link, candidate={"remote_id": person},
                                             remote_fields={"assessment_package_id": "PKG-7"})  # fmt: skip
    _write(fake, "add_candidate_result_link", on_candidate)
    assert len(fake.applicantworkflows[wid]["assessmentresults"]) == 1


def test_errors_come_in_icims_shape_and_the_probe_explains_401() -> None:
    fake = FakeState.generate(1, 3, rate=None)
    transport = httpx.ASGITransport(app=create_app(state=fake))
    basic = "Basic " + base64.b64encode(b"icims_user:wrong").decode()

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            return await client.post("/customers/1234/search/jobs", json=[], headers={"Authorization": basic})

    answer = asyncio.run(go())
    assert answer.status_code == 401 and "errorMessage" in answer.json()["errors"][0]


def test_oauth_client_credentials_instead_of_basic_from_the_regions_server() -> None:
    """The Connect form takes either pair; with a client id and secret the token comes from the region's
    authorization server (``config.token_url`` overrides it: here, the fake's)."""
    eu = IntegrationInfo("i", "icims", {"api_host": "api-eu.icims.com"}, {"client_id": "c", "client_secret": "s"})
    built = API.auth.build(eu, "https://api-eu.icims.com/customers/1", None)
    assert getattr(built, "token_url", None) == "https://login.icims.eu/oauth/token"
    fake = FakeState.generate(1, 6, rate=None)
    wid = sorted(fake.applicantworkflows)[0]
    call: WriteCall[Any] = WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="s"),
                                     application={"remote_id": wid}, stage={"remote_id": "D10700"})  # fmt: skip
    oauth = {"client_id": "icims_client", "client_secret": "icims_secret"}
    _write(fake, "move_application_to_stage", call, credentials=oauth, token_url="http://fake/oauth/token")
    assert fake.applicantworkflows[wid]["status"]["formattedvalue"] == "Rejected"
    assert isinstance(fake.auth, BasicOrOAuth) and fake.auth.oauth.issued == 1


def _read(source: kit.KitSource, stream: str) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        try:
            return [row async for page in source.read(source.streams[stream], None) for row in page]
        finally:
            await source.aclose()

    return asyncio.run(go())


def test_search_is_capped_and_paged_by_narrowing_above_the_last_id() -> None:
    fake = FakeState.generate(1, 12, rate=None)
    fake.search_cap = 5
    transport = httpx.ASGITransport(app=create_app(state=fake))
    basic = {"Authorization": "Basic " + base64.b64encode(b"icims_user:icims_pass").decode()}

    async def search(after: str | None) -> list[int]:
        filters = [{"name": "person.id", "value": [after], "operator": ">"}] if after else []
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            answer = await client.post("/customers/1234/search/people", json={"filters": filters, "operator": "&"},
                                       headers=basic)  # fmt: skip
        return [hit["id"] for hit in answer.json()["searchResults"]]

    first = asyncio.run(search(None))
    second = asyncio.run(search(str(first[-1])))
    assert len(first) == 5 and first == sorted(first) and min(second) > max(first)
    assert sorted(first + second) == sorted(int(i) for i in fake.people)[:10]


def test_the_daily_quota_stops_a_read_cleanly_before_it_is_spent() -> None:
    """The fake's quota headers drive the guard: with a reserve to keep, the read stops with a retryable
    RATE_LIMIT_EXCEEDED before the day's requests run out (the next run after the reset resumes)."""
    fake = FakeState.generate(1, 30, rate=(60, 86400.0))
    with pytest.raises(kit.QuotaExhausted) as stopped:
        _read(_source(fake, quota_reserve="40"), "people")
    assert stopped.value.code == "REMOTE.RATE_LIMIT_EXCEEDED" and stopped.value.retryable
    assert fake.counters["429"] == 0 and fake.counters["requests"] <= 60 - 40
    assert len(_read(_source(FakeState.generate(1, 30, rate=(60, 86400.0)), quota_reserve="0"), "jobs")) == 5


# ------------------------------------------------------------------------------------------- webhooks in
#: The documented Status Flow Update and Application Complete bodies [doc developer.icims.com].
STATUS_FLOW = {"newStatus": "C36952", "oldStatus": "C36951", "customerId": "1234", "jobId": "1100", "userId": "7",
               "personId": "1200", "links": [{"rel": "applicantWorkflow", "title": "Applicant Workflow",
                                              "url": "https://api.icims.com/customers/1234/applicantworkflows/1300"}],
               "eventType": "WorkFlowStatusChangeEvent", "systemId": "1300"}  # fmt: skip
APPLICATION_COMPLETE = {"returnUrl": "https://careers.example/return", "customerId": "1234", "userId": 1201,
                        "links": [], "eventType": "AssessmentEvent", "systemId": 1301}  # fmt: skip


def test_integration_events_touch_the_streams_they_change() -> None:
    """A status flow update touches the workflow (and the status nodes read off workflows); an application
    complete also the person, who is its ``userId`` (a recruiter in the other event); job events touch jobs;
    onboarding and id-less events nothing. A body without ``eventType`` is not understood."""
    assert touches(STATUS_FLOW) == [kit.Touch("applicantworkflows", "1300"), kit.Touch("statuses")]
    assert touches(APPLICATION_COMPLETE) == [kit.Touch("applicantworkflows", "1301"), kit.Touch("statuses"),
                                             kit.Touch("people", "1201")]  # fmt: skip
    assert touches({"eventType": "JobEditEvent", "customerId": "1234", "jobId": 1100}) == [kit.Touch("jobs", "1100")]
    assert touches({"eventType": "JobUnpostingEvent", "jobId": "1100"}) == [kit.Touch("jobs", "1100")]
    assert touches({"eventType": "OnboardPortalTaskEvent", "systemId": "9"}) == []
    assert touches({"eventType": "SomethingNewEvent", "systemId": "9"})[0] == kit.Touch("applicantworkflows", "9")
    assert touches({"eventType": "SomethingNewEvent"}) == []
    names = {s.name for s in STREAMS}
    assert all(t.stream in names for e in (STATUS_FLOW, APPLICATION_COMPLETE) for t in touches(e))
    for bad in ([STATUS_FLOW], "x", {}, {"eventType": ""}, {"eventType": 3, "systemId": "1"}):
        with pytest.raises(ValueError):
            touches(bad)
    assert CONNECTOR.webhooks is WEBHOOKS and WEBHOOKS.registration == "manual" and WEBHOOKS.delivery_id is None
    assert isinstance(WEBHOOKS.verify, kit.PathTokenOnly)


def test_the_fake_pushes_status_moves_and_new_applications_only() -> None:
    """The fake's events name the workflow, its job and person and the move (old and new node); person edits
    and deletions push nothing (iCIMS has no event for them)."""
    app = create_app(seed=3, records=8, rate_limit=None)
    fake: FakeState = app.state.fake
    rnd = random.Random(2)
    seen: dict[tuple[str, str], tuple[Change, dict[str, Any] | None]] = {}
    for _ in range(60):
        change = HOOKS.simulate(fake, rnd)
        if change is not None:
            seen[change.kind, change.resource] = (change, fake_webhooks.body(change))
    (moved, moved_body), (made, made_body) = (
        seen["updated", "applicantworkflows"],
        seen["created", "applicantworkflows"],
    )
    assert moved_body is not None and moved_body["eventType"] == "WorkFlowStatusChangeEvent"
    assert moved_body["systemId"] == moved.remote_id and moved_body["oldStatus"] != moved_body["newStatus"]
    assert moved_body["newStatus"] in {s for s, _ in STATUSES}
    assert (
        made_body is not None
        and made_body["eventType"] == "AssessmentEvent"
        and made_body["systemId"] == made.remote_id
    )
    if made.remote_id in fake.applicantworkflows:
        assert made_body["userId"] == str(fake.applicantworkflows[made.remote_id]["associatedprofile"]["id"])
    assert touches(moved_body)[0] == kit.Touch("applicantworkflows", moved.remote_id)
    assert fake_webhooks.body(Change("people", "1", "updated")) is None
    assert fake_webhooks.body(Change("people", "1", "deleted")) is None
    assert fake_webhooks.WEBHOOKS.sign(orjson.dumps(moved_body), "secret") == {}


@pytest.fixture
def icims_live(engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live("icims", engine, settings, server.v1) as found:
        yield found


def test_unsigned_events_are_taken_only_at_the_issued_url(icims_live: Live, server: Server) -> None:
    """No HMAC is documented, so ``PathTokenOnly``: any headers pass at the issued URL; a wrong path token (the
    check that stands for a signature here) or a body that is not an iCIMS event is refused with the same 401."""
    v = icims_live
    hook = harness.issue_vendor_webhook(server.v1, v)
    assert hook["registration"] == "manual" and hook["events"] == list(WEBHOOKS.event_names)
    url, deliver = hook["url"], harness.json_poster(orjson.dumps(STATUS_FLOW))

    refused = [deliver(url[:-4] + "AAAA"), deliver(url + "x"), deliver(url, b"[1]"), deliver(url, b"{oops"),
               deliver(url, b'{"systemId": "1300"}')]  # fmt: skip
    assert [r.status_code for r in refused] == [401] * 5
    assert len({r.content for r in refused}) == 1, "every refusal looks the same"
    taken = deliver(url, Authorization="Basic unchecked")
    assert taken.status_code == 200
    assert taken.json()["data"] == {"accepted": True, "streams": ["applicantworkflows", "statuses"]}
    made = deliver(url, orjson.dumps(APPLICATION_COMPLETE)).json()["data"]
    assert made["streams"] == ["applicantworkflows", "people", "statuses"]
    rotated = harness.issue_vendor_webhook(server.v1, v)["url"]
    assert deliver(url).status_code == 401 and deliver(rotated).status_code == 200

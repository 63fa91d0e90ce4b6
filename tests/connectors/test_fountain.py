"""Fountain connector: golden mapper tests on the recorded payloads (unchanged), and the vendor's true quirks:
``X-ACCESS-TOKEN`` auth and the recorded 401 body, page-number funnels next to cursor-paged applicants, the
stage-type outcome rule with the per-tenant map, and the writes' Fountain-specific behaviour (advance with
automations skipped, create found again by e-mail after a lost answer). Shared behaviour is the contract suite's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.actions import ResolvedAnswer, WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.fountain import actions
from atsbridge.connectors.fountain import mappers as m
from atsbridge.connectors.fountain.api import API
from atsbridge.connectors.fountain.streams import STREAMS
from atsbridge.connectors.fountain.webhooks import WEBHOOKS, touches
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.config import Settings
from atsbridge.fakes.fountain import FakeState, create_app
from atsbridge.fakes.fountain import webhooks as fake_webhooks
from atsbridge.fakes.fountain.webhooks import StageTransition
from atsbridge.fakes.kit.spec import Change
from atsbridge.model import write_bodies as bodies
from tests.conftest import Server, payloads
from tests.contract import harness
from tests.contract.harness import Live, live

PAY = payloads("fountain")
CTX = MapContext("fountain:golden")
T = TypeVar("T")
#: The documented applicant (developer.fountain.com fields; values from the Ruby gem's fixture, conn).
APPLICANT = {
    "id": "01234567-0000-0000-0000-000000000000", "email": "rich@gmail.com", "name": "Richard Roe",
    "phone_number": "79224568246", "data": {"color_of_eyes": "brown"}, "created_at": "2015-06-05T05:53:38.974-07:00",
    "funnel": {"id": "1f62e031", "title": "Future Factors Representative", "custom_id": "3d67750a"},
    "stage": {"id": "274d2929", "title": "Approved"}, "labels": [{"title": "Label-0", "completed": True}],
    "background_checks": [], "document_signatures": [],
}  # fmt: skip


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def test_recorded_funnel_maps_to_a_job_with_stages_and_questions() -> None:
    (funnel,) = load("funnels_list.json")["funnels"]
    job, stage = m.map_funnel(funnel, CTX)
    assert job.remote_id == "49dbf2f3-057f-44b4-a638-8fac5aac2adf"
    f = job.fields
    assert (f["name"], f["job_code"], f["status"], f["visibility"]) == (
        "My Public Funnel", "3d67750a-dcf4-4ada-a3e4-ee44661949fc", "OPEN", "PUBLIC")  # fmt: skip
    assert (f["location"]["raw"], f["location"]["street_1"]) == ("5th Ave. 13, San Francisco", "5th Ave. 13")
    assert f["remote_created_at"] == "2021-10-12T10:10:06.595Z"
    assert f["custom_fields"]["location_group"] == "Unassigned" and f["description"] == "This funnel is for anyone"
    (question,) = job.nested["screening_questions"]
    assert (question["remote_id"], question["title"], question["format"]["type"]) == ("foo", "Foo", "TEXT")
    assert stage.remote_id == "70d446ca-670d-44be-a728-6c3d1921fb97"
    assert stage.fields["name"] == "Approved" and stage.fields["custom_fields"] == {"type": "HiredStage"}
    assert stage.fields["job_id"] == CTX.ref("jobs", funnel["id"]) and stage.fields["index"] == 0


def test_an_applicant_is_a_candidate_and_an_application_with_the_stage_types_outcome() -> None:
    hired = {**APPLICANT, "_stage": {"type": "HiredStage", "title": "Approved"}}
    cand, app = m.map_applicant(hired, CTX)
    assert cand.remote_id == app.remote_id == APPLICANT["id"]
    assert (cand.fields["first_name"], cand.fields["last_name"]) == ("Richard", "Roe")
    assert cand.fields["custom_fields"] == {"color_of_eyes": "brown"}
    assert app.fields["candidate_id"] == CTX.ref("candidates", APPLICANT["id"])
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "274d2929")
    assert (app.fields["outcome"], app.fields["job_id"]) == ("HIRED", CTX.ref("jobs", "1f62e031"))
    rejected = {**APPLICANT, "stage": {"id": "s9", "title": "Not a fit"}, "_stage": {"type": "RejectedStage"}}
    (_, app) = m.map_applicant(rejected, CTX)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Not a fit")
    custom = {**APPLICANT, "stage": {"id": "s7", "title": "Did not show up"}, "_stage": {"type": "CustomStage"}}
    assert list(m.map_applicant(custom, CTX))[1].fields["outcome"] == "PENDING"
    mapped = MapContext("fountain:mapped", status_map={"did not show up": "DECLINED", "hiredstage": "PENDING"})
    assert list(m.map_applicant(custom, mapped))[1].fields["outcome"] == "DECLINED"
    assert list(m.map_applicant(hired, mapped))[1].fields["outcome"] == "PENDING"
    # an applicant whose stage the funnels did not list (and odd input) still maps, PENDING
    (cand, app) = m.map_applicant({"id": "x", "name": None, "stage": "?", "data": [1]}, CTX)
    assert app.fields["outcome"] == "PENDING" and cand.fields["first_name"] is None


def test_the_fakes_401_is_the_recorded_body() -> None:
    with TestClient(create_app(seed=1, records=5, rate_limit=None)) as client:
        for headers in ({}, {"X-ACCESS-TOKEN": "wrong"}, {"Authorization": "Bearer fountain_key"}):
            answer = client.get("/v2/funnels", headers=headers)
            assert (answer.status_code, answer.json()) == (401, load("error_401.json"))
        assert client.get("/v2/funnels", headers={"X-ACCESS-TOKEN": "fountain_key"}).status_code == 200


def _run(app: Any, work: Callable[[kit.KitSource], Awaitable[T]]) -> tuple[T, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    inner = httpx.ASGITransport(app)

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return await inner.handle_async_request(request)

    info = IntegrationInfo("fountain:t", "fountain", {"base_url": "http://fake/v2", "requests_per_second": 1000},
                           {"api_key": "fountain_key"})  # fmt: skip

    async def go() -> T:
        source = kit.KitSource(API, API.client(info, Recording()), info.config, streams=kit.resolve(STREAMS), info=info)
        try:
            return await work(source)
        finally:
            await source.aclose()

    return asyncio.run(go()), seen


def test_funnels_page_by_number_and_applicants_by_cursor_with_the_key_header() -> None:
    app = create_app(seed=2, records=150, rate_limit=None)
    fake: FakeState = app.state.fake

    async def read_all(source: kit.KitSource) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for name in ("funnels", "applicants"):
            out[name] = [raw async for page in source.read(source.streams[name], None) for raw in page]
        return out

    found, seen = _run(app, read_all)
    assert {f["id"] for f in found["funnels"]} == set(fake.funnels) and len(fake.funnels) > 20
    assert {a["id"] for a in found["applicants"]} == set(fake.applicants)
    assert all(r.headers["X-ACCESS-TOKEN"] == "fountain_key" and "authorization" not in r.headers for r in seen)
    funnel_pages = [dict(r.url.params) for r in seen if r.url.path == "/v2/funnels"]
    assert funnel_pages == [{}, {"page": "2"}]  # follows pagination.next; stops on its blank value
    cursors = [r.url.params.get("cursor") for r in seen if r.url.path == "/v2/applicants"]
    assert cursors[0] is None and all(cursors[1:]) and len(cursors) == 2  # 150 applicants, 100 a page
    hired = next(a for a in found["applicants"] if (a["_stage"] or {}).get("type") == "HiredStage")
    assert list(m.map_applicant(hired, CTX))[1].fields["outcome"] == "HIRED"


def test_move_advances_with_automations_skipped_and_reads_the_applicant_back() -> None:
    app = create_app(seed=3, records=10, rate_limit=None)
    fake: FakeState = app.state.fake
    applicant = next(iter(fake.applicants.values()))
    stages = fake.funnels[applicant["funnel"]["id"]]["stages"]
    target = next(s for s in stages if s["id"] != applicant["stage"]["id"] and s["type"] == "RejectedStage")
    call = WriteCall("move_application_to_stage", "fountain:t", bodies.MoveStage(stage_id="x"),
                     application={"remote_id": applicant["id"]}, stage={"remote_id": target["id"]})  # fmt: skip
    result, seen = _run(app, lambda s: actions.move_stage(s, call))
    (put,) = [r for r in seen if r.method == "PUT"]
    assert (put.url.path, dict(put.url.params)) == (
        f"/v2/applicants/{applicant['id']}/advance",
        {"stage_id": target["id"]},
    )
    assert json.loads(put.content) == {"stage_id": target["id"], "skip_automated_actions": True}
    assert fake.applicants[applicant["id"]]["stage"]["id"] == target["id"]
    ((stream, raw),) = result.records
    assert stream == "applicants" and list(m.map_applicant(raw, CTX))[1].fields["outcome"] == "DECLINED"


def test_create_posts_the_applicant_and_a_resumed_call_finds_it_by_email() -> None:
    app = create_app(seed=4, records=10, rate_limit=None)
    fake: FakeState = app.state.fake
    funnel = next(f for f in fake.funnels.values() if f["active"])
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(
            first_name="Mae", last_name="Jemison", email_address="mae@space.example", phone_number="+1 555 0100"
        )
    )
    answers = [ResolvedAnswer({"remote_id": "license"}, "TEXT", "yes")]  # into ``data`` under the field key
    call = WriteCall("create_application", "fountain:t", body, job_remote_id=funnel["id"], answers=answers)
    result, seen = _run(app, lambda s: actions.create_application(s, call))
    (post,) = [r for r in seen if r.method == "POST"]
    assert json.loads(post.content) == {"name": "Mae Jemison", "email": "mae@space.example", "funnel_id": funnel["id"],
                                        "phone_number": "+1 555 0100", "data": {"license": "yes"}}  # fmt: skip
    rid = result.created["application_remote_id"]
    assert fake.applicants[rid]["email"] == "mae@space.example" and result.created["candidate_remote_id"] == rid
    # the answer was lost after Fountain created it: the same Idempotency-Key looks before posting again
    resumed = WriteCall("create_application", "fountain:t", body, job_remote_id=funnel["id"],
                        progress={"applicant_create_started": "mae@space.example"})  # fmt: skip
    again, seen = _run(app, lambda s: actions.create_application(s, resumed))
    assert again.created["application_remote_id"] == rid and not [r for r in seen if r.method == "POST"]
    assert sum(a["email"] == "mae@space.example" for a in fake.applicants.values()) == 1


def test_result_links_become_notes_and_tracked_applicants_import_by_uuid() -> None:
    app = create_app(seed=5, records=6, rate_limit=None)
    fake: FakeState = app.state.fake
    rid = next(iter(fake.applicants))
    link = bodies.ResultLink(label="Assessment", url="https://tests.example/r/1")
    call = WriteCall("add_candidate_result_link", "fountain:t", link, candidate={"remote_id": rid})
    result, _ = _run(app, lambda s: actions.add_result_link(s, call))
    (note,) = fake.notes[rid]
    assert note["content"] == "Assessment: https://tests.example/r/1" and result.warnings
    assert result.created == {"note_remote_id": note["id"]}
    tracked = WriteCall("import_tracked_application", "fountain:t",
                        bodies.ImportTracked(tracked_at=None, application_remote_id=rid))  # fmt: skip
    imported, _ = _run(app, lambda s: actions.import_tracked(s, tracked))
    assert imported.created == {"application_remote_id": rid, "candidate_remote_id": rid}
    bad = WriteCall("import_tracked_application", "fountain:t",
                    bodies.ImportTracked(tracked_at=None, application_remote_id="../funnels"))  # fmt: skip
    with pytest.raises(RemoteError, match="application_remote_id"):
        _run(app, lambda s: actions.import_tracked(s, bad))


def test_regional_accounts_use_their_host_and_a_phone_number_is_required() -> None:
    def base(config: dict[str, Any]) -> str:
        client = API.client(IntegrationInfo("i", "fountain", config, {"api_key": "k"}))
        asyncio.run(client.aclose())
        return str(client.base_url)

    assert base({}) == "https://api.fountain.com/v2"
    assert base({"region": "us-2"}) == "https://us-2.fountain.com/api/v2"
    assert "evil" not in base({"region": "evil.example/x?"})  # not a slug: never spliced into the host
    assert base({"region": "us-2", "base_url": "http://fake/v2"}) == "http://fake/v2"
    app = create_app(seed=4, records=4, rate_limit=None)
    funnel = next(iter(app.state.fake.funnels))
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="No", last_name="Phone", email_address="np@mail.example")
    )
    call = WriteCall("create_application", "fountain:t", body, job_remote_id=funnel)
    with pytest.raises(RemoteError, match="phone_number"):
        _run(app, lambda s: actions.create_application(s, call))
    assert not [r for r in app.state.fake.log.entries() if r["method"] != "GET"]


# ------------------------------------------------------------------------------------------- webhooks in
def test_an_applicant_webhook_touches_that_applicant_and_other_bodies_nothing() -> None:
    """Fountain's body is the API v2 applicant under ``applicant`` [doc], whatever the trigger (stage transition
    or background check): it touches ``applicants``, a stream that exists. Post-hire worker data and pings touch
    nothing; a body that is not an object, or an applicant without an id, is not understood."""
    assert touches({"applicant": APPLICANT}) == [kit.Touch("applicants", APPLICANT["id"])]
    checked = {**APPLICANT, "background_checks": [{"title": "Checkr", "status": "clear", "vendor": "checkr"}]}
    assert touches({"applicant": checked}) == [kit.Touch("applicants", APPLICANT["id"])]
    assert {t.stream for t in touches({"applicant": APPLICANT})} <= {s.name for s in STREAMS}
    assert touches({"worker": {"id": "w1", "status": "deactivated"}}) == [] and touches({}) == []
    for bad in ([{"applicant": APPLICANT}], "applicant", {"applicant": {"name": "No Id"}}, {"applicant": None},
                {"applicant": {"id": ""}}):  # fmt: skip
        with pytest.raises(ValueError):
            touches(bad)
    assert WEBHOOKS.registration == "manual" and WEBHOOKS.delivery_id is None
    assert WEBHOOKS.register is None and "payload URL" in WEBHOOKS.instructions


def test_the_fake_pushes_each_stage_transition_as_the_applicant_it_became() -> None:
    """The fake's body for a move is the applicant right after it (not as later changes leave it), unsigned;
    a rename sends nothing (Fountain has no webhook for data edits)."""
    app = create_app(seed=5, records=6, rate_limit=None)
    fake: FakeState = app.state.fake
    aid = next(iter(fake.applicants))
    stages = fake.funnels[fake.applicants[aid]["funnel"]["id"]]["stages"]
    target = next(s for s in stages if s["id"] != fake.applicants[aid]["stage"]["id"])
    change = StageTransition.of(fake.move(aid, target["id"]), "updated")
    fake.rename(aid, "Later Name")
    pushed = fake_webhooks.body(change)
    assert pushed is not None and pushed["applicant"]["stage"] == {"id": target["id"], "title": target["title"]}
    assert pushed["applicant"]["name"] != "Later Name" and change.as_dict()["remote_id"] == aid
    assert touches(pushed) == [kit.Touch("applicants", aid)]
    assert fake_webhooks.WEBHOOKS.sign(json.dumps(pushed).encode(), "secret") == {}
    assert fake_webhooks.body(Change("candidates", aid, "updated")) is None


@pytest.fixture
def fountain_live(engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live("fountain", engine, settings, server.v1) as found:
        yield found


def test_unsigned_deliveries_are_taken_only_at_the_issued_url(fountain_live: Live, server: Server) -> None:
    """Fountain signs nothing, so ``PathTokenOnly``: any headers pass at the issued URL, while a wrong or stale
    path token is refused like a wrong signature elsewhere (the same 401, nothing queued)."""
    v = fountain_live
    hook = harness.issue_vendor_webhook(server.v1, v)
    assert hook["registration"] == "manual" and hook["events"] == list(WEBHOOKS.event_names)
    url, deliver = hook["url"], harness.json_poster(json.dumps({"applicant": APPLICANT}).encode())

    refused = [deliver(url[:-4] + "AAAA"), deliver(url + "x"), deliver(url, b"[1]"), deliver(url, b"{oops"),
               deliver(url, b'{"applicant": {"name": "no id"}}')]  # fmt: skip
    assert [r.status_code for r in refused] == [401] * 5
    assert len({r.content for r in refused}) == 1, "every refusal looks the same"
    taken = deliver(url, **{"X-Anything": "unchecked"})
    assert taken.status_code == 200 and taken.json()["data"] == {"accepted": True, "streams": ["applicants"]}
    worker = deliver(url, b'{"worker": {"id": "w1"}}')
    assert worker.json()["data"] == {"accepted": True, "streams": []}
    rotated = harness.issue_vendor_webhook(server.v1, v)["url"]
    assert deliver(url).status_code == 401 and deliver(rotated).status_code == 200  # the old URL stops at once

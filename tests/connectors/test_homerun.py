"""Homerun: golden mapper tests on the documented samples (unchanged), then the vendor's own quirks: the
Laravel ``meta.last_page`` end, outcome rules with customer-named stages, stage moves by name, notes without ids
(known by position, found again on a retry), files typed resume/assignment. The shared behaviour is the
contract suite's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.homerun import CONNECTOR
from atsbridge.connectors.homerun import mappers as m
from atsbridge.connectors.homerun.api import API
from atsbridge.connectors.homerun.streams import STREAMS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.homerun import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("homerun")
CTX = MapContext("homerun:golden")


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def by_model(records: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for rec in records:
        out.setdefault(rec.model, []).append(rec)
    return out


def test_vacancy_sample_maps_the_job_its_posting_and_named_stages() -> None:
    got = by_model(m.map_vacancy(load("vacancy.docs-sample.json"), CTX))
    job = got["jobs"][0]
    assert job.remote_id == "string" and job.fields["name"] == "string"
    assert (job.fields["status"], job.fields["visibility"], job.fields["employment_type"]) == (
        "OPEN",
        "PUBLIC",
        "CONTRACT",
    )
    assert job.fields["remote_work_status"] == "REMOTE"  # is_remote (deprecated) still says so
    assert job.fields["location"]["city"] == "string" and job.fields["post_url"] == "http://example.com"
    assert job.fields["remote_created_at"] == format_ts(parse_ts("2019-08-24T14:15:22Z"))
    assert job.nested["job_postings"][0]["status"] == "ACTIVE"
    stage = got["application_stages"][0]
    assert stage.remote_id == "string:string"  # "<vacancy id>:<stage name>": stages have no id
    assert (stage.fields["index"], stage.fields["job_id"]) == (0, ref("jobs", "string"))


def test_application_sample_is_one_candidate_one_application_and_its_notes() -> None:
    got = by_model(m.map_application(load("job_application.docs-sample.json"), CTX))
    cand, app, note = got["candidates"][0], got["applications"][0], got["notes"][0]
    assert cand.remote_id == app.remote_id == "string"  # no candidate resource: the application's id
    assert cand.fields["email_addresses"] == [{"email_address": "user@example.com", "type": None}]
    assert cand.fields["source"] == "Homerun Career Page"
    assert {k: v for k, v in cand.fields["location"].items() if v} == {"city": "string", "country": "string",
                                                                       "raw": "string, string"}  # fmt: skip
    assert app.fields["outcome"] == "HIRED"  # hired_at wins over disqualified
    assert app.fields["rejection_reason_name"] is None
    assert app.fields["current_stage_id"] == ref("application_stages", "string:string")
    assert (app.fields["job_id"], app.fields["candidate_id"]) == (ref("jobs", "string"), ref("candidates", "string"))
    assert note.remote_id == "string:0" and note.fields["is_private"] is True
    assert note.fields["content_html"] == "<p>string</p>" and note.fields["title"] == "string"


def _app(**changes: Any) -> Raw:
    return {**load("job_application.docs-sample.json"), **changes}


def test_outcomes_hired_disqualified_pending_and_the_customers_stage_names() -> None:
    declined = by_model(m.map_application(_app(hired_at=None), CTX))["applications"][0]
    assert (declined.fields["outcome"], declined.fields["rejection_reason_name"]) == ("DECLINED", "Too junior")
    pending = _app(hired_at=None, disqualified=False, stage={"name": "Withdrawn"})
    assert m.outcome(pending) == "PENDING"
    mapped = MapContext("homerun:golden", status_map={"withdrawn": "DECLINED"})
    assert m.outcome(pending, mapped) == "DECLINED"  # a stage the customer named
    pool = by_model(m.map_application(_app(vacancy_id=None), CTX))["applications"][0]
    assert pool.fields["job_id"] is None and pool.fields["current_stage_id"] is None  # talent-pool application


def test_the_listing_ends_at_meta_last_page() -> None:
    meta = load("pagination_meta.docs-example.json")
    pager = API.pager
    request = pager.first(PageRequest("GET", "/job-applications", {}))
    assert request.params == {"page": 1, "perPage": 100}
    full_page = {"data": [{}] * 100, **meta}
    assert pager.next(request, httpx.Response(200), full_page) is not None
    last = {"data": [{}] * 100, "meta": {**meta["meta"], "current_page": 4}}
    assert (
        pager.next(PageRequest("GET", "/job-applications", {"page": 4, "perPage": 100}), httpx.Response(200), last)
        is None
    )


# ------------------------------------------------------------------------------------------------ writes


def run(fake: FakeState, action: Callable[[kit.KitSource], Awaitable[WriteResult]]) -> WriteResult:
    info = IntegrationInfo("i", "homerun", {"base_url": "http://fake/v2"}, {"api_key": "homerun_key"})

    async def go() -> WriteResult:
        client = API.client(info, httpx.ASGITransport(app=create_app(state=fake)))
        source = kit.KitSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)
        try:
            return await action(source)
        finally:
            await source.aclose()

    return asyncio.run(go())


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(3, 20, rate=None)


def _open_app(fake: FakeState) -> Raw:
    return next(a for a in fake.applications.values() if a["vacancy_id"] and a["stage"]["name"] == "New")


def test_stage_moves_by_name_and_an_unknown_name_is_refused(fake: FakeState) -> None:
    app = _open_app(fake)
    target = {"remote_id": f"{app['vacancy_id']}:Interview"}
    move = bodies.MoveStage(stage_id="x")
    call = WriteCall("move_application_to_stage", "i", move, application={"remote_id": app["id"]}, stage=target)
    result = run(fake, lambda s: CONNECTOR.actions["move_application_to_stage"](s, call))
    assert fake.applications[app["id"]]["stage"] == {"name": "Interview"}
    assert result.records[0][0] == "job_applications" and result.records[0][1]["stage"] == {"name": "Interview"}
    call.stage = {"remote_id": f"{app['vacancy_id']}:Nope"}
    with pytest.raises(RemoteError) as refused:
        run(fake, lambda s: CONNECTOR.actions["move_application_to_stage"](s, call))
    assert refused.value.status == 404 and "Stage not found" in refused.value.message


def test_a_note_is_known_by_its_position_and_a_retry_finds_it_instead_of_posting(fake: FakeState) -> None:
    app = _open_app(fake)
    before = len(app["notes"])
    call = WriteCall("add_application_note", "i", bodies.Note(content="Strong hire", content_type="PLAIN_TEXT"),
                     application={"remote_id": app["id"]})  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["add_application_note"](s, call))
    assert result.created == {"note_remote_id": f"{app['id']}:{before}"}
    assert app["notes"][-1]["display_name"] == "atsbridge" and app["notes"][-1]["note"] == "Strong hire"
    retry = WriteCall("add_application_note", "i", call.body, application=call.application)
    retry.progress = {"note_create_started": 1}  # an earlier try whose answer was lost
    posts = len(fake.log.writes())
    again = run(fake, lambda s: CONNECTOR.actions["add_application_note"](s, retry))
    assert again.created == result.created and len(fake.log.writes()) == posts and len(app["notes"]) == before + 1


def test_create_application_posts_the_person_then_moves_and_uploads(fake: FakeState) -> None:
    vacancy = next(v for v, vac in fake.vacancies.items() if vac["status"] == "public")
    person = bodies.NewCandidate(first_name="Noor", last_name="Dekker", email_address="noor@mail.example",
                                 social_links=[bodies.SocialLink(url="https://www.linkedin.com/in/noor")])  # fmt: skip
    body = bodies.CreateApplication(candidate=person, source=bodies.Source(name="Referral"))
    files = [FileData("cv.pdf", "CV", "application/pdf", b"%PDF"),
             FileData("letter.pdf", "COVER_LETTER", "application/pdf", b"%PDF")]  # fmt: skip
    stage = {"remote_id": f"{vacancy}:Interview"}
    call = WriteCall("create_application", "i", body, job_remote_id=vacancy, stage=stage, files=files)
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    rid = result.created["application_remote_id"]
    made = fake.applications[rid]
    assert result.created["candidate_remote_id"] == rid and made["vacancy_id"] == vacancy
    assert made["linkedin"] == "https://www.linkedin.com/in/noor" and made["sources"] == [{"name": "Referral"}]
    assert made["stage"] == {"name": "Interview"}
    assert [(f["name"], f["type"]) for f in made["files"]] == [("cv.pdf", "resume"), ("letter.pdf", "assignment")]
    assert result.warnings == ["Homerun files are resumes or assignments: letter.pdf was sent as an assignment"]


def test_refusals_carry_homeruns_message(fake: FakeState) -> None:
    client = TestClient(create_app(state=fake))
    refused = client.get("/v2/vacancies")
    assert refused.status_code == 401 and refused.json()["code"] == 401 and refused.json()["error"] is True

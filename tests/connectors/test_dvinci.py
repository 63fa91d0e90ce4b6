"""d.vinci: golden mapper tests on the REST API doc's recorded examples (unchanged), the outcome rule, the two
auth headers on the customer's host, optimistic locking (409: re-read and retry once, then refuse), and the
write bodies against the recorded request examples. Sync behaviour is the contract suite's."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.dvinci import CONNECTOR, STREAMS
from atsbridge.connectors.dvinci import actions as a
from atsbridge.connectors.dvinci import mappers as m
from atsbridge.connectors.dvinci.api import API
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.fakes.dvinci import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads

PAY = payloads("dvinci")
CTX = MapContext("dvinci:golden")
Raw = dict[str, Any]


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def test_golden_application_detail_and_slim_row() -> None:
    row = load("rest_get_applications_list.json")[0]
    [app] = list(m.map_application({**row, "_detail": load("rest_get_application.json")}, CTX))
    f = app.fields
    assert (app.remote_id, f["outcome"], f["rejection_reason_name"]) == ("1", "HIRED", None)  # EMPLOYED
    assert f["current_stage_id"] == CTX.ref("application_stages", "EMPLOYED")
    assert (f["job_id"], f["candidate_id"]) == (CTX.ref("jobs", 1), CTX.ref("candidates", 1))
    assert f["remote_updated_at"].startswith("2017-03-14T08:14:06")
    assert [(q["question"]["type"], q["answer"]) for q in f["screening_question_answers"]] == [
        ("MULTI_SELECT", {"choices": ["Word", "Excel"]}), ("SINGLE_SELECT", {"choice": "4"}),
        ("TEXT", {"content": "3"}), ("TEXT", {"content": "German"})]  # fmt: skip
    assert f["custom_fields"]["sourceId"] == "HOMEPAGE" and f["custom_fields"]["version"] == 1
    [slim] = list(m.map_application(load("rest_get_applications_list.json")[1], CTX))  # no detail: still maps
    assert (slim.fields["outcome"], slim.fields["screening_question_answers"]) == ("PENDING", [])


def test_outcome_rule_rejection_code_and_the_status_map() -> None:
    app = {"id": 5, "applicationStatusId": "AT_WORK_COUNCIL", "rejectionCodeId": None}
    assert m.outcome(app) == "PENDING"
    [declined] = list(m.map_application({**app, "rejectionCodeId": "NO_FIT"}, CTX))
    assert (declined.fields["outcome"], declined.fields["rejection_reason_name"]) == ("DECLINED", "No fit")
    mapped = MapContext("dvinci:t", {"at_work_council": "HIRED", "withdrawn": "PENDING"})
    assert m.outcome(app, mapped) == "HIRED"  # the customer's own hired status
    assert m.outcome({**app, "applicationStatusId": "X", "rejectionCodeId": "WITHDRAWN"}, mapped) == "PENDING"


def test_golden_person_job_user_history_attachments() -> None:
    first, second = (next(m.map_candidate(p, CTX)) for p in load("rest_get_persons_list.json"))
    assert (first.fields["first_name"], first.fields["email_addresses"]) == (
        "Michaela", [{"email_address": "michael.mustermann@dvinci.de", "type": None}])  # fmt: skip
    loc = first.fields["location"]
    assert (loc["street_1"], loc["city"], loc["zip_code"], loc["country"]) == ("Nagelsweg 37", "Hamburg", "20097", "DE")
    assert first.nested["tag_ids"] == [CTX.ref("tags", "Recruiting Specialist"), CTX.ref("tags", "Lean Recruiting")]
    assert second.fields["location"] is None and second.fields["phone_numbers"] == []
    [job] = list(m.map_job(load("rest_get_jobopening.json"), CTX))
    assert (job.fields["name"], job.fields["status"]) == ("Software Engineer", "OPEN")
    assert job.fields["job_code"] == "2015-05"
    assert [p["remote_id"] for p in job.nested["job_postings"]] == ["2", "3"]
    [user, _] = [next(m.map_user(u, CTX)) for u in load("rest_get_dvinciusers_list.json")]
    assert (user.fields["last_name"], user.nested["system_roles"][0]["remote_id"]) == ("Musterfrau", "HR")
    parent = {"_application": {"id": 1, "person": 1}}
    notes = [n for e in load("rest_get_application_history.json") for n in m.map_note({**e, **parent}, CTX)]
    assert [n.remote_id for n in notes] == ["1/My-Defined-External-ID",
                                           "1/2017-04-08T08:46:07.275Z/APPLICATION_STATUS_CHANGE"]  # fmt: skip
    assert notes[1].fields["content_html"] == "We are looking forward to the appointment."
    files = [next(m.map_attachment({**f, **parent}, CTX)) for f in load("rest_get_application_attachments.json")]
    assert [(f.remote_id, f.fields["type"]) for f in files] == [
        ("1/5910304f46186304a394d780", "OTHER"), ("1/5910303946186304a394d77c", "COVER_LETTER")]  # fmt: skip


def test_two_api_user_headers_on_the_customers_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    async def get(host: str) -> None:
        info = IntegrationInfo("dvinci:t", "dvinci", {"host": host}, {"api_user": "api", "api_token": "s3cret"})
        client = API.client(info, httpx.MockTransport(handler))
        await client.request("GET", "/orgUnits/")
        await client.aclose()

    asyncio.run(get("acme.dvinci-hr.com"))
    asyncio.run(get("evil.example/x?"))
    assert str(seen[0].url) == "https://acme.dvinci-hr.com/restApi/orgUnits/"
    assert (seen[0].headers["Dvinci-API-User"], seen[0].headers["Dvinci-API-Token"]) == ("api", "s3cret")
    assert seen[1].url.host == "invalid"  # never a host the customer did not name
    assert {"interviews", "offers", "scorecards"} <= set(CONNECTOR.capabilities.unavailable)


class Stale(httpx.AsyncBaseTransport):
    """The fake behind it, where someone saves the record (its version moves) just before our next ``n`` PUTs."""

    def __init__(self, fake: FakeState, n: int) -> None:
        self.inner, self.fake, self.n, self.puts = httpx.ASGITransport(app=create_app(state=fake)), fake, n, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and self.n:
            self.n -= 1
            for record in (*self.fake.applications.values(), *self.fake.persons.values()):
                record["version"] += 1
        self.puts += request.method == "PUT"
        return await self.inner.handle_async_request(request)


def source(fake: FakeState, stale: int = 0) -> tuple[kit.KitSource, Stale]:
    transport = Stale(fake, stale)
    config = {"base_url": "http://fake/restApi", "host": "fake"}
    info = IntegrationInfo("dvinci:t", "dvinci", config, {"api_user": fake.api_user, "api_token": fake.api_token})
    return kit.KitSource(API, API.client(info, transport), config, streams=kit.resolve(STREAMS), info=info), transport


def fresh() -> FakeState:
    return FakeState.generate(seed=2, records=6, rate=None)


def test_409_is_re_read_and_retried_once_then_refused() -> None:
    fake = fresh()
    app_id = next(i for i, x in fake.applications.items() if not x["rejectionCodeId"])
    call = WriteCall("reject_application", "dvinci:t", bodies.Reject(rejection_reason_id="r"),
                     application={"remote_id": str(app_id)}, rejection_reason={"remote_id": "NO_FIT"})  # fmt: skip
    src, transport = source(fake, stale=1)
    result = asyncio.run(a.reject(src, call))
    assert transport.puts == 2 and fake.applications[app_id]["rejectionCodeId"] == "NO_FIT"
    assert result.records[0][1]["rejectionCodeId"] == "NO_FIT"
    tag = WriteCall("add_candidate_tag", "dvinci:t", bodies.TagBody(tag={"name": "Java"}),
                    candidate={"remote_id": str(fake.applications[app_id]["person"]["id"])})  # fmt: skip
    src, transport = source(fake, stale=0)
    added = asyncio.run(a._tags(src, dataclasses.replace(tag, body=bodies.TagBody(tag={"name": "Scala"})), add=True))
    assert [r[0] for r in added.records] == ["persons", "keywords"] and "Scala" in added.records[0][1]["keywords"]
    src, transport = source(fake, stale=2)
    with pytest.raises(RemoteError) as info:
        asyncio.run(a._tags(src, tag, add=True))
    assert transport.puts == 2 and "ConcurrentModification" in info.value.message
    assert info.value.code == "REMOTE.INPUT_INVALID"


def test_create_application_body_remote_fields_and_create_once() -> None:
    fake = fresh()
    job = next(j for j in fake.jobs.values() if j["status"] == "ACTIVE")
    body = bodies.CreateApplication(candidate={"first_name": "Ada", "last_name": "Lovelace",
                                               "email_address": "ada@math.example"},
                                    remote_fields={"dvinci": {"application": {"sourceId": "FAZ"},
                                                              "candidate": {"title": "Dr."}}})  # fmt: skip
    progress: Raw = {}
    call = WriteCall("create_application", "dvinci:t", body, job_remote_id=str(job["id"]), progress=progress,
                     remote_fields={"application": {"sourceId": "FAZ"}, "candidate": {"title": "Dr."}},
                     files=[FileData("cv.pdf", "CV", "application/pdf", b"%PDF-1.4 cv")])  # fmt: skip
    src, _ = source(fake)
    sent = a._application_body(src, call, "1", "x")
    assert set(sent) <= set(load("rest_post_application_request.json"))  # only documented keys
    assert set(a._person_body(call, "x")) <= set(load("rest_post_person_request.json"))
    before = (len(fake.persons), len(fake.applications))
    result = asyncio.run(a.create_application(src, call))
    app = fake.applications[int(result.created["application_remote_id"])]
    person = fake.persons[int(result.created["candidate_remote_id"])]
    assert (app["sourceId"], person["title"], person["email"]) == ("FAZ", "Dr.", "ada@math.example")
    assert [f["filename"] for f in fake.attachments[app["id"]]] == ["cv.pdf"]
    # a resumed call whose answers were lost: the intents are found by their externalId, nothing is posted twice
    for key in ("candidate", "application", "attachment_0"):
        progress.pop(f"{key}_remote_id")
    asyncio.run(a.create_application(source(fake)[0], call))
    assert (len(fake.persons), len(fake.applications)) == (before[0] + 1, before[1] + 1)
    assert len(fake.attachments[app["id"]]) == 1


def test_the_fakes_refusals_are_the_recorded_bodies() -> None:
    fake = fresh()
    app_id = next(iter(fake.applications))
    src, _ = source(fake)
    with pytest.raises(RemoteError) as info:
        asyncio.run(src.client.request("PUT", f"/applications/{app_id}", json={"version": -1}))
    assert info.value.status == 409 and json.loads(info.value.body or "") == load("rest_put_application_409.json")
    with pytest.raises(RemoteError) as info:
        asyncio.run(src.client.request("POST", f"/applications/{app_id}/statusChange/NOPE", json={}))
    recorded = load("rest_post_application_statuschange_422.json")
    answer = json.loads(info.value.body or "")
    assert answer["errorMsg"] == recorded["errorMsg"] and answer["fieldErrors"][0] == recorded["fieldErrors"][0]

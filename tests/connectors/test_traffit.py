"""TRAFFIT: golden mapper tests on the documented shapes (no payload was recorded: the public job-post example
[doc] for the JSON-in-string options and times, the reference's resource names otherwise), the outcome rule
(rejections, then the customer's state names), the OAuth grant on the instance's own host, the delta filter
sent in a header, and the create-application write through the SDK."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.traffit import mappers as m
from atsbridge.connectors.traffit.api import API, token_url_of
from atsbridge.connectors.traffit.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.fakes.traffit import create_app
from atsbridge.fakes.traffit.state import CLIENT_ID, CLIENT_SECRET, FakeState
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("traffit:golden")
RECRUITMENT = {"id": 3, "guid": "9d1c6a3e-0f7b-4f43-9a55-1d1b5a0f2c11", "nr_ref": "REK/2021/3", "client_id": 1,
               "workflow_id": 2, "name": "Python Developer", "status": "active", "owner_id": 7,
               "options": {"job_type": "b2b", "recruitment_deadline": "2021-06-30",
                           "job_location": '{"locality":"Warszawa","country":"PL","postal_code":"00-001"}'},
               "created_at": "2021-05-18 09:30:00", "updated_at": "2021-05-19 10:00:00"}  # fmt: skip
WORKFLOW = {"id": 2, "name": "Domyślny", "states": [{"id": 21, "name": "Oferta", "order": 2},
                                                    {"id": 20, "name": "Nowy", "order": 1}]}  # fmt: skip
ROW = {"id": 900, "employee_id": 55, "recruitment_id": 3, "state_id": 21, "created_at": "2021-05-20 08:00:00",
       "updated_at": "2021-05-21 08:00:00", "_recruitment": {"id": 3, "workflow_id": 2}}  # fmt: skip


def _app(ctx: MapContext = CTX, **changes: Any) -> dict[str, Any]:
    (record,) = m.map_application({**ROW, **changes}, ctx)
    return dict(record.fields) | {"remote_id": record.remote_id}


def test_recruitment_reads_json_in_string_options_and_local_times() -> None:
    (job,) = m.map_recruitment(RECRUITMENT, CTX)
    location = job.fields["location"]
    assert location is not None and (location["city"], location["country"]) == ("Warszawa", "PL")
    assert (job.fields["job_code"], job.fields["status"], job.fields["employment_type"]) == ("REK/2021/3", "OPEN",
                                                                                            "CONTRACT")  # fmt: skip
    assert job.fields["remote_created_at"] == "2021-05-18T09:30:00.000Z"
    assert job.fields["contact_id"] == CTX.ref("users", 7)
    (broken,) = m.map_recruitment({**RECRUITMENT, "options": {"job_location": "{not json"}, "status": 1}, CTX)
    assert broken.fields["location"] is None and broken.fields["status"] == "1"
    assert m.json_field('["a"]') == {} and m.json_field({"a": 1}) == {"a": 1}


def test_workflow_states_are_ordered_shared_stages() -> None:
    stages = list(m.map_workflow(WORKFLOW, CTX))
    assert [(s.remote_id, s.fields["name"], s.fields["index"]) for s in stages] == [("20", "Nowy", 0),
                                                                                      ("21", "Oferta", 1)]  # fmt: skip
    assert all(s.fields.get("job_id") is None for s in stages)


def test_application_is_the_employee_in_a_recruitment() -> None:
    app = _app()
    assert app["remote_id"] == "3:55" and app["custom_fields"]["id"] == 900
    assert app["candidate_id"] == CTX.ref("candidates", 55) and app["job_id"] == CTX.ref("jobs", 3)
    assert app["current_stage_id"] == CTX.ref("application_stages", 21)
    assert _app(state_id=None, state={"id": 20})["current_stage_id"] == CTX.ref("application_stages", 20)
    assert list(m.map_application({**ROW, "employee_id": None}, CTX)) == []


def test_rejections_decline_then_the_customers_state_names_decide() -> None:
    assert _app(_state="Oferta")["outcome"] == "PENDING"
    assert _app(_state="Zatrudniony")["outcome"] == "HIRED"
    rejected = _app(
        _state="Oferta", _rejection={"reason": "Za mało doświadczenia", "created_at": "2021-06-01 12:00:00"}
    )
    assert (rejected["outcome"], rejected["rejection_reason_name"]) == ("DECLINED", "Za mało doświadczenia")
    assert rejected["rejected_at"] == "2021-06-01T12:00:00.000Z"
    custom = MapContext("traffit:golden", status_map={"oferta przyjęta": "HIRED", "za mało doświadczenia": "PENDING"})
    assert _app(custom, _state="Oferta przyjęta")["outcome"] == "HIRED"
    assert _app(custom, _rejection={"reason": "Za mało doświadczenia"})["outcome"] == "PENDING"


def test_notes_and_files_hang_off_the_employee() -> None:
    (note,) = m.map_note({"id": 5, "content": "Rozmowa <ok>\nDalej", "user_id": 7, "_employee": {"id": 55}}, CTX)
    assert note.fields["content_html"] == "<p>Rozmowa &lt;ok&gt;<br>Dalej</p>"
    assert note.fields["candidate_id"] == CTX.ref("candidates", 55) and note.fields["application_id"] is None
    (file,) = m.map_file({"id": 8, "name": "CV.pdf", "mime_type": "application/pdf", "type": "cv",
                          "_employee": {"id": 55}}, CTX)  # fmt: skip
    assert file.remote_id == "55/files/8" and file.fields["type"] == "CV"


def _info(**credentials: str) -> IntegrationInfo:
    creds = {"client_id": "acme_atsbridge", "client_secret": "s3cret", **credentials}
    return IntegrationInfo("i1", "traffit", {"instance": "acme"}, creds)


def _token_request(info: IntegrationInfo) -> tuple[str, dict[str, list[str]], str]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth2/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 2592000})
        return httpx.Response(200, json=[])

    async def run() -> None:
        client = API.client(info, httpx.MockTransport(handler))
        try:
            await client.request("GET", "/users")
        finally:
            await client.aclose()

    asyncio.run(run())
    from urllib.parse import parse_qs

    token, call = seen[0], seen[1]
    return str(token.url), parse_qs(token.content.decode()), str(call.url)


def test_oauth_on_the_instance_host_password_grant_only_with_a_login() -> None:
    url, form, call = _token_request(_info())
    assert (
        url == "https://acme.traffit.com/oauth2/token" and call == "https://acme.traffit.com/api/integration/v2/users"
    )
    assert form["grant_type"] == ["client_credentials"] and "username" not in form
    assert "recruitment" in form["scope"][0].split()
    _, form, _ = _token_request(_info(username="api@acme.example", password="pw"))
    assert form["grant_type"] == ["password"] and form["username"] == ["api@acme.example"]
    assert token_url_of("http://127.0.0.1:9/api/integration/v2") == "http://127.0.0.1:9/oauth2/token"


def test_a_delta_lists_changed_employees_through_the_filter_header() -> None:
    fake = FakeState.generate(4, 12, None)
    app = create_app(state=fake)
    since = datetime.now(UTC)
    changed = next(iter(fake.employees))
    fake.touch(changed)
    info = IntegrationInfo("i1", "traffit", {"base_url": "http://fake/api/integration/v2"},
                           {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})  # fmt: skip
    employees = next(s for s in STREAMS if s.name == "employees")

    async def run() -> tuple[list[Any], list[Any]]:
        source = kit.KitSource(API, API.client(info, httpx.ASGITransport(app=app)), info.config,
                               streams=kit.resolve(STREAMS))  # fmt: skip
        try:
            delta = [r async for page in source.read(employees, since) for r in page]
            full = [r async for page in source.read(employees, None) for r in page]
        finally:
            await source.client.aclose()
        return delta, full

    delta, full = asyncio.run(run())
    assert [str(r["id"]) for r in delta] == [changed] and len(full) == 12
    sent = [e for e in fake.log.entries() if e.path.endswith("/employees")]
    assert all(e.query == "" for e in sent)  # paging and filter never travel in the query


def test_create_application_reuses_the_employee_and_is_created_once(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 20, None)
    with live("traffit", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = [j for j in k.ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN"]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        again = created_after_stall(v, jobs[0].id, cand)
        mine = [e for e in fake.employees.values() if e["email"] == email]
        assert len(mine) == 1 and again.remote_id == f"{jobs[0].remote_id}:{mine[0]['id']}"
        other = k.ats.create_application(job_id=jobs[1].id, candidate=cand).data
        assert other.candidate is not None and other.candidate.remote_id == str(mine[0]["id"])
        assert {k for k in fake.links if k.endswith(f":{mine[0]['id']}")} == {again.remote_id, other.remote_id}
        body = orjson.loads(next(e for e in fake.log.entries() if e.method == "POST").body or b"{}")
        assert body["email"] == email

"""ReachMee: golden mapper tests on the shapes client code documents (no payload was recorded), the quirks
(case-insensitive keys, ads folded into one job per project, two credentials on one host, ``next`` URLs,
feed settings from the integration) and what the connector declares it cannot do. Sync behaviour is the
contract suite's."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from atsbridge.api.routes.tools import tool_coverage
from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.reachmee import CONNECTOR
from atsbridge.connectors.reachmee import mappers as m
from atsbridge.connectors.reachmee.api import API
from atsbridge.connectors.reachmee.streams import STREAMS

CTX = MapContext("reachmee:golden")
#: The ColigoAB client's User model as its C# properties name the keys (``User_name``...).
USER_CSHARP = {"User_name": "anna.a", "User_id": 17, "First_name": "Anna", "Surname": "Andersson",
               "Email_work": None, "Email_home": "anna@home.example", "Date_removed": "2026-10-01",
               "Login_type": "EXT", "Org_unit_id": "11"}  # fmt: skip
#: A feed ad with the fields the Helsingborg transformer reads.
AD: dict[str, Any] = {
    "ad_id": 501, "project_id": 77, "publishing_date": "2026-11-03", "expiration_date": "2026-12-15",
    "title": "Sjuksköterska", "description": "<p>Body</p>", "prefix_text": "<p>Intro</p>", "suffix_text": "",
    "working_hours": "Heltid", "employment_level": "Heltid", "occupation_degree": "Vikariat", "country_code": 143,
    "country": "Sverige", "position": "Sjuksköterska", "occupation_area": "Hälso- och sjukvård",
    "ad_language": "SE", "link": "https://h.attract.reachmee.com/jobs/main?rmpage=job&rmjob=501",
    "url": "https://site106.reachmee.com/I003/apply?site=106&lang=SE&job_id=501",
    "contact_persons": [{"first_name": "Maja", "surname": "Nilsson", "email": "maja@x.example", "phone": None}],
    "organizations": [{"orgunitseqno": 10, "nameorgunit": "Helsingborgs stad"},
                      {"orgunitseqno": 11, "nameorgunit": "Socialförvaltningen"}],
    "areas": [{"id": 12, "name": "Skåne län"}, {"id": 1283, "name": "Helsingborg"}],
}  # fmt: skip


def test_users_read_whatever_the_key_casing_and_removed_users_are_inactive() -> None:
    (csharp,) = m.map_user(USER_CSHARP, CTX)
    snake = {k.lower(): v for k, v in USER_CSHARP.items()} | {"email_work": "anna@work.example", "date_removed": None}
    (current,) = m.map_user(snake, CTX)
    assert csharp.remote_id == current.remote_id == "17"
    assert (csharp.fields["first_name"], csharp.fields["last_name"]) == ("Anna", "Andersson")
    assert (csharp.fields["email"], csharp.fields["status"]) == ("anna@home.example", "INACTIVE")
    assert (current.fields["email"], current.fields["status"]) == ("anna@work.example", "ACTIVE")
    (admin,) = m.map_role({"Role_id": "1", "Name": "Administratör", "Description": "x"}, CTX)
    (other,) = m.map_role({"role_id": "2", "name": "Rekryterare"}, CTX)
    assert (admin.remote_id, admin.fields["unified_type"], other.fields["unified_type"]) == ("1", "ADMIN", None)


def test_ads_of_one_project_are_one_job_with_a_posting_each() -> None:
    second = {**AD, "ad_id": 502, "publishing_date": "2026-11-01", "areas": [{"id": 1, "name": "Skåne län"}]}
    orphan = {**AD, "ad_id": 900, "project_id": None}
    rows = m.group_ads([AD, "junk", {"title": "no ids"}, second, orphan])
    assert [r["project_id"] for r in rows] == ["77", "ad:900"]
    (job,) = m.map_job(rows[0], CTX)
    f = job.fields
    assert (job.remote_id, f["name"], f["status"], f["visibility"]) == ("77", "Sjuksköterska", "OPEN", "PUBLIC")
    assert f["description"] == "<p>Intro</p><p>Body</p>" and f["department"] == "Socialförvaltningen"
    assert f["employment_type"] == "TEMPORARY"  # a temporary form of employment wins over "Heltid"
    assert f["opened_at"] == "2026-11-01T00:00:00.000Z"  # the earliest ad
    assert f["location"] == {"city": "Helsingborg", "state": "Skåne län", "country": "Sverige",
                             "raw": "Helsingborg, Skåne län, Sverige", "zip_code": None, "street_1": None,
                             "street_2": None}  # fmt: skip
    assert f["custom_fields"]["employer"] == "Helsingborgs stad" and f["custom_fields"]["apply_url"] == AD["url"]
    assert f["custom_fields"]["contact_persons"][0]["name"] == "Maja Nilsson"
    assert [p["remote_id"] for p in job.nested["job_postings"]] == ["501", "502"]
    assert job.nested["job_postings"][0]["url"] == AD["link"]
    (bare,) = m.map_job({"project_id": "5", "_ads": [{"ad_id": 1, "project_id": 5, "employment_level": "Deltid",
                                                       "publishing_date": "soon"}]}, CTX)  # fmt: skip
    assert (bare.fields["employment_type"], bare.fields["opened_at"], bare.fields["location"]) == ("PART_TIME", None,
                                                                                                   None)  # fmt: skip
    assert list(m.map_job({"project_id": "6", "_ads": []}, CTX)) == []


CONFIG = {"site": "site106", "customer": "1234", "feed_id": "5", "lang": "NO"}
CREDENTIALS = {"api_user": "u", "api_key": "k", "feed_key": "fk"}


def _read(handler: Any, config: dict[str, Any] = CONFIG) -> dict[str, list[dict[str, Any]]]:
    info = IntegrationInfo("reachmee:t", "reachmee", config, CREDENTIALS)
    source = kit.KitSource(API, API.client(info, httpx.MockTransport(handler)), config,
                           streams=kit.resolve(STREAMS), info=info)  # fmt: skip

    async def run() -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for stream in kit.resolve(STREAMS):
            out[stream.name] = [r async for page in source.read(stream, None) for r in page]
        await source.aclose()
        return out

    return asyncio.run(run())


def test_the_feed_key_goes_to_the_feed_only_and_users_follow_next_urls() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/users"):
            page = request.url.params.get("page")
            nxt = None if page == "2" else "https://site106.reachmee.com/api/public/v1/users?page_size=50&page=2"
            return httpx.Response(200, json={"pages": 2, "total_count": 2, "result": [{"user_id": int(page or 1)}],
                                             "prev": None, "next": nxt})  # fmt: skip
        if request.url.path.endswith("/roles"):
            return httpx.Response(200, json=[{"role_id": "1", "name": "Chef"}])
        return httpx.Response(200, json=[AD, {**AD, "ad_id": 502}])

    rows = _read(handler)
    assert [r["user_id"] for r in rows["users"]] == [1, 2]
    assert len(rows["jobs"]) == 1 and len(rows["jobs"][0]["_ads"]) == 2
    feed = next(r for r in seen if "/feed/" in r.url.path)
    assert feed.url.path == "/api/public/v1/feed/5" and feed.url.host == "site106.reachmee.com"
    assert dict(feed.url.params) == {"lang": "NO", "customer": "1234", "format": "json", "feed_key": "fk"}
    admin = [r for r in seen if "/feed/" not in r.url.path]
    assert admin and all("feed_key" not in str(r.url) and r.headers["authorization"].startswith("Basic ")
                         for r in admin)  # fmt: skip
    assert seen[0].url.params.get("page_size") == "50"


def test_feed_settings_missing_or_unsafe_fail_with_a_message_not_a_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "/feed/" not in request.url.path, "no feed request with broken settings"
        return httpx.Response(200, json={"result": [], "next": None} if "users" in request.url.path else [])

    with pytest.raises(RemoteError, match="feed_id"):
        _read(handler, {**CONFIG, "feed_id": ""})
    with pytest.raises(RemoteError, match="letters and digits"):
        _read(handler, {**CONFIG, "feed_id": "../users"})


def test_what_reachmee_cannot_serve_is_said_with_the_reason() -> None:
    caps = CONNECTOR.capabilities
    assert caps.models == {"jobs", "users", "roles"} and not caps.actions
    coverage = tool_coverage("reachmee", "http://x")["coverage"]
    models = {m["id"]: m["coverage_status"] for m in coverage["read_models"]}
    actions = {a["id"]: a["coverage_status"] for a in coverage["write_actions"]}
    assert models["ats_jobs"] == models["ats_users"] == "SUPPORTED"
    assert models["ats_candidates"] == models["ats_applications"] == "UNSUPPORTED"
    assert actions["ats_create_application"] == actions["ats_add_application_note"] == "UNSUPPORTED"


def test_against_the_fake_a_wrong_feed_key_alone_is_refused_as_authentication() -> None:
    from atsbridge.fakes.reachmee import FakeState, conformance_setup, create_app

    fake = FakeState.generate(4, 200, None)
    config, credentials = conformance_setup("http://fake")

    def read(creds: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
        info = IntegrationInfo("reachmee:t", "reachmee", config, creds)
        client = API.client(info, httpx.ASGITransport(create_app(state=fake)))
        source = kit.KitSource(API, client, config, streams=kit.resolve(STREAMS), info=info)

        async def run() -> dict[str, list[dict[str, Any]]]:
            try:
                return {s.name: [r async for p in source.read(s, None) for r in p] for s in kit.resolve(STREAMS)}
            finally:
                await source.aclose()

        return asyncio.run(run())

    rows = read(credentials)
    assert sorted(r["project_id"] for r in rows["jobs"]) == sorted(fake.projects())
    assert len(rows["users"]) == len(fake.users) > 50  # more than one page, through ``next``
    with pytest.raises(RemoteError) as refused:
        read({**credentials, "feed_key": "wrong"})
    assert refused.value.status == 401

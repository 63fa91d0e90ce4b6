"""Umantis connector (tool keys ``umantis`` and ``abacusumantis``): mapper golden tests on the documented
JSON:API shapes (nothing was ever recorded for Umantis: see the connector's docstring for what is [gap]),
the person-then-application create with the contract's ``remote_fields.umantis.person`` on both tool keys,
person reuse, the closed-job refusal, and JSON:API's media-type rule. Shared behaviour (sync, deltas,
deletions, 429s, 401s) is the contract suite's job."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.kit.jsonapi import JsonApiSource, rows
from atsbridge.connectors.registry import get_connector
from atsbridge.connectors.umantis import actions as a
from atsbridge.connectors.umantis import mappers as m
from atsbridge.connectors.umantis.api import API, MEDIA_TYPE
from atsbridge.connectors.umantis.streams import STREAMS
from atsbridge.fakes.umantis import PROBE, FakeState, create_app
from atsbridge.model import write_bodies as bodies

CTX = MapContext("umantis:golden")
CONFIG = {"base_url": "http://umantis.test/api/v1", "subdomain": "acme", "requests_per_second": 1000}

#: A documented-shape application list (JSON:API [doc]; attribute names are the connector's [gap] picks).
APPLICATIONS = {
    "data": [
        {"id": "7001", "type": "applications",
         "attributes": {"status": "rejected", "source": "LinkedIn", "rejected_at": "2024-05-02T08:00:00.000Z",
                        "rejection_reason": "Profil passt nicht", "created_at": "2024-04-01T09:30:00.000Z",
                        "updated_at": "2024-05-02T08:00:00.000Z"},
         "relationships": {"person": {"data": {"type": "persons", "id": "6001"}},
                           "job": {"data": {"type": "jobs", "id": "5001"}},
                           "stage": {"data": {"type": "stages", "id": "4006"}}}},
        {"id": "7002", "type": "applications",
         "attributes": {"status": "active", "created_at": "2024-04-03T09:30:00.000Z"},
         "relationships": {"person": {"data": {"type": "persons", "id": "6002"}},
                           "job": {"data": {"type": "jobs", "id": "5001"}},
                           "stage": {"data": {"type": "stages", "id": "4009"}}}},
    ],
    "included": [
        {"id": "4006", "type": "stages", "attributes": {"name": "Absage", "category": "rejected", "position": 5}},
        {"id": "4009", "type": "stages", "attributes": {"name": "Talentpool", "category": "other", "position": 6},
         "relationships": {"job": {"data": {"type": "jobs", "id": "5001"}}}},
    ],
    "links": {"self": "https://acme.umantis.com/api/v1/applications?page[number]=1"},
}  # fmt: skip


def test_applications_map_person_job_stage_and_the_status_outcome() -> None:
    first, second = (next(m.map_application(row, CTX)) for row in rows(APPLICATIONS))
    f = first.fields
    assert (f["outcome"], f["rejection_reason_name"]) == ("DECLINED", "Profil passt nicht")
    assert f["candidate_id"] == CTX.ref("candidates", "6001") and f["job_id"] == CTX.ref("jobs", "5001")
    assert f["current_stage_id"] == CTX.ref("application_stages", "4006")
    assert f["rejected_at"] is not None and second.fields["outcome"] == "PENDING"
    assert second.fields["rejected_at"] is None and second.fields["rejection_reason_name"] is None


def test_customer_named_stages_follow_the_status_map() -> None:
    """Umantis statuses and stages are customer-configured: the map wins over the status (stage name/id)."""
    ctx = MapContext("umantis:mapped", status_map={"talentpool": "DECLINED", "absage": "HIRED"})
    first, second = (next(m.map_application(row, ctx)) for row in rows(APPLICATIONS))
    assert (first.fields["outcome"], second.fields["outcome"]) == ("HIRED", "DECLINED")


def test_job_specific_and_default_stages() -> None:
    stages = [next(m.map_stage(row, CTX)) for row in rows({"data": APPLICATIONS["included"]})]
    assert [s.fields["job_id"] for s in stages] == [None, CTX.ref("jobs", "5001")]
    assert [s.fields["index"] for s in stages] == [5, 6]


def test_person_and_job_golden() -> None:
    person = {"id": "6001", "type": "persons",
              "attributes": {"first_name": " Anna ", "last_name": "Meier", "email": "anna@mail.example",
                             "phone": "+41 44 555 0001", "mobile": None, "city": "Zürich", "country": "CH",
                             "created_at": "2024-04-01T09:30:00.000Z"}}  # fmt: skip
    (c,) = m.map_person(person, CTX)
    assert (c.fields["first_name"], c.fields["email_addresses"]) == (
        "Anna",
        [{"email_address": "anna@mail.example", "type": None}],
    )
    loc = c.fields["location"]
    assert (loc["raw"], loc["city"], loc["country"], loc["street_1"]) == ("Zürich, CH", "Zürich", "CH", None)
    job = {"id": "5001", "type": "jobs",
           "attributes": {"title": "Sachbearbeiter/in", "reference": "J-100", "status": "closed",
                          "visibility": "internal", "employment_type": "part_time", "location": "Bern",
                          "closed_at": "2024-06-01T00:00:00.000Z"}}  # fmt: skip
    (j,) = m.map_job(job, CTX)
    assert (j.fields["job_code"], j.fields["status"], j.fields["visibility"]) == ("J-100", "CLOSED", "INTERNAL")
    assert j.fields["employment_type"] == "PART_TIME" and j.fields["closed_at"] is not None


# ------------------------------------------------------------------------------------------------ writes


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(seed=7, records=48, rate=None)


def _run(fake: FakeState, act: Callable[[kit.KitSource], Awaitable[Any]], tool: str = "umantis") -> Any:
    info = IntegrationInfo("i", tool, CONFIG, {"api_key": fake.api_key})

    async def go() -> Any:
        client = API.client(info, httpx.ASGITransport(app=create_app(state=fake)))
        source = JsonApiSource(API, client, info.config, streams=kit.resolve(STREAMS), info=info)
        try:
            return await act(source)
        finally:
            await client.aclose()

    return asyncio.run(go())


def _job(fake: FakeState, status: str = "open") -> str:
    return next(j for j, row in fake.jobs.items() if row["attributes"]["status"] == status)


def _call(job: str, email: str = "neu@mail.example", **kw: Any) -> WriteCall[Any]:
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="Neu", last_name="Person", email_address=email),
        remote_fields=kw.pop("remote_fields", None),
    )
    return WriteCall("create_application", "i", body, job_remote_id=job, **kw)


@pytest.mark.parametrize("tool", ["umantis", "abacusumantis"])
def test_create_sends_a_person_with_the_contracts_remote_fields_then_the_application(
    fake: FakeState, tool: str
) -> None:
    """``remote_fields.umantis.person`` is the contract's key for both tool keys (Appendix A names only
    ``umantis``); the routes hand a connector its own key's subtree, so it is read from the body."""
    job = _job(fake)
    call = _call(job, remote_fields={"umantis": {"person": {"salutation": "Frau", "language": "de"}}},
                 files=[FileData("cv.pdf", "CV", "application/pdf", b"%PDF")])  # fmt: skip
    result: WriteResult = _run(fake, lambda s: a.create_application(s, call), tool)
    posts = [(e.path, e.json()) for e in fake.log.entries() if e.method == "POST"]
    assert [p for p, _ in posts] == ["/api/v1/persons", "/api/v1/applications"]
    person = posts[0][1]["data"]
    assert person["type"] == "persons" and person["attributes"] == {
        "first_name": "Neu", "last_name": "Person", "email": "neu@mail.example", "salutation": "Frau", "language": "de"
    }  # fmt: skip
    pid = result.created["candidate_remote_id"]
    assert posts[1][1]["data"]["relationships"] == {"person": {"data": {"type": "persons", "id": pid}},
                                                    "job": {"data": {"type": "jobs", "id": job}}}  # fmt: skip
    app = fake.applications[result.created["application_remote_id"]]
    assert (app["person"], app["job"]) == (pid, job) and fake.persons[pid]["attributes"]["salutation"] == "Frau"
    assert [kind for kind, _ in result.records] == ["applications", "persons"]
    assert result.warnings == ["Umantis' API has no documented upload: the attachments were not sent"]


def test_an_existing_person_is_reused_not_duplicated(fake: FakeState) -> None:
    pid, row = next(iter(fake.persons.items()))
    job = next(j for j in fake.jobs if fake.jobs[j]["attributes"]["status"] == "open"
               and not any(x["person"] == pid and x["job"] == j for x in fake.applications.values()))  # fmt: skip
    before = len(fake.persons)
    result = _run(fake, lambda s: a.create_application(s, _call(job, row["attributes"]["email"].upper())))
    assert result.created["candidate_remote_id"] == pid and len(fake.persons) == before
    assert [e.path for e in fake.log.entries() if e.method == "POST"] == ["/api/v1/applications"]


def test_a_closed_job_is_refused_as_job_closed(fake: FakeState) -> None:
    closed, before = _job(fake, "closed"), len(fake.applications)
    with pytest.raises(JobClosed, match="not open"):
        _run(fake, lambda s: a.create_application(s, _call(closed)))
    assert len(fake.applications) == before  # Umantis refused it (422): nothing made


def test_jsonapi_media_type_rule_and_the_connector_sends_the_bare_type() -> None:
    """Umantis requires ``Accept: application/vnd.api+json`` without parameters [doc]."""
    c = TestClient(create_app(seed=2, records=10, rate_limit=None))
    path, headers = PROBE
    assert c.get(path, headers=headers).status_code == 200
    refused = c.get(path, headers={**headers, "Accept": f"{MEDIA_TYPE}; ext=bulk"})
    assert refused.status_code == 406 and refused.json()["errors"][0]["status"] == "406"
    assert dict(API.headers)["Accept"] == MEDIA_TYPE


def test_both_tool_keys_declare_the_same_connector() -> None:
    one, other = get_connector("umantis"), get_connector("abacusumantis")
    assert one.capabilities.models == other.capabilities.models == {
        "users", "jobs", "application_stages", "candidates", "applications"}  # fmt: skip
    assert one.capabilities.actions == other.capabilities.actions == {"create_application"}
    assert "interviews" in one.capabilities.unavailable and "reject_application" in other.capabilities.unavailable

"""Jobvite connector: golden tests on the recorded error envelopes (the only Jobvite traffic ever recorded) and
on the documented row shape, and the vendor's true quirks: errors inside HTTP 200 bodies, ``start``/``count``
paging with the day-granular ``datestart`` filter, tenant-named workflow states, and the create write."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.jobvite import CONNECTOR
from atsbridge.connectors.jobvite import mappers as m
from atsbridge.connectors.jobvite.actions import create_application
from atsbridge.connectors.jobvite.api import API
from atsbridge.connectors.jobvite.streams import STREAMS
from atsbridge.core.ids import record_id
from atsbridge.fakes.jobvite import FakeState, create_app
from atsbridge.model import write_bodies as bodies

PAYLOADS = Path(__file__).parents[2] / "src/atsbridge/fakes/jobvite/payloads"
CTX = MapContext("jobvite:golden")
INFO = IntegrationInfo("jobvite:test", "jobvite", {"requests_per_second": 1000}, {"api_key": "k", "api_secret": "s"})
Handler = Callable[[httpx.Request], httpx.Response]
#: A ``/candidate`` row as the open-source v2 client reads it (reference §1.6; field names and kinds of values
#: from its anonymised fixture). No successful Jobvite payload is public.
ROW: dict[str, Any] = {
    "eId": "dOen2hqr", "firstName": "Testy", "lastName": "McTesterson", "email": "tester@example.com",
    "address": "  123 Anywhere Street  ", "address2": "#456", "city": "Oakland", "state": "CA", "country": "USA",
    "postalCode": "94610", "homePhone": "555-123-4567", "workPhone": "", "mobile": "", "companyName": "",
    "title": "", "location": "Oakland, CA ", "workStatus": "US Citizen",
    "application": {
        "eId": "ovLmTnq8", "workflowState": "Rejected", "workflowStateEId": "mGB7Cdqg",
        "disposition": "Position filled", "jobviteChannel": "Email", "sourceType": "Career Site",
        "source": "Desktop", "lastUpdatedDate": 1549916832797, "sentDate": 1546642137710, "hireDate": None,
        "customField": [{"fieldCode": "fte", "key": "FTE", "value": "1.0"}],
        "job": {"eId": "iHk17dqT", "requisitionId": "999", "title": "Teacher"},
    },
}  # fmt: skip


def source(handler: Handler | None = None, app: Any = None) -> kit.KitSource:
    transport = httpx.ASGITransport(app) if app is not None else httpx.MockTransport(handler)  # type: ignore[arg-type]
    return kit.KitSource(API, API.client(INFO, transport), INFO.config, streams=kit.resolve(STREAMS), info=INFO)


def envelope(name: str) -> httpx.Response:
    """A recorded error body, sent as Jobvite does: with HTTP 200."""
    return httpx.Response(200, content=(PAYLOADS / name).read_bytes(), headers={"content-type": "application/json"})


async def _list(src: kit.KitSource, path: str = "/candidate", params: dict[str, Any] | None = None) -> list[Any]:
    return [row async for page in src.listing("candidates", path, params) for row in page]


@pytest.mark.parametrize(("name", "code"), [("error_401.json", "INTEGRATION.AUTHENTICATION_INVALID"),
                                            ("error_404.json", "REMOTE.INPUT_INVALID")])  # fmt: skip
def test_recorded_error_envelopes_sent_with_http_200_are_errors(name: str, code: str) -> None:
    with pytest.raises(RemoteError) as raised:
        asyncio.run(_list(source(lambda _: envelope(name))))
    assert raised.value.code == code
    assert json.loads(name and (PAYLOADS / name).read_text())["status"]["messages"][0] in raised.value.message


def test_a_throttle_in_an_http_200_body_is_retried_as_a_429() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if len(sent) == 1:
            body = {"status": {"code": 429, "messages": ["API rate limit exceeded"]}}
            return httpx.Response(200, json=body, headers={"Retry-After": "0"})
        return httpx.Response(200, json={"status": {"code": 200, "messages": []}, "total": 1, "candidates": [ROW]})

    assert asyncio.run(_list(source(handler))) == [ROW]
    assert len(sent) == 2 and all(r.headers["x-jvi-api"] == "k" and r.headers["x-jvi-sc"] == "s" for r in sent)


def test_paging_is_start_count_until_a_short_page_and_deltas_filter_by_day() -> None:
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        rows = [ROW] * (500 if request.url.params["start"] == "0" else 3)
        return httpx.Response(200, json={"total": 503, "candidates": rows})

    params = STREAMS[2].read.since.params(datetime(2025, 3, 2, 0, 30, tzinfo=UTC))  # type: ignore[union-attr]
    assert len(asyncio.run(_list(source(handler), params=params))) == 503
    assert [(p["start"], p["count"]) for p in seen] == [("0", "500"), ("500", "500")]
    assert seen[0]["datestart"] == "2025-03-01" and seen[0]["dateFormat"] == "yyyy-MM-dd"


def test_a_row_is_a_candidate_and_its_application() -> None:
    cand, app = m.map_row(ROW, CTX)
    assert (cand.model, cand.remote_id, app.model, app.remote_id) == ("candidates", "dOen2hqr", "applications",
                                                                      "ovLmTnq8")  # fmt: skip
    assert cand.fields["location"]["street_1"] == "123 Anywhere Street" and cand.fields["title"] is None
    assert cand.fields["phone_numbers"] == [{"phone_number": "555-123-4567", "type": "HOME"}]
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Position filled")
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "mGB7Cdqg")
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "iHk17dqT")
    assert app.fields["remote_updated_at"] == "2019-02-11T20:27:12.797Z"
    assert app.fields["custom_fields"]["fte"] == "1.0"


def _outcome(state: str, ctx: MapContext = CTX, **app: Any) -> tuple[str, str | None]:
    return m.outcome({"workflowState": state, "workflowStateEId": "wf1", **app}, ctx)


def test_tenant_named_workflow_states_decide_the_outcome() -> None:
    assert _outcome("Offer Accepted") == ("HIRED", None) and _outcome(" hired ") == ("HIRED", None)
    assert _outcome("Withdrawn") == ("DECLINED", "Withdrawn") and _outcome("Interview") == ("PENDING", None)
    assert _outcome("Talent Pool", disposition="Not a fit") == ("DECLINED", "Not a fit")
    assert _outcome("Onboarding", hireDate=1549916832797) == ("HIRED", None)
    mapped = MapContext("jobvite:mapped", status_map={"talent pool": "PENDING", "wf1": "HIRED"})
    assert _outcome("Talent Pool", mapped, disposition="Not a fit")[0] == "PENDING"
    assert _outcome("Anything", mapped)[0] == "HIRED"  # by the state's eId


def test_requisitions_map_to_jobs_and_their_users() -> None:
    fake = FakeState.generate(seed=1, records=60, rate=None)
    raw = next(j for j in fake.jobs.values() if j["jobState"] == "On Hold")
    (job,) = m.map_job(raw, CTX)
    assert (job.fields["status"], job.fields["job_code"]) == ("CLOSED", raw["requisitionId"])
    assert job.fields["location"]["city"] == "Oakland"
    roles = {t["user_id"]: t["hiring_team_roles"] for t in job.nested["hiring_team"]}
    assert roles == {CTX.ref("users", raw["hiringManagers"][0]["userId"]): ["HIRING_MANAGER"],
                     CTX.ref("users", raw["recruiters"][0]["userId"]): ["RECRUITER"]}  # fmt: skip


def _create(src: kit.KitSource, job: str, email: str, progress: dict[str, Any] | None = None) -> WriteResult:
    body = bodies.CreateApplication(candidate=bodies.NewCandidate(first_name="Ada", last_name="L", email_address=email))
    cv = FileData("cv.pdf", "CV", "application/pdf", b"%PDF cv")
    call: WriteCall[Any] = WriteCall("create_application", "jobvite:test", body, files=[cv], job_remote_id=job,
                                     progress=progress if progress is not None else {})  # fmt: skip
    return asyncio.run(create_application(src, call))


def test_create_application_posts_once_and_reads_the_row_back() -> None:
    fake = FakeState.generate(seed=2, records=10, rate=None)
    fake.api_key, fake.api_secret = "k", "s"
    fake.__post_init__()
    src, job = source(app=create_app(state=fake)), next(j for j, r in fake.jobs.items() if r["jobState"] == "Open")
    result = _create(src, job, "Ada@Example.com")
    created = fake.applications[result.created["application_remote_id"]]
    assert created["resume"]["content"] == "%PDF cv" and created["_job"] == job
    ((stream, row),) = result.records
    assert stream == "candidates" and row["email"] == "ada@example.com"
    posts = [e for e in fake.log.entries() if e.method == "POST"]
    assert json.loads(posts[0].body)["candidate"]["application"]["resume"]["contentByteArray"] == base64.b64encode(
        b"%PDF cv").decode()  # fmt: skip
    with pytest.raises(AlreadyApplied):  # Jobvite's 409 (sent with HTTP 200)
        _create(src, job, "ada@example.com")
    # a first try that committed but was never answered: the retry finds the row instead of posting again
    before = len(fake.applications)
    resumed = _create(src, job, "ada@example.com", {"application_create_started": 1_700_000_000_000})
    assert resumed.created == result.created and len(fake.applications) == before
    assert len([e for e in fake.log.entries() if e.method == "POST"]) == 2


def test_the_declaration() -> None:
    assert CONNECTOR.capabilities.actions == frozenset({"create_application"})
    assert {"jobs", "candidates", "applications", "application_stages", "users"} == set(CONNECTOR.capabilities.models)
    assert [f.key for f in API.auth.fields] == ["api_key", "api_secret"]

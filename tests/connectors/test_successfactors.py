"""SAP SuccessFactors connector: the recorded OData v2 envelope (Employee Central ``FOLocation``, the only
recording) through ``kit.odata``, the documented Recruiting shapes through the mappers, the SAML bearer grant
(built and signed by the kit, verified by the fake), and the vendor's true quirks: ``$filter`` datetime
literals and ``__next`` paging, customer-defined statuses, upsert errors inside HTTP 200, system statuses,
permissions named at connect time, ``remote_fields.successfactors`` on writes."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote_plus

import orjson
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.saml import assertion, load_key
from atsbridge.connectors.successfactors import CONNECTOR
from atsbridge.connectors.successfactors import mappers as m
from atsbridge.connectors.successfactors.streams import STREAMS
from atsbridge.connectors.successfactors.webhooks import WEBHOOKS, touches
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes import successfactors as fake_sf
from atsbridge.fakes.kit.saml import check_assertion
from atsbridge.fakes.kit.spec import Change
from atsbridge.fakes.successfactors import FakeState, create_app
from atsbridge.fakes.successfactors import webhooks as fake_webhooks
from atsbridge.fakes.successfactors.state import SYSTEM, tenant_key
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server
from tests.connectors.test_bamboohr import live, retire, run
from tests.contract import harness

PAYLOADS = Path(fake_sf.__file__).parent / "payloads"
CTX = MapContext("successfactors:golden")


def test_the_recorded_envelope_parses_with_the_kit() -> None:
    body = orjson.loads((PAYLOADS / "odata_v2_FOLocation_last_page.json").read_bytes())
    rows = kit.odata.results(body["d"])
    assert [r["externalCode"] for r in rows][:2] == ["1910-0002", "1910-0010"] and len(rows) == 5
    first = rows[0]
    assert kit.odata.parse_date(first["lastModifiedDateTime"]) == datetime(2021, 8, 30, 8, 30, 31, tzinfo=UTC)
    assert kit.odata.date_iso(first["startDate"]) == "1990-01-01T00:00:00Z"
    assert kit.odata.parse_date(first["endDate"]) == datetime(9999, 12, 31, tzinfo=UTC)
    assert kit.odata.results(first["locationGroupNav"]) == []  # a deferred navigation holds no rows
    assert first["addressNavDEFLT"]["__metadata"]["type"] == "SFOData.FOCorporateAddressDEFLT"
    assert kit.odata.ODataNext().next(None, None, body) is None  # type: ignore[arg-type]  # the last page
    assert kit.odata.parse_date("/Date(x)/") is None and kit.odata.date_iso("2024-01-01") == "2024-01-01"


STATUSES = [{"appStatusId": "1001", "appStatusName": "Default", "appStatusSetId": "101"},
            {"appStatusId": "1006", "appStatusName": "Disqualified", "appStatusSetId": "101"}]  # fmt: skip
JOB = {"jobReqId": "2001", "statusSetId": "101", "deleted": False, "isDraft": False, "city": "Stockholm",
       "country": "SE", "createdDateTime": "/Date(1700000000000)/", "closedDateTime": None,
       "lastModifiedDateTime": "/Date(1700000500000+0000)/", "salaryMin": 50000.0, "currency": "SEK",
       "jobReqLocale": {"results": [{"locale": "en_US", "jobTitle": "Engineer", "jobDescription": "<p>x</p>"}]},
       "_statuses": STATUSES}  # fmt: skip
APP = {"applicationId": "90001", "candidateId": "80001", "jobReqId": "2001", "appStatusSetItemId": "1006",
       "status": "Disqualified", "hiredOn": None, "applicationDate": "/Date(1700000000000)/",
       "lastModifiedDateTime": "/Date(1700000600000+0000)/",
       "jobAppStatus": {"appStatusId": "1006", "appStatusName": "Disqualified", "appStatusSetId": "101"}}  # fmt: skip


def test_documented_shapes_map() -> None:
    job, default, disqualified = m.map_job(JOB, CTX)
    assert (job.fields["name"], job.fields["status"], job.fields["salary_currency"]) == ("Engineer", "OPEN", "SEK")
    assert job.fields["remote_updated_at"] == "2023-11-14T22:21:40.000Z"
    assert (default.remote_id, disqualified.fields["name"]) == ("2001:1001", "Disqualified")
    assert disqualified.fields["index"] == 1
    (app,) = m.map_application(APP, CTX)
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Disqualified")
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "2001:1006")
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "80001")
    (cand,) = m.map_candidate({"candidateId": "80001", "firstName": "Ada", "primaryEmail": "a@x.io",
                               "contactEmail": "a@x.io", "cellPhone": "+46 1", "country": "SE",
                               "tags": {"results": [{"tagId": "t1", "label": "Java"}]}}, CTX)  # fmt: skip
    assert cand.fields["email_addresses"] == [{"email_address": "a@x.io", "type": None}]
    assert cand.nested["tag_ids"] == [record_id(CTX.integration_id, "tags", "t1")]
    assert m.job_status({**JOB, "deleted": True}) == "ARCHIVED" and m.job_status({"isDraft": "true"}) == "DRAFT"
    comments = {"results": [{"commentId": "5", "commentator": "sfapi", "commentContent": "Strong",
                             "creationDate": "/Date(1700000000000)/"}]}  # fmt: skip
    _, note = m.map_application_and_notes({**APP, "jobApplicationComments": comments}, CTX)
    assert note.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "80001")
    assert note.fields["author_id"] == record_id(CTX.integration_id, "users", "sfapi")
    (user,) = m.map_user({"userId": "u1", "firstName": "A", "status": "f"}, CTX)
    (interview,) = m.map_interview({"applicationInterviewId": "7", "applicationId": "90001", "status": "cancelled",
                                    "startDate": "/Date(1700000000000)/"}, CTX)  # fmt: skip
    assert user.fields["status"] == "INACTIVE" and interview.fields["canceled"] is True
    assert interview.fields["starting_at"] == "2023-11-14T22:13:20.000Z"


@pytest.mark.parametrize(
    ("status", "name", "hired_on", "expected"),
    [("Open", "Interview", None, "PENDING"), ("Open", "Hired", None, "HIRED"), ("Open", "Offer", "/Date(1)/", "HIRED"),
     ("Closed", "Hired On Other Requisition", None, "DECLINED"), ("Withdraw", "Withdrawn By Candidate", None,
      "DECLINED"), ("Open", "Talent Pool (no fit)", None, "PENDING")],
)  # fmt: skip
def test_outcome_rule(status: str, name: str, hired_on: str | None, expected: str) -> None:
    app = {**APP, "status": status, "hiredOn": hired_on, "jobAppStatus": {"appStatusId": "7", "appStatusName": name}}
    assert m.outcome(app)[0] == expected


def test_customer_defined_statuses_follow_the_status_map() -> None:
    """Status sets are per requisition template: the integration's map (by name or id) wins, even over hiredOn."""
    ctx = MapContext("successfactors:mapped", status_map={"talent pool (no fit)": "DECLINED", "1004": "PENDING"})
    pool = {**APP, "status": "Open", "jobAppStatus": {"appStatusId": "7", "appStatusName": "Talent Pool (no fit)"}}
    assert m.outcome(pool, ctx) == ("DECLINED", "Talent Pool (no fit)")
    offer = {**APP, "status": "Open", "appStatusSetItemId": "1004", "hiredOn": "/Date(1)/",
             "jobAppStatus": {"appStatusId": "1004", "appStatusName": "Offer"}}  # fmt: skip
    assert m.outcome(offer, ctx)[0] == "PENDING" and m.outcome(offer)[0] == "HIRED"


def test_the_saml_assertion_is_signed_and_checked() -> None:
    pem = fake_sf.conformance_setup("http://x")[1]["private_key"]
    url, aud = "https://api4.example/oauth/token", "www.successfactors.com"
    signed = assertion(load_key(pem), issuer=aud, client_id="key", user_id="sfapi", recipient=url, audience=aud)
    assert check_assertion(signed, tenant_key().public_key(), audience=aud, recipient=url) == "sfapi"
    with pytest.raises(ValueError, match="recipient"):
        check_assertion(signed, tenant_key().public_key(), audience=aud, recipient="https://other/oauth/token")
    xml = base64.b64decode(signed).replace(b">sfapi<", b">admin<")
    with pytest.raises(ValueError, match="changed after it was signed"):
        check_assertion(base64.b64encode(xml).decode(), tenant_key().public_key(), audience=aud, recipient=url)
    with pytest.raises(RemoteError) as info:
        load_key("wrong-key")
    assert info.value.code == "INTEGRATION.AUTHENTICATION_INVALID" and info.value.status == 401


@dataclass
class SF:
    fake: FakeState
    integration_id: str
    url: str
    config: dict[str, object]
    credentials: dict[str, object]


@pytest.fixture
def sf(engine: Engine, settings: Settings, environment: str) -> Iterator[SF]:
    state = FakeState.generate(5, 24, None)
    state.page_cap = 7
    with serve_asgi(create_app(state=state)) as url:
        config, creds = fake_sf.conformance_setup(url)
        config = {**config, "sync_all_applications": True, "timeout_seconds": 2.0}
        iid = create_integration(engine, settings, environment, "successfactors", "Org", config=config,
                                 credentials=creds)  # fmt: skip
        try:
            yield SF(state, iid, url, config, creds)
        finally:
            retire(engine, iid)


def test_delta_filters_by_datetime_literal_and_follows_next(engine: Engine, settings: Settings, sf: SF) -> None:
    assert run(engine, settings, sf.integration_id, full=True).status == "SUCCEEDED"
    stored = {model: len(live(engine, sf.integration_id, model)) for model in CONNECTOR.capabilities.models}
    fake = sf.fake
    assert stored == {"applications": len(fake.applications), "candidates": len(fake.candidates),
                      "jobs": len(fake.requisitions), "users": len(fake.users), "interviews": len(fake.interviews),
                      "offers": len(fake.offers), "notes": len(fake.comments), "tags": 2, "rejection_reasons": 1,
                      "application_stages": sum(len(fake.set_of(j)) for j in fake.requisitions.values())}  # fmt: skip
    assert any("skiptoken" in line for line in sf.fake.log.lines())  # 24 applications, 7 a page
    sf.fake.log.clear()
    assert run(engine, settings, sf.integration_id, full=False).status == "SUCCEEDED"
    filters = [unquote_plus(e.query) for e in sf.fake.log.entries() if e.path.endswith("/JobApplication")]
    assert filters and all("$filter=lastModifiedDateTime gt datetime'" in q for q in filters), filters
    assert "paging=snapshot" in filters[0] and "$expand=jobAppStatus" in filters[0]


def test_connect_check_names_the_missing_permission_and_legacy_basic_works(sf: SF) -> None:
    spec = CONNECTOR.connect
    assert spec is not None
    sf.fake.denied = {"JobApplicationStatus"}
    info = IntegrationInfo("successfactors:check", "successfactors", sf.config, sf.credentials)
    with pytest.raises(ValueError, match="Job Application Status OData API permission"):
        asyncio.run(spec.verify(info))
    sf.fake.denied = set()
    legacy = {**sf.credentials, "private_key": "", "password": "sf_legacy_password"}
    asyncio.run(spec.verify(IntegrationInfo("successfactors:basic", "successfactors", sf.config, legacy)))
    with pytest.raises(ValueError, match="refused"):
        asyncio.run(spec.verify(IntegrationInfo("sf:bad", "successfactors", sf.config, {**legacy, "password": "x"})))


def _kombo(engine: Engine, server: Server, iid: str) -> Kombo:
    with engine.begin() as conn:
        env = platform.get_integration(conn, iid)
        assert env is not None
        key = platform.create_api_key(conn, env.environment_id, "t")
    return Kombo(api_key=key, integration_id=iid, server_url=server.v1)


def test_writes_apply_remote_fields_and_pass_refusals_on(
    engine: Engine, settings: Settings, server: Server, sf: SF
) -> None:
    fake, iid = sf.fake, sf.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    k = _kombo(engine, server, iid)
    job = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.status == "OPEN")
    screen = next(s for s in job.stages if s.name in ("Phone Screen", "Assessment"))
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email, "location": {"country": "SE"}}
    sf_fields = {"Candidate": {"currentTitle": "Analyst"}, "JobApplication": {"source": "Agency"}}
    app = k.ats.create_application(job_id=job.id, candidate=cand, stage_id=screen.id,
                                   remote_fields={"successfactors": sf_fields}).data  # fmt: skip
    vendor = fake.applications[app.remote_id]
    assert (vendor["source"], vendor["appStatusSetItemId"]) == ("Agency", screen.remote_id.split(":")[1])
    assert fake.candidates[vendor["candidateId"]]["currentTitle"] == "Analyst" and app.current_stage_id == screen.id
    # the same person on another requisition: the candidate is found by e-mail, updated only when asked
    second = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.status == "OPEN" and j.id != job.id)
    update = {"successfactors": {"update_existing_candidate": True, "Candidate": {"currentTitle": "Lead"}}}
    again = k.ats.create_application(job_id=second.id, candidate=cand, remote_fields=update).data
    assert fake.applications[again.remote_id]["candidateId"] == vendor["candidateId"]
    assert fake.candidates[vendor["candidateId"]]["currentTitle"] == "Lead"
    # SuccessFactors requires a country for new candidates: its refusal is passed on, nothing is created
    count = len(fake.candidates)
    with pytest.raises(KomboAtsError) as info:
        k.ats.create_application(job_id=job.id, candidate={**cand, "email_address": "x" + email, "location": None})
    assert "country is required" in info.value.data.error.message and len(fake.candidates) == count
    # moves: an upsert, with remote_fields.successfactors.JobApplication merged; a system status is refused
    other = next(s for s in job.stages if s.name == "Hired")
    rating = {"successfactors": {"JobApplication": {"averageRating": "4"}}}
    k.ats.move_application_to_stage(application_id=app.id, stage_id=other.id, remote_fields=rating)
    assert fake.applications[app.remote_id]["hiredOn"] and fake.applications[app.remote_id]["averageRating"] == "4"
    system = next(s for s in job.stages if s.name in ("Withdrawn By Candidate", "Hired On Other Requisition"))
    with pytest.raises(KomboAtsError) as info:
        k.ats.move_application_to_stage(application_id=app.id, stage_id=system.id)
    assert "not allowed to change the candidate application status" in info.value.data.error.message
    k.ats.add_application_note(application_id=app.id, content="Strong candidate", content_type="PLAIN_TEXT")
    (comment,) = [c for c in fake.comments.values() if c["applicationId"] == app.remote_id]
    assert comment["commentContent"] == "Strong candidate" and comment["commentId"] in live(engine, iid, "notes")
    # rejection reasons are the declining statuses; rejecting moves there, the note becomes a comment
    reasons = {r.name: r for r in k.ats.get_rejection_reasons().result.data.results}
    assert set(reasons) == {"Disqualified"}  # "Not Selected" is no rule's name, system statuses are left out
    assert reasons["Disqualified"].remote_id == "1006"
    other_set = next(a for a in fake.applications.values() if fake.requisitions[a["jobReqId"]]["statusSetId"] == "102")
    stored = record_id(iid, "applications", other_set["applicationId"])
    with pytest.raises(KomboAtsError) as info:  # a status of another requisition's set: SuccessFactors refuses
        k.ats.reject_application(application_id=stored, rejection_reason_id=reasons["Disqualified"].id)
    assert "status set" in info.value.data.error.message
    open_app = next(a for a in fake.applications.values() if a["jobReqId"] in {j["jobReqId"] for j in
                    fake.requisitions.values() if j["statusSetId"] == "101"} and a["status"] == "Open")  # fmt: skip
    target = record_id(iid, "applications", open_app["applicationId"])
    rejected = k.ats.reject_application(application_id=target, rejection_reason_id=reasons["Disqualified"].id,
                                        note="Not enough experience")  # fmt: skip
    assert rejected is not None and open_app["status"] == "Disqualified"
    assert any(c["commentContent"] == "Not enough experience" for c in fake.comments.values())
    tracked = k.ats.import_tracked_application(tracked_at=datetime.now(UTC),
                                               successfactors={"application_remote_id": app.remote_id})  # fmt: skip
    assert tracked.data is not None


# ------------------------------------------------------------------------------------------- webhooks in
#: Cronofy's documented Intelligent Services body for "Update of Job Application Status" [3p].
STATUS_EVENT = {"job_application": {"application_id": 4541, "job_application_status_id": 352, "candidate_id": 4148,
                                    "application_status_id": 10}}  # fmt: skip


def test_an_application_event_touches_applications_and_a_profile_event_candidates_too() -> None:
    """The admin builds the body: an application event queues ``applications`` (that application); a profile
    event ``candidates`` and ``applications`` (a career-site application sends only the profile event). OData's
    camelCase labels and batched lists are taken; any other body is not understood (refused, so visible)."""
    assert touches(STATUS_EVENT) == [kit.Touch("applications", "4541")]
    assert touches({"jobApplication": {"applicationId": "77"}}) == [kit.Touch("applications", "77")]
    assert touches({"candidate": {"candidate_id": 4148}}) == [kit.Touch("candidates", "4148"),
                                                             kit.Touch("applications")]  # fmt: skip
    both = touches([STATUS_EVENT, {"Candidate": {"candidateId": 9}}, STATUS_EVENT])
    assert both == [kit.Touch("applications", "4541"), kit.Touch("candidates", "9"), kit.Touch("applications")]
    assert {t.stream for t in both} <= {s.name for s in STREAMS}
    for bad in ({}, {"job_requisition": {"id": 1}}, [], [1], "job_application", {"job_application": [4541]}, None):
        with pytest.raises(ValueError):
            touches(bad)
    assert WEBHOOKS.registration == "manual" and WEBHOOKS.delivery_id is None and WEBHOOKS.register is None
    assert "Update of Job Application Status" in WEBHOOKS.event_names and "Integration Center" in WEBHOOKS.instructions
    assert CONNECTOR.webhooks is WEBHOOKS


def test_the_fake_pushes_status_changes_and_profiles_unsigned() -> None:
    """A move sends the application's new status; an edit and a career-site application the candidate's
    profile; a purge nothing. Nothing is signed."""
    fake: FakeState = create_app(seed=3, records=6, rate_limit=None).state.fake
    app = next(a for a in fake.applications.values() if a["status"] == "Open")
    target = next(s["appStatusId"] for s in fake.set_of(fake.requisitions[app["jobReqId"]])
                  if s["appStatusId"] != app["appStatusSetItemId"] and s["appStatusName"] not in SYSTEM)  # fmt: skip
    moved = fake_webhooks.Pushed.status_changed(fake.move(app["applicationId"], target))
    pushed = fake_webhooks.body(moved)
    assert pushed is not None and str(pushed["job_application"]["job_application_status_id"]) == target
    assert touches(pushed) == [kit.Touch("applications", app["applicationId"])]
    profile = fake_webhooks.body(fake_webhooks.Pushed.profile("candidates", "12", "updated", "12"))
    assert profile == {"candidate": {"candidate_id": 12}}
    assert fake_webhooks.body(Change("candidates", "12", "deleted")) is None
    assert fake_webhooks.WEBHOOKS.sign(orjson.dumps(pushed), "secret") == {}


@pytest.fixture
def sf_live(engine: Engine, settings: Settings, server: Server) -> Iterator[harness.Live]:
    with harness.live("successfactors", engine, settings, server.v1) as found:
        yield found


def test_unsigned_deliveries_are_taken_only_at_the_issued_url(sf_live: harness.Live, server: Server) -> None:
    """No signature (``PathTokenOnly``): any headers pass at the issued URL; a wrong path token, or a body that
    names no application or candidate, is refused alike (401, nothing queued)."""
    v = sf_live
    hook = harness.issue_vendor_webhook(server.v1, v)
    assert hook["registration"] == "manual" and hook["events"] == list(WEBHOOKS.event_names)
    url, deliver = hook["url"], harness.json_poster(orjson.dumps(STATUS_EVENT))

    refused = [deliver(url[:-4] + "AAAA"), deliver(url + "x"), deliver(url, b"{oops"),
               deliver(url, b'{"job_requisition": {"id": 1}}')]  # fmt: skip
    assert [r.status_code for r in refused] == [401] * 4
    assert len({r.content for r in refused}) == 1, "every refusal looks the same"
    taken = deliver(url, Authorization="Basic unchecked")
    assert taken.status_code == 200 and taken.json()["data"] == {"accepted": True, "streams": ["applications"]}
    profile = deliver(url, b'{"candidate": {"candidate_id": 4148}}')
    assert sorted(profile.json()["data"]["streams"]) == ["applications", "candidates"]

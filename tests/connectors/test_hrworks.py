"""HRworks: golden mapper tests on the SDK-model shapes (no traffic was recorded), then the vendor's own quirks:
the fixed status enum as stages and its outcomes, ``page`` + ``Link`` paging with no size parameter, and the
asynchronous writes (POST -> job id -> poll), create-once across a lost POST answer or a job still pending.
The shared behaviour is the contract suite's."""

from __future__ import annotations

import dataclasses
import json
import time
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from atsbridge.connectors.actions import FileData, ResolvedAnswer, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.hrworks import CONNECTOR
from atsbridge.connectors.hrworks import actions as hw_actions
from atsbridge.connectors.hrworks import mappers as m
from atsbridge.connectors.hrworks.api import API
from atsbridge.connectors.hrworks.streams import STREAMS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.core.ids import record_id
from atsbridge.fakes.hrworks import FakeState, create_app
from atsbridge.fakes.hrworks.state import ACCESS_KEY, SECRET_KEY
from atsbridge.fakes.kit.shapes import differences, shape_of
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads
from tests.connectors.writes_helper import Action, run_action

Raw = dict[str, Any]
PAY = payloads("hrworks")
CTX = MapContext("hrworks:golden")
AM = "/v2/applicant-management"


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def test_post_maps_the_job_by_uuid_and_its_post_offers_as_postings() -> None:
    (job,) = list(m.map_post(load("post.sdk-model.json"), CTX))
    assert job.remote_id == "3f0b8c52-5d5e-4a43-9d0a-2f7d2b6d9a11"  # the uuid, not the deprecated numeric id
    assert (job.fields["name"], job.fields["job_code"], job.fields["status"]) == (
        "Softwareentwickler (m/w/d)", "P-1000", "OPEN")  # fmt: skip
    (posting,) = job.nested["job_postings"]
    assert posting["remote_id"] == "3f0b8c52-5d5e-4a43-9d0a-2f7d2b6d9a11:700" and posting["status"] == "ACTIVE"
    closed = next(iter(m.map_post({**load("post.sdk-model.json"), "isActive": False, "postOffers": None}, CTX)))
    assert closed.fields["status"] == "CLOSED" and closed.nested["job_postings"] == []


def test_applicant_maps_the_candidate_with_address_and_contact() -> None:
    (cand,) = list(m.map_applicant(load("applicant.sdk-model.json"), CTX))
    assert cand.remote_id == "8d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a"
    assert (cand.fields["first_name"], cand.fields["last_name"], cand.fields["title"]) == ("Lena", "Müller", "Dr.")
    assert cand.fields["email_addresses"] == [{"email_address": "lena.mueller@mail.example", "type": None}]
    assert cand.fields["phone_numbers"] == [{"phone_number": "+49 761 2", "type": None}]
    loc = cand.fields["location"]
    assert (loc["street_1"], loc["zip_code"], loc["city"], loc["country"]) == ("Hauptstraße 1", "79098", "Freiburg",
                                                                               "DE")  # fmt: skip


def test_job_application_links_post_applicant_and_status_stage() -> None:
    raw = {**load("job_application.sdk-model.json"), "applicant": load("applicant.sdk-model.json")}
    (app,) = list(m.map_application(raw, CTX))
    assert app.remote_id == "40001" and app.fields["outcome"] == "PENDING"
    assert app.fields["job_id"] == ref("jobs", "3f0b8c52-5d5e-4a43-9d0a-2f7d2b6d9a11")
    assert app.fields["candidate_id"] == ref("candidates", "8d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a")
    assert app.fields["current_stage_id"] == ref("application_stages", "applied")
    assert app.fields["remote_created_at"] is not None
    assert app.fields["custom_fields"]["applicationDocuments"] == ["Lebenslauf.pdf"]


def test_the_status_enum_is_the_stage_list_and_decides_the_outcome() -> None:
    stages = [r for row in m.status_rows() for r in m.map_status(row, CTX)]
    assert [s.remote_id for s in stages] == ["applied", "inProgress", "documentCreation", "employed", "notEmployed",
                                             "movedToTalentPool"]  # fmt: skip
    assert all(s.fields["job_id"] is None for s in stages)  # one pipeline for every post
    base = load("job_application.sdk-model.json")
    assert m.outcome({**base, "statusIdentifier": "employed"}) == "HIRED"
    assert m.outcome({**base, "statusIdentifier": "notEmployed"}) == "DECLINED"
    assert m.outcome({**base, "statusIdentifier": "movedToTalentPool"}) == "DECLINED"
    assert m.outcome({**base, "statusIdentifier": "documentCreation"}) == "PENDING"
    # the tenant's own status label can be mapped per integration
    mapped = MapContext("hrworks:golden", status_map={"vertrag versendet": "HIRED"})
    assert m.outcome({**base, "statusIdentifier": "documentCreation", "status": "Vertrag versendet"}, mapped) == "HIRED"


def test_paging_sends_no_size_and_follows_the_link_header() -> None:
    pager = API.pager
    first = pager.first(PageRequest("GET", f"{AM}/posts", {}))
    assert first.params == {}  # the page size is fixed at 50: no size parameter exists
    nxt = f"https://api.hrworks.de{AM}/posts?page=2"
    linked = httpx.Response(200, headers={"Link": f'<{nxt}>; rel="next", <https://x/last?page=9>; rel="last"'})
    following = pager.next(first, linked, {"posts": []})
    assert following is not None and following.url == nxt
    assert pager.next(first, httpx.Response(200, headers={"Link": '<https://x?page=1>; rel="last"'}), {}) is None


def test_the_fake_pages_by_fifty_and_wraps_rows() -> None:
    client = TestClient(create_app(seed=2, records=120, rate_limit=None))
    token = client.post("/v2/authentication", json={"accessKey": ACCESS_KEY, "secretAccessKey": SECRET_KEY}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    first = client.get(f"{AM}/job-applications", headers=headers)
    assert len(first.json()["jobApplications"]) == 50 and 'page=2>; rel="next"' in first.headers["link"]
    last = client.get(f"{AM}/job-applications", params={"page": 3}, headers=headers)
    assert len(last.json()["jobApplications"]) == 20 and 'rel="next"' not in last.headers["link"]
    refused = client.post("/v2/authentication", json={"accessKey": ACCESS_KEY, "secretAccessKey": "nope"})
    assert refused.status_code == 401 and refused.json()["errorCode"] == 401 and refused.json()["errorMessage"]


# ------------------------------------------------------------------------------------------------ writes


def run(fake: FakeState, action: Action) -> WriteResult:
    info = IntegrationInfo("i", "hrworks", {"base_url": "http://fake/v2"},
                           {"access_key": ACCESS_KEY, "secret_access_key": SECRET_KEY})  # fmt: skip
    return run_action(API, STREAMS, create_app(state=fake), info, action)


@pytest.fixture
def fake() -> FakeState:
    state = FakeState.generate(3, 40, rate=None)  # four posts: one inactive
    state.job_delay = 0.1
    return state


def _post(fake: FakeState) -> str:
    return next(p for p, post in fake.posts.items() if post["isActive"])


def _create_call(fake: FakeState, email: str = "noor@mail.example", **extra: Any) -> WriteCall[Any]:
    person = bodies.NewCandidate(first_name="Noor", last_name="Dekker", email_address=email,
                                 phone_number="+49 30 1234")  # fmt: skip
    body = bodies.CreateApplication(candidate=person, source=bodies.Source(name="LinkedIn"))
    return WriteCall("create_application", "i", body, job_remote_id=_post(fake), **extra)


def _posts(fake: FakeState) -> list[str]:
    return [e.path for e in fake.log.entries() if e.method == "POST"]


def test_create_posts_a_job_polls_it_and_writes_through(fake: FakeState) -> None:
    call = _create_call(fake, remote_fields={"jobApplication": {"desiredSalary": "70000"}},
                        files=[FileData("cv.pdf", "CV", "application/pdf", b"%PDF-1.4")])  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    rid = result.created["application_remote_id"]
    made = fake.applications[rid]
    assert made["postUuid"] == _post(fake) and made["applicant"]["email"] == "noor@mail.example"
    assert made["desiredSalary"] == "70000"  # remote_fields.hrworks.jobApplication, passed through
    assert made["howDidYouHearAboutUs"] == "LinkedIn" and made["applicationDocuments"] == ["cv.pdf"]
    assert result.created["candidate_remote_id"] == made["applicant"]["uuid"]
    assert [name for name, _ in result.records] == ["applicants", "job_applications"]
    polls = [e for e in fake.log.entries() if "/jobs/" in e.path]
    assert polls and len(_posts(fake)) == 2  # the application, then the file: each a job, each polled
    assert {"application_job_id", "file_0_job_id"} <= set(call.progress)


def test_screening_answers_go_into_the_remark_with_a_warning(fake: FakeState) -> None:
    call = _create_call(fake)
    call.answers = [ResolvedAnswer({"remote_id": "q1", "title": "Notice period"}, "TEXT", "3 months")]
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert fake.applications[result.created["application_remote_id"]]["remark"] == "Notice period: 3 months"
    assert result.warnings == ["HRworks has no screening questions: the answers were written into the remark"]


def test_a_lost_post_answer_is_reconciled_by_listing_not_by_posting_again(fake: FakeState) -> None:
    """Stall between POST and poll: the POST committed but its answer (the job id) never arrived. The job ran on
    HR WORKS' side anyway; the retry under the same Idempotency-Key finds the application by e-mail on the post."""
    first = _create_call(fake, email="stall@mail.example")
    done = run(fake, lambda s: CONNECTOR.actions["create_application"](s, first))
    rid = done.created["application_remote_id"]
    retry = _create_call(fake, email="stall@mail.example")
    started = int(time.time() * 1000) - 5_000  # the first try began a moment before the POST
    retry.progress = {"application_create_started": {"email": "stall@mail.example", "since_ms": started}}
    before = len(_posts(fake))
    again = run(fake, lambda s: CONNECTOR.actions["create_application"](s, retry))
    assert again.created["application_remote_id"] == rid and len(_posts(fake)) == before
    assert sum(a["applicant"]["email"] == "stall@mail.example" for a in fake.applications.values()) == 1
    # an application of the same person made before this call began is not adopted: the retry creates
    older = _create_call(fake, email="stall@mail.example")
    older.progress = {"application_create_started": {"email": "stall@mail.example", "since_ms": started + 600_000}}
    fresh = run(fake, lambda s: CONNECTOR.actions["create_application"](s, older))
    assert fresh.created["application_remote_id"] != rid and len(_posts(fake)) == before + 1


def test_a_job_still_pending_is_asked_again_on_retry(fake: FakeState, monkeypatch: pytest.MonkeyPatch) -> None:
    """The POST answered its job id, but the job outlived every poll: the call fails retryably; the retry asks
    the saved job (no second POST) and adopts what it made."""
    monkeypatch.setattr(hw_actions, "JOB", dataclasses.replace(hw_actions.JOB, delays=(0.01, 0.01)))
    fake.job_delay = 60.0
    call = _create_call(fake, email="slow@mail.example")
    with pytest.raises(RemoteError) as pending:
        run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert pending.value.retryable and "still pending" in pending.value.message
    assert "application_job_id" in call.progress and "application_remote_id" not in call.progress
    for job in fake.jobs.values():  # HR WORKS' worker catches up
        job.due = time.monotonic()
    posts = len(_posts(fake))
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert len(_posts(fake)) == posts
    assert fake.applications[result.created["application_remote_id"]]["applicant"]["email"] == "slow@mail.example"


def test_a_job_that_finished_with_errors_is_refused_and_drops_the_intent(fake: FakeState) -> None:
    closed = next(p for p, post in fake.posts.items() if not post["isActive"])
    call = _create_call(fake)
    call.job_remote_id = closed
    with pytest.raises(RemoteError) as refused:
        run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert refused.value.code == "REMOTE.INPUT_INVALID" and "not active" in refused.value.message
    assert not refused.value.retryable and "application_create_started" not in call.progress


def test_attachment_upload_is_a_job_too(fake: FakeState) -> None:
    app = next(iter(fake.applications.values()))
    call = WriteCall("add_application_attachment", "i", bodies.AttachmentBody.model_construct(),
                     application={"remote_id": app["id"]}, job={"remote_id": app["postUuid"]},
                     files=[FileData("zeugnis.pdf", "OTHER", "application/pdf", b"%PDF")])  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["add_application_attachment"](s, call))
    assert result.created == {"attachment_remote_id": f"{app['id']}:zeugnis.pdf"}
    assert app["applicationDocuments"][-1] == "zeugnis.pdf"
    upload = next(e for e in fake.log.entries() if e.method == "POST")
    assert "fileName=zeugnis.pdf" in upload.query and "contentType=application%2Fpdf" in upload.query


def test_the_finished_job_has_the_documented_shape(fake: FakeState) -> None:
    client = TestClient(create_app(state=fake))
    headers = {"Authorization": "Bearer hrworks-demo-session"}
    body = {"jobApplications": [{"postId": _post(fake), "firstName": "A", "lastName": "B", "email": "a@b.example"}]}
    job_id = client.post(f"{AM}/job-applications", json=body, headers=headers).json()["jobId"]
    assert client.get(f"{AM}/job-applications/jobs/{job_id}", headers=headers).json() == {"status": "pending"}
    time.sleep(fake.job_delay + 0.05)
    finished = client.get(f"{AM}/job-applications/jobs/{job_id}", headers=headers).json()
    assert differences(shape_of(load("job_finished.sdk-model.json")), finished) == []
    unknown = client.get(f"{AM}/job-applications/jobs/nope", headers=headers)
    assert unknown.status_code == 400 and unknown.json()["type"] == "invalidJobId"

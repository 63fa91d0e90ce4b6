"""Onlyfy: golden mapper tests on the documented shapes (no traffic was recorded: the records below are the shapes
the known clients read and send, see the connector's ``mappers``), then the vendor's own quirks: outcomes from the
customer's status names, the create body the known client sends (one ``POST /candidate`` with the CV as base64),
``POST /application`` for a known e-mail, recruiter files, tags by id list, import by application id. The shared
behaviour is the contract suite's."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.onlyfy import CONNECTOR
from atsbridge.connectors.onlyfy import mappers as m
from atsbridge.connectors.onlyfy.api import API
from atsbridge.connectors.onlyfy.streams import STREAMS
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.onlyfy import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads
from tests.connectors.writes_helper import Action, run_action

Raw = dict[str, Any]
CTX = MapContext("onlyfy:golden")
CANDIDATE: Raw = {
    "id": 5012, "email": "jane.doe@example.com",
    "profile": {"firstname": "Jane", "lastname": "Doe", "phone": "+43 660 000000", "gender": "f", "birthday": None,
                "street": "Ringstrasse 1", "zip_code": "1010", "city_name": "Wien", "country_of_residence": "AT",
                "nationality": "AT"},
    "candidate_tags": [{"id": 7, "name": "Talent Pool"}], "source": {"id": 60, "title": "LinkedIn"},
    "custom_fields": [], "job_applications": [{"id": 9001, "job_id": 1001}],
    "created_at": "2024-03-01T10:00:00+00:00", "updated_at": "2024-03-02T10:00:00+00:00",
}  # fmt: skip
APPLICATION: Raw = {
    "id": 9001, "candidate_id": 5012, "job_id": 1001, "is_finished": True, "motivational_letter": None,
    "current_job_application_status": {"id": 301, "name": "Interview", "status_set_id": 300},
    "status_logs": [{"status_id": 301, "created_at": "2024-03-02T10:00:00+00:00"}], "ratings": [],
    "recruiter_files": [], "created_at": "2024-03-01T10:00:00+00:00", "updated_at": "2024-03-02T10:00:00+00:00",
}  # fmt: skip


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def test_candidate_maps_profile_location_source_and_tags() -> None:
    (cand,) = m.map_candidate(CANDIDATE, CTX)
    assert cand.remote_id == "5012" and (cand.fields["first_name"], cand.fields["last_name"]) == ("Jane", "Doe")
    assert cand.fields["email_addresses"] == [{"email_address": "jane.doe@example.com", "type": None}]
    assert cand.fields["phone_numbers"] == [{"phone_number": "+43 660 000000", "type": None}]
    located = {k: v for k, v in cand.fields["location"].items() if v}
    assert located == {"city": "Wien", "country": "AT", "zip_code": "1010", "street_1": "Ringstrasse 1",
                       "raw": "Ringstrasse 1, 1010, Wien, AT"}  # fmt: skip
    assert cand.fields["source"] == "LinkedIn" and cand.fields["custom_fields"]["gender"] == "f"
    assert cand.fields["remote_updated_at"] == format_ts(parse_ts("2024-03-02T10:00:00Z"))
    assert cand.nested["tag_ids"] == [ref("tags", "7")]


def test_application_links_candidate_job_and_its_status_as_stage() -> None:
    (app,) = m.map_application(APPLICATION, CTX)
    assert app.remote_id == "9001" and app.fields["outcome"] == "PENDING"
    assert (app.fields["candidate_id"], app.fields["job_id"]) == (ref("candidates", "5012"), ref("jobs", "1001"))
    assert app.fields["current_stage_id"] == ref("application_stages", "301")
    assert app.fields["rejection_reason_name"] is None and app.fields["custom_fields"]["status"] == "Interview"


def test_status_sets_become_ordered_stages_without_a_job() -> None:
    raw = {
        "id": 300,
        "name": "Standard",
        "statuses": [
            {"id": 302, "name": "Offer", "position": 2},
            {"id": 301, "name": "New", "position": 0},
            {"name": "no id"},
        ],
    }
    stages = list(m.map_status_set(raw, CTX))
    assert [(s.remote_id, s.fields["name"], s.fields["index"]) for s in stages] == [
        ("301", "New", 0),
        ("302", "Offer", 1),
    ]
    assert stages[0].fields["job_id"] is None and stages[0].fields["custom_fields"]["status_set_id"] == 300


def test_job_and_user() -> None:
    job_raw = FakeState.generate(3, 10, rate=None).jobs
    (job,) = m.map_job(next(iter(job_raw.values())), CTX)
    assert (job.fields["name"], job.fields["job_code"], job.fields["status"]) == ("Job 0", "J0000", "OPEN")
    assert job.fields["department"] == "IT" and job.fields["location"]["country"] == "AT"
    assert job.fields["visibility"] == "PUBLIC" and job.fields["description"].startswith("<p>")
    user = {"id": 3, "email": "a@b.example", "firstname": "Ann", "lastname": "Lee", "is_active": False,
            "access_group": {"id": 10, "name": "Administrator"}}  # fmt: skip
    (got,) = m.map_user(user, CTX)
    assert got.fields == {"first_name": "Ann", "last_name": "Lee", "email": "a@b.example", "status": "INACTIVE"}
    assert got.nested["system_roles"][0]["remote_label"] == "Administrator"


def _status(name: str, sid: int = 305) -> Raw:
    return {**APPLICATION, "current_job_application_status": {"id": sid, "name": name, "status_set_id": 300}}


def test_outcome_is_the_customers_status_name_and_the_status_map_wins() -> None:
    assert m.outcome(_status("Eingestellt")) == "HIRED"
    (declined,) = m.map_application(_status("Abgesagt"), CTX)
    assert (declined.fields["outcome"], declined.fields["rejection_reason_name"]) == ("DECLINED", "Abgesagt")
    assert m.outcome(_status("Absage durch Kandidat", 306)) == "PENDING"  # a name only the customer knows
    mapped = MapContext("onlyfy:golden", status_map={"absage durch kandidat": "DECLINED", "305": "HIRED"})
    assert m.outcome(_status("Absage durch Kandidat", 306), mapped) == "DECLINED"
    assert m.outcome(_status("Vertrag", 305), mapped) == "HIRED"  # by the status id too


# ------------------------------------------------------------------------------------------------ writes


def run(fake: FakeState, action: Action) -> WriteResult:
    info = IntegrationInfo("i", "onlyfy", {"base_url": "http://fake/v1"}, {"api_key": "onlyfy_key"})
    return run_action(API, STREAMS, create_app(state=fake), info, action)


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(3, 20, rate=None)


def _job(fake: FakeState) -> int:
    return next(j for j, job in fake.jobs.items() if job["status"] == "active")


def _create(fake: FakeState, email: str, files: list[FileData], **extra: Any) -> WriteCall[Any]:
    person = bodies.NewCandidate(first_name="Jana", last_name="Novak", email_address=email, phone_number="+43 1",
                                 location=bodies.CandidateLocation(country="AT", city="Graz"))  # fmt: skip
    body = bodies.CreateApplication(candidate=person)
    return WriteCall("create_application", "i", body, job_remote_id=str(_job(fake)), files=files, **extra)


def _posts(fake: FakeState) -> list[Raw]:
    return [{"method": e.method, "path": e.path, "body": e.body} for e in fake.log.writes()]


def test_create_sends_the_known_clients_body_with_the_cv_inline(fake: FakeState) -> None:
    files = [FileData("cv.pdf", "CV", "application/pdf", b"%PDF-cv"),
             FileData("letter.pdf", "COVER_LETTER", "application/pdf", b"%PDF-letter")]  # fmt: skip
    call = _create(fake, "jana@mail.example", files, stage={"remote_id": "1"})
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    posts = _posts(fake)
    assert [(e["method"], e["path"]) for e in posts][:1] == [("POST", "/v1/candidate")]
    sent = json.loads(posts[0]["body"])
    known = json.loads((payloads("onlyfy") / "create_candidate.request.conn.json").read_text())
    assert set(sent) <= set(known) and set(sent["profile"]) <= set(known["profile"])  # no invented keys
    assert set(sent["cv_file"]) == set(known["cv_file"]) and sent["job_id"] == _job(fake)  # an integer id
    cand = fake.candidates[int(result.created["candidate_remote_id"])]
    app = fake.applications[int(result.created["application_remote_id"])]
    assert cand["cv_file"] == {"filename": "cv.pdf", "file_type": "pdf"} and app["candidate_id"] == cand["id"]
    assert [f["filename"] for f in app["recruiter_files"]] == ["letter.pdf"]  # the rest as application files
    assert result.warnings and "status" in result.warnings[0]  # a stage cannot be set
    assert [r[0] for r in result.records] == ["candidates", "applications"]


def test_a_known_email_applies_through_post_application_and_only_once(fake: FakeState) -> None:
    known = next(iter(fake.candidates.values()))
    taken = {a["job_id"] for a in fake.applications.values() if a["candidate_id"] == known["id"]}
    job = next(j for j, job in fake.jobs.items() if job["status"] == "active" and j not in taken)
    call = _create(fake, known["email"].upper(), [])
    call.job_remote_id = str(job)
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert result.created["candidate_remote_id"] == str(known["id"])
    assert [(e["method"], e["path"]) for e in _posts(fake)] == [("POST", "/v1/application")]
    again = _create(fake, known["email"], [])
    again.job_remote_id = str(job)
    with pytest.raises(AlreadyApplied):
        run(fake, lambda s: CONNECTOR.actions["create_application"](s, again))
    assert len(_posts(fake)) == 1


def test_a_retry_after_a_lost_answer_adopts_the_candidate_instead_of_posting(fake: FakeState) -> None:
    call = _create(fake, "lost@mail.example", [])
    first = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    retry = _create(fake, "lost@mail.example", [], progress={"candidate_create_started": "lost@mail.example"})
    posts = len(_posts(fake))
    again = run(fake, lambda s: CONNECTOR.actions["create_application"](s, retry))
    assert again.created == first.created and len(_posts(fake)) == posts


def test_attachment_goes_into_recruiter_files_as_base64(fake: FakeState) -> None:
    app = next(iter(fake.applications.values()))
    body = bodies.AttachmentBody(
        attachment=bodies.Upload(name="notes.txt", type="OTHER", content_type="text/plain", data="aGk=")
    )
    call = WriteCall("add_application_attachment", "i", body, application={"remote_id": str(app["id"])},
                     files=[FileData("notes.txt", "OTHER", "text/plain", b"hi")])  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["add_application_attachment"](s, call))
    sent = json.loads(_posts(fake)[0]["body"])["recruiter_files"][0]
    assert base64.b64decode(sent["base64_content"]) == b"hi" and sent["file_type"] == "txt"
    assert app["recruiter_files"][-1]["filename"] == "notes.txt" and result.records[0][0] == "applications"


def test_tags_are_sent_as_the_full_id_list_and_unknown_names_refused(fake: FakeState) -> None:
    cand = next(c for c in fake.candidates.values() if not c["candidate_tags"])
    target = {"remote_id": str(cand["id"])}

    def tag(action: str, name: str) -> WriteResult:
        call = WriteCall(action, "i", bodies.TagBody(tag=bodies.TagName(name=name)), candidate=target)
        return run(fake, lambda s: CONNECTOR.actions[action](s, call))

    tag("add_candidate_tag", "senior ")
    tag("add_candidate_tag", "Referral")
    assert [t["name"] for t in cand["candidate_tags"]] == ["Senior", "Referral"]
    assert tag("remove_candidate_tag", "SENIOR").warnings == []
    assert [t["name"] for t in cand["candidate_tags"]] == ["Referral"]
    assert tag("remove_candidate_tag", "Senior").warnings == [kit.missing_tag_warning("Senior")]
    with pytest.raises(RemoteError) as refused:
        tag("add_candidate_tag", "No such tag")
    assert "No such tag" in refused.value.message


def test_import_tracked_reads_the_application_and_its_candidate(fake: FakeState) -> None:
    app = next(iter(fake.applications.values()))
    body = bodies.ImportTracked(tracked_at=None, onlyfy=bodies.GreenhouseId(application_id=str(app["id"])))
    call = WriteCall("import_tracked_application", "i", body)
    result = run(fake, lambda s: CONNECTOR.actions["import_tracked_application"](s, call))
    assert result.created == {"application_remote_id": str(app["id"]), "candidate_remote_id": str(app["candidate_id"])}
    bad = WriteCall(
        "import_tracked_application", "i", bodies.ImportTracked(tracked_at=None, application_remote_id="x/1")
    )
    with pytest.raises(RemoteError):
        run(fake, lambda s: CONNECTOR.actions["import_tracked_application"](s, bad))


def test_the_fake_refuses_with_onlyfys_body_and_the_apikey_header(fake: FakeState) -> None:
    client = TestClient(create_app(state=fake))
    refused = client.get("/v1/job", headers={"Authorization": "Bearer onlyfy_key"})
    assert refused.status_code == 401 and refused.json()["code"] == 401
    page = client.get("/v1/candidate", params={"page": 2, "page_size": 5}, headers={"apikey": "onlyfy_key"})
    assert page.status_code == 200 and len(page.json()["data"]) == 5

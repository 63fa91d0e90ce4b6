"""Sage HR: golden mapper tests on the documented shapes (no payload was recorded), the outcome rule (hired and
disqualified dates first, then the customer's stage titles), stages seen on applicants, and the one write
(create applicant: JSON, or multipart with one file; created once after a stall; closed positions refused)."""

from __future__ import annotations

import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.actions import FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.sagehr import CONNECTOR
from atsbridge.connectors.sagehr import mappers as m
from atsbridge.connectors.sagehr.api import API, fold_stage
from atsbridge.connectors.sagehr.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.fakes.sagehr import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from tests.conftest import Server
from tests.connectors.writes_helper import Action, created_after_stall, new_email, run_action
from tests.contract.harness import live

CTX = MapContext("sagehr:golden")
#: Documented shapes (the API description's list/detail models).
POSITION = {"title": "Payroll Specialist", "id": 12, "status": "completed", "visibility": "internal",
            "created_at": "2024-02-01T09:00:00Z", "internal_date": "2024-02-01", "completed_at": "2024-03-01T12:00:00Z",
            "link": None, "team": "Finance", "applicants_required": 1, "applicants_count": 3,
            "employment_type": "part_time", "location": "Leeds", "location_id": 4, "group": "UK", "group_id": 7,
            "priority": 2, "description_blocks": [{"title": "About", "content": "<p>Pay</p>"}, {"content": "<p>x</p>"}],
            "_detail": {"hiring_team": [{"id": 5, "full_name": "Ann Lee", "role": "Hiring manager"},
                                        {"id": 6, "full_name": "Bo Ray", "role": "Owner"}]}}  # fmt: skip
APPLICANT = {"summary": None, "id": 301, "full_name": "Jack Evans", "first_name": "Jack", "last_name": "Evans",
             "email": "jack@mail.example", "address": "BD23 8UL", "phone_number": "+44 20", "source": "linkedin",
             "created_at": "2024-02-03T10:00:00Z", "disqualified_date": None, "hired_date": None,
             "stage": {"title": "Interview", "id": 77, "created_at": "2024-02-05T10:00:00Z"},
             "_position": {"id": 12, "title": "Payroll Specialist"}}  # fmt: skip


def test_documented_shapes_map() -> None:
    (job,) = m.map_position(POSITION, CTX)
    assert (job.fields["status"], job.fields["visibility"], job.fields["employment_type"]) == ("CLOSED", "INTERNAL",
                                                                                              "PART_TIME")  # fmt: skip
    assert job.fields["description"] == "<h3>About</h3><p>Pay</p><p>x</p>" and job.fields["department"] == "Finance"
    assert job.fields["closed_at"] == "2024-03-01T12:00:00.000Z" and job.fields["location"]["raw"] == "Leeds"
    team = job.nested["hiring_team"]
    assert [(t["user_id"], t["hiring_team_roles"]) for t in team] == [(CTX.ref("users", 5), ["HIRING_MANAGER"]),
                                                                      (CTX.ref("users", 6), [])]  # fmt: skip
    cand, app = m.map_applicant(APPLICANT, CTX)
    assert cand.remote_id == app.remote_id == "301" and cand.fields["source"] == "linkedin"
    assert cand.fields["location"]["raw"] == "BD23 8UL"
    assert app.fields["job_id"] == CTX.ref("jobs", 12) and app.fields["candidate_id"] == CTX.ref("candidates", 301)
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "12:77")
    # the detail names its position itself; a list row only through the fan-out's parent
    (_, detail) = m.map_applicant({**APPLICANT, "_position": None, "position_id": 40}, CTX)
    assert detail.fields["job_id"] == CTX.ref("jobs", 40)
    (anon, _) = m.map_applicant({**APPLICANT, "first_name": None, "last_name": None, "full_name": "Mary Ann Lee"}, CTX)
    assert (anon.fields["first_name"], anon.fields["last_name"]) == ("Mary", "Ann Lee")


def test_stages_are_the_ones_applicants_sit_in_keyed_by_position() -> None:
    table: dict[str, dict[str, object]] = {}
    for row in (
        APPLICANT,
        {**APPLICANT, "id": 302},
        {**APPLICANT, "_position": {"id": 13}},
        {**APPLICANT, "stage": None},
    ):
        fold_stage(table, dict(row))
    assert sorted(table) == ["12:77", "13:77"]
    (stage,) = m.map_stage(table["13:77"], CTX)
    assert stage.remote_id == "13:77" and stage.fields["name"] == "Interview"
    assert stage.fields["job_id"] == CTX.ref("jobs", 13)


def test_dates_decide_then_the_customers_stage_titles() -> None:
    def outcome(ctx: MapContext, **changes: object) -> str:
        (_, app) = m.map_applicant({**APPLICANT, **changes}, ctx)
        return str(app.fields["outcome"])

    assert outcome(CTX) == "PENDING"
    assert outcome(CTX, hired_date="2024-03-01") == "HIRED"
    assert outcome(CTX, disqualified_date="2024-03-01") == "DECLINED"
    custom = MapContext("sagehr:golden", status_map={"offer accepted": "HIRED"})
    offer = {"title": "Offer accepted", "id": 78}
    assert outcome(custom, stage=offer) == "HIRED" and outcome(CTX, stage=offer) == "PENDING"
    (_, app) = m.map_applicant({**APPLICANT, "disqualified_date": "2024-03-02"}, CTX)
    assert app.fields["rejected_at"] == "2024-03-02T00:00:00.000Z"


def run(fake: FakeState, action: Action) -> WriteResult:
    info = IntegrationInfo("i", "sagehr", {"base_url": "http://fake/api", "subdomain": "acme"},
                           {"api_key": "sagehr_key"})  # fmt: skip
    return run_action(API, STREAMS, create_app(state=fake), info, action)


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(3, 20, rate=None)


def _open(fake: FakeState) -> str:
    return next(p for p, pos in fake.positions.items() if pos["status"] not in ("completed", "cancelled"))


def test_create_sends_multipart_with_one_file_and_warns_for_the_rest(fake: FakeState) -> None:
    position = _open(fake)
    person = bodies.NewCandidate(first_name="Noor", last_name="Khan", email_address="noor@mail.example",
                                 phone_number="+44 1")  # fmt: skip
    body = bodies.CreateApplication(candidate=person, source=bodies.Source(name="careers-site"))
    files = [FileData("letter.pdf", "COVER_LETTER", "application/pdf", b"%PDF"),
             FileData("cv.pdf", "CV", "application/pdf", b"%PDF")]  # fmt: skip
    call = WriteCall("create_application", "i", body, job_remote_id=position, files=files,
                     stage={"remote_id": "x"})  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    made = fake.applicants[result.created["application_remote_id"]]
    assert result.created["candidate_remote_id"] == str(made["id"]) and made["_position"] == position
    assert (made["first_name"], made["phone_number"], made["source"], made["_attachment"]) == (
        "Noor", "+44 1", "careers-site", "cv.pdf")  # fmt: skip
    assert result.warnings == ["Sage HR takes one file per applicant: letter.pdf was not sent",
                               "Sage HR's API cannot place an applicant in a stage: it starts in the position's "
                               "first stage"]  # fmt: skip
    (stream, raw) = result.records[0]
    assert stream == "applicants" and raw["position_id"] == int(position)


def test_a_closed_position_is_refused_before_anything_is_sent(fake: FakeState) -> None:
    closed = fake.add_position("Closed role", "completed")
    person = bodies.NewCandidate(first_name="A", last_name="B", email_address="ab@mail.example")
    call = WriteCall("create_application", "i", bodies.CreateApplication(candidate=person),
                     job={"remote_id": str(closed["id"]), "status": "CLOSED"})  # fmt: skip
    with pytest.raises(JobClosed):
        run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    assert not [a for a in fake.applicants.values() if a["email"] == "ab@mail.example"]


def test_apply_is_created_once_after_a_stall(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("sagehr", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = [j for j in k.ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN"]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        again = created_after_stall(v, jobs[0].id, cand)
        mine = [a for a in fake.applicants.values() if a["email"] == email]
        assert [str(a["id"]) for a in mine] == [again.remote_id] and mine[0]["source"] == "api"
        with pytest.raises(KomboAtsError) as info:
            k.ats.add_application_note(application_id=again.id, content="x", content_type="PLAIN_TEXT")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"

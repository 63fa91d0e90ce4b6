"""BambooHR connector: golden mapper tests on the recorded payloads (unchanged), then syncs against the stateful
fake served on a real port, on SQLite and PostgreSQL. Writes are in ``test_bamboohr_writes.py``.

The helpers at the top (``run``, ``rows``, ``live``, ``retire``, ``changed_rows``) are shared with the other
connector tests of this family.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.connectors.bamboohr import CONNECTOR, STOP_AFTER_UNCHANGED
from atsbridge.connectors.bamboohr import mappers as m
from atsbridge.connectors.bamboohr.api import DETAIL_CONCURRENCY
from atsbridge.connectors.base import MapContext, Mapper
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.bamboohr import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import MODEL_TABLES, integrations
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("bamboohr")
CTX = MapContext("bamboohr:golden")


# ------------------------------------------------------------------------------------------ shared helpers
def run(engine: Engine, settings: Settings, iid: str, *, full: bool) -> SyncResult:
    return asyncio.run(SyncEngine(engine, settings).run(iid, full=full))


def rows(engine: Engine, iid: str, model: str) -> dict[str, Any]:
    table = MODEL_TABLES[model]
    with engine.connect() as conn:
        found = conn.execute(select(table).where(table.c.integration_id == iid)).all()
    return {r.remote_id: r for r in found}


def live(engine: Engine, iid: str, model: str) -> dict[str, Raw]:
    return {k: orjson.loads(r.data) for k, r in rows(engine, iid, model).items() if r.remote_deleted_at is None}


def retire(engine: Engine, iid: str) -> None:
    """Disable a test integration once its fake is gone, so a scheduler in a later test never syncs it."""
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


def changed_rows(before: dict[str, dict[str, Any]], engine: Engine, iid: str) -> dict[str, set[str]]:
    """Per model, the remote ids whose ``changed_at`` or deletion moved since ``before`` (plus new ones)."""
    out: dict[str, set[str]] = {}
    for model, old in before.items():
        new = rows(engine, iid, model)
        moved = {
            rid
            for rid, row in new.items()
            if rid not in old
            or (row.changed_at, row.remote_deleted_at) != (old[rid].changed_at, old[rid].remote_deleted_at)
        }
        if moved:
            out[model] = moved
    return out


def snapshot(engine: Engine, iid: str, models: frozenset[str]) -> dict[str, dict[str, Any]]:
    return {model: rows(engine, iid, model) for model in models}


def deleted(engine: Engine, iid: str, model: str) -> set[str]:
    return {k for k, r in rows(engine, iid, model).items() if r.remote_deleted_at is not None}


# ------------------------------------------------------------------------------------------- golden tests
def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: object) -> str:
    return record_id(CTX.integration_id, model, str(remote_id))


CODES = {str(s["id"]): s["code"] for s in load("statuses.json")}


def with_code(app: Raw, code: str | None = None) -> Raw:
    """What the source attaches: the status code of the application's status id (from ``/statuses``)."""
    return {**app, "_status_code": code or CODES.get(str(app["status"]["id"]))}


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


def test_listing_rows_map_to_candidates_and_applications() -> None:
    records = [r for a in load("applications.json")["applications"] for r in mapped(m.map_application, with_code(a))]
    cands = {r.remote_id: r for r in records if r.model == "candidates"}
    apps = {r.remote_id: r for r in records if r.model == "applications"}
    assert len(cands) == 18 and len(apps) == 18
    garcia = cands["114"]
    assert (garcia.fields["first_name"], garcia.fields["last_name"], garcia.fields["source"]) == (
        "James", "Garcia", "ZipRecruiter",
    )  # fmt: skip
    assert garcia.fields["email_addresses"] == [{"email_address": "jamesgarcia@efficientoffice.com", "type": None}]
    assert garcia.fields["remote_created_at"] == "2025-11-20T17:53:57.000Z"
    app = apps["58"]
    assert app.fields["candidate_id"] == garcia.id and app.fields["job_id"] == ref("jobs", 19)
    assert app.fields["current_stage_id"] == ref("application_stages", 1) and app.fields["outcome"] == "PENDING"
    assert app.fields["custom_fields"]["rating"] is None and apps["23"].fields["custom_fields"]["rating"] == 5
    # status 20 ("Made an Offer") is not in the recorded 2019 status table: unknown codes stay PENDING
    assert apps["23"].fields["outcome"] == "PENDING"
    assert apps["23"].fields["current_stage_id"] == ref("application_stages", 20)
    page2 = load("applications.sorted-last_updated.page2.json")
    assert page2["paginationComplete"] is True and page2["applications"] == [] and page2["nextPageUrl"] is None


def test_application_detail_maps_contact_details_and_answers() -> None:
    cand, app = mapped(m.map_application, with_code(load("application.2.json")))
    assert cand.remote_id == "95" and app.remote_id == "33"
    assert cand.fields["phone_numbers"] == [{"phone_number": "+44 20 5555 2023", "type": None}]
    assert cand.fields["location"] == {
        "street_1": "33 Bothwell St", "street_2": None, "city": None, "state": "Glasgow City", "zip_code": "G2 6AU",
        "country": "United Kingdom", "raw": None,
    }  # fmt: skip
    assert cand.fields["social_media"] == [
        {"type": "linkedin", "link": "http://www.linkedin.com", "username": None},
        {"type": "website", "link": "http://www.blogger.com", "username": None},
    ]
    assert cand.fields["custom_fields"] == {"availableStartDate": "2019-02-15"}
    assert app.fields["current_stage_id"] == ref("application_stages", 5) and app.fields["outcome"] == "PENDING"
    assert app.fields["remote_updated_at"] == "2019-02-11T19:25:03.000Z"
    answers = app.fields["screening_question_answers"]
    assert [a["question"]["remote_id"] for a in answers] == ["36", "37", "41"]
    assert answers[1]["question"]["title"] == "How did you hear about this position?"
    assert answers[1]["answer"] == {"content": "My friend told me to apply to this position."}
    assert app.fields["custom_fields"]["desiredSalary"] == "₤85,000"
    recent_cand, recent = mapped(m.map_application, with_code(load("application.json")))
    assert recent_cand.remote_id == "118" and recent.fields["job_id"] == ref("jobs", 22)
    assert recent.fields["screening_question_answers"] == [] and recent_cand.fields["location"] is None


def test_outcome_keys_on_the_status_code() -> None:
    app = load("application.2.json")
    assert m.outcome(with_code(app, "HIRED")) == ("HIRED", None, None)
    assert m.outcome(with_code(app, "NOQUAL")) == ("DECLINED", "Schedule Interview", "2019-02-11T19:25:03+00:00")
    assert m.outcome(with_code(app, "MOVED"))[0] == "DECLINED"
    (_, declined) = mapped(m.map_application, with_code(app, "NOFIT"))
    assert declined.fields["rejected_at"] == "2019-02-11T19:25:03.000Z"
    # an integration's status map names a (customer-named) status and wins over the code
    custom = MapContext(CTX.integration_id, status_map={"schedule interview": "HIRED"})
    assert m.outcome(with_code(app, "NOQUAL"), custom) == ("HIRED", None, None)


def test_jobs_map_with_status_location_and_hiring_lead() -> None:
    employees = {str(u["employeeId"]): u["id"] for u in load("users.json").values()}
    jobs = {}
    for raw in load("jobs.json"):
        lead = employees.get(str(raw["hiringLead"]["employeeId"]))
        jobs[raw["id"]] = mapped(m.map_job, {**raw, "_hiring_lead_user_id": lead})[0]
    assert [jobs[i].fields["status"] for i in (22, 18, 17, 14)] == ["OPEN", "DRAFT", "CLOSED", "CLOSED"]
    analyst = jobs[22]
    assert analyst.fields["name"] == "Financial Analyst" and analyst.fields["department"] == "Finance"
    assert analyst.fields["location"]["street_1"] is None  # BambooHR pads the empty line with a blank
    assert analyst.fields["location"]["city"] == "Salt Lake City" and analyst.fields["location"]["raw"] == (
        "Salt Lake City, Utah"
    )
    assert analyst.fields["post_url"] == "https://nagoinc.bamboohr.com/jobs/view.php?id=22"
    assert analyst.fields["remote_created_at"] == "2026-04-22T20:21:18.000Z"
    assert analyst.nested is not None
    assert analyst.nested["hiring_team"] == [
        {
            "user_id": ref("users", 2453),
            "hiring_team_roles": ["HIRING_MANAGER"],
            "job_roles": [{**m.HIRING_LEAD, "scope": "JOB"}],
        }
    ]
    assert analyst.nested["job_postings"][0]["status"] == "ACTIVE"
    older = [mapped(m.map_job, j)[0] for j in load("jobs.2.json")]  # no hiring lead, no address
    assert len(older) == 5 and older[0].fields["location"]["raw"] == "Sydney, New South Wales"
    assert older[0].fields["location"]["city"] is None
    assert older[0].nested is not None and older[0].nested["hiring_team"] == []


def test_statuses_are_stages_and_rejecting_ones_are_reasons() -> None:
    records = [r for i, s in enumerate(load("statuses.json")) for r in mapped(m.map_status, {**s, "_index": i})]
    stages = [r for r in records if r.model == "application_stages"]
    reasons = [r for r in records if r.model == "rejection_reasons"]
    assert len(stages) == 19 and [s.fields["index"] for s in stages] == list(range(19))
    assert all(s.fields["job_id"] is None for s in stages)
    assert stages[8].fields["name"] == "Made an Offer" and stages[8].fields["status"] == "INACTIVE"
    assert [r.fields["name"] for r in reasons] == [
        "Not a Fit", "Declined Offer", "Not Qualified", "Over Qualified", "Hired Elsewhere",
    ]  # fmt: skip
    assert reasons[0].remote_id == "10" and reasons[0].id == ref("rejection_reasons", 10)


def test_users_map() -> None:
    users = [r for u in load("users.json").values() for r in mapped(m.map_user, u)]
    assert len(users) == 92 and {u.fields["status"] for u in users} == {"ACTIVE"}
    assert users[0].remote_id == "2370" and users[0].fields["email"] == "dwight@efficientoffice.com"


# ------------------------------------------------------------------------------------- against the fake
@dataclass
class Bamboo:
    fake: FakeState
    integration_id: str
    url: str


def integration(engine: Engine, settings: Settings, environment: str, api_key: str, url: str, **config: Any) -> str:
    config = {"company_domain": "acme", "base_url": f"{url}/api/gateway.php/acme/v1", **config}
    return create_integration(
        engine, settings, environment, "bamboohr", "Org", config=config, credentials={"api_key": api_key}
    )


@contextmanager
def serving(engine: Engine, settings: Settings, environment: str, app: Any, **config: Any) -> Iterator[Bamboo]:
    with serve_asgi(app) as url:
        config = {"sync_all_applications": True, "requests_per_second": 5000, **config}
        iid = integration(engine, settings, environment, "bamboo_key", url, **config)
        try:
            yield Bamboo(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


@pytest.fixture
def bamboo(engine: Engine, settings: Settings, environment: str) -> Iterator[Bamboo]:
    with serving(engine, settings, environment, create_app(seed=3, records=30, rate_limit=None)) as served:
        yield served


def expected_counts(fake: FakeState) -> dict[str, int]:
    applicants = {a["applicant"]["id"] for a in fake.applications.values()}
    return {
        "users": len(fake.users), "roles": 1, "application_stages": len(fake.statuses), "rejection_reasons": 5,
        "jobs": sum(1 for j in fake.jobs.values() if j["status"]["label"] != "Deleted"),
        "candidates": len(applicants), "applications": len(fake.applications),
    }  # fmt: skip


def assert_matches_fake(engine: Engine, served: Bamboo) -> None:
    iid, fake = served.integration_id, served.fake
    assert {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models} == expected_counts(fake)
    apps, cands, jobs = (live(engine, iid, x) for x in ("applications", "candidates", "jobs"))
    for app in list(fake.applications.values())[:8]:
        unified = apps[str(app["id"])]
        assert unified["job_id"] == record_id(iid, "jobs", str(app["job"]["id"]))
        assert unified["current_stage_id"] == record_id(iid, "application_stages", str(app["status"]["id"]))
        code = fake.code_of(app)
        assert unified["outcome"] == ("HIRED" if code == "HIRED" else "DECLINED" if code in m.DECLINED_CODES
                                      else "PENDING")  # fmt: skip
        assert unified["remote_updated_at"] == format_ts(parse_ts(app["status"]["dateChanged"]))
        assert len(unified["screening_question_answers"]) == len(app["questionsAndAnswers"])
        cand = cands[str(app["applicant"]["id"])]
        assert cand["first_name"] == app["applicant"]["firstName"]
        assert cand["email_addresses"][0]["email_address"] == app["applicant"]["email"]
    for job in fake.jobs.values():
        if job["status"]["label"] != "Deleted":
            assert jobs[str(job["id"])]["name"] == job["title"]["label"]


def test_full_sync_equals_the_fake(engine: Engine, settings: Settings, bamboo: Bamboo) -> None:
    bamboo.fake.page_size = 7  # several pages of applications
    result = run(engine, settings, bamboo.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.mapping_errors == []
    assert_matches_fake(engine, bamboo)
    job = next(j for j in bamboo.fake.jobs.values() if j["status"]["label"] == "Open")
    stored = orjson.loads(rows(engine, bamboo.integration_id, "jobs")[str(job["id"])].nested)
    lead = next(u for u in bamboo.fake.users.values() if u["employeeId"] == job["hiringLead"]["employeeId"])
    assert stored["hiring_team"][0]["user_id"] == record_id(bamboo.integration_id, "users", str(lead["id"]))


def _pending(fake: FakeState, count: int) -> list[int]:
    return [a["id"] for a in fake.applications.values() if fake.code_of(a) in ("NEW", "REVIEWED")][:count]


def test_delta_sync_changes_exactly_the_mutated_records(engine: Engine, settings: Settings, bamboo: Bamboo) -> None:
    fake, iid = bamboo.fake, bamboo.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    models = CONNECTOR.capabilities.models
    before = snapshot(engine, iid, models)
    edited, moved, hired, rejected, removed = _pending(fake, 5)
    applicant = {a: str(fake.applications[a]["applicant"]["id"]) for a in (edited, moved, hired, rejected, removed)}
    fake.move(moved, "SCHEDINT")
    fake.edit_applicant(edited, phoneNumber="+1 801 555 0000")  # moves last_updated only, after the move
    fake.hire(hired)
    fake.reject(rejected, "NOQUAL")
    fake.delete_application(removed)
    job = next(j for j in fake.jobs.values() if j["status"]["label"] == "Open")
    new_id = fake.create_application(
        {"firstName": "Nina", "lastName": "New", "jobId": str(job["id"]), "email": "nina@new.example"}, {}
    )
    fake.edit_job(job["id"], title={"id": None, "label": "Renamed Opening"})
    fake.log.clear()

    result = run(engine, settings, iid, full=False)
    assert result.status == "SUCCEEDED" and result.type == "DELTA", result.error
    new_applicant = str(fake.applications[new_id]["applicant"]["id"])
    expected = {
        "applications": {str(a) for a in (moved, hired, rejected)} | {str(new_id)},
        "candidates": {applicant[edited], new_applicant},
        "jobs": {str(job["id"])},
    }
    assert changed_rows(before, engine, iid) == expected
    assert deleted(engine, iid, "applications") == set()  # no deletion feed: deletions wait for a full sync
    apps = live(engine, iid, "applications")
    assert apps[str(hired)]["outcome"] == "HIRED"
    assert apps[str(rejected)]["outcome"] == "DECLINED" and apps[str(rejected)]["rejection_reason_name"] == (
        "Not Qualified"
    )
    assert live(engine, iid, "candidates")[applicant[edited]]["phone_numbers"][0]["phone_number"] == "+1 801 555 0000"
    details = [r for r in fake.log.lines() if "/applications/" in r]
    # the walk stopped early: the new one, the 4 changed ones, then one unchanged run (read in batches)
    assert len(details) <= 1 + 4 + STOP_AFTER_UNCHANGED + DETAIL_CONCURRENCY < len(fake.applications)

    again = run(engine, settings, iid, full=False)
    assert again.status == "SUCCEEDED" and not any(again.changed.values())
    before = snapshot(engine, iid, models)
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert changed_rows(before, engine, iid) == {"applications": {str(removed)}, "candidates": {applicant[removed]}}
    assert deleted(engine, iid, "applications") == {str(removed)}


def test_storms_bursts_and_slow_answers_still_complete(engine: Engine, settings: Settings, bamboo: Bamboo) -> None:
    fake = bamboo.fake
    fake.page_size = 10
    fake.faults.rate_limit_storm(4, path="/applications")
    fake.faults.fail_next(3, status=503)
    fake.faults.fail_next(2, status=502, path="/applications/")
    fake.faults.slow_next(2, 0.2)
    result = run(engine, settings, bamboo.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert fake.faults.spent() and result.http["retries"] >= 9
    assert_matches_fake(engine, bamboo)


def test_pacing_stays_under_the_rate_limit(engine: Engine, settings: Settings, environment: str) -> None:
    app = create_app(seed=4, records=12, rate_limit=(30, 1.0))
    with serving(engine, settings, environment, app, requests_per_second=25) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert result.http["rate_limited"] == 0 and result.http["requests"] > 12
        assert_matches_fake(engine, served)


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_the_run_cleanly(engine: Engine, settings: Settings, bamboo: Bamboo, break_it: str) -> None:
    iid, fake = bamboo.integration_id, bamboo.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    fake.page_size = 10
    if break_it == "truncate":
        fake.faults.truncate_next(1, path="/applicant_tracking/applications")
    else:
        fake.faults.fail_next(1000, status=503, path="/applications/")
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    for model in CONNECTOR.capabilities.models:  # a failed full run must not mark anything deleted
        assert deleted(engine, iid, model) == set(), model
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, bamboo)


def test_fake_speaks_bamboohr() -> None:
    """The fake's own contract: auth, JSON only on request, server-side paging, default filter, error header."""
    app = create_app(seed=5, records=12, rate_limit=None)
    fake: FakeState = app.state.fake
    fake.page_size = 5
    with serve_asgi(app) as url:
        base = f"{url}/api/gateway.php/acme/v1"
        headers = {"Accept": "application/json"}
        assert httpx.get(base + "/meta/users", headers=headers).status_code == 401
        with httpx.Client(base_url=base, auth=("bamboo_key", "x")) as client:
            assert client.get("/meta/users").headers["content-type"].startswith("text/xml")
            client.headers.update(headers)
            first = client.get("/applicant_tracking/applications", params={"per_page": 2, "applicationStatus": "ALL"})
            body = first.json()
            assert len(body["applications"]) == 5 and body["paginationComplete"] is False and body["nextPageUrl"]
            seen: list[int] = []
            for page in range(1, 5):
                got = client.get("/applicant_tracking/applications", params={"page": page, "applicationStatus": "ALL"})
                seen += [a["id"] for a in got.json()["applications"]]
            assert sorted(seen) == sorted(fake.applications)
            default = client.get("/applicant_tracking/applications", params={"page": 1}).json()["applications"]
            hired = {a["id"] for a in fake.applications.values() if fake.code_of(a) == "HIRED"}
            assert hired and not hired & {a["id"] for a in default}
            some = next(iter(fake.applications))
            bad = client.post(f"/applicant_tracking/applications/{some}/status", json={"status": 999})
            assert bad.status_code == 400 and bad.content == b"" and "999" in bad.headers["x-bamboohr-error-message"]
            assert client.get("/applicant_tracking/jobs").json()[0].keys() == load("jobs.json")[0].keys()
            assert (
                client.get(f"/applicant_tracking/applications/{some}").json().keys() == load("application.json").keys()
            )

"""Lever connector: golden mapper tests on recorded payloads (unchanged), then syncs against the stateful fake
served on a real port, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.connectors.base import IntegrationInfo, MapContext, Mapper
from atsbridge.connectors.lever import CONNECTOR
from atsbridge.connectors.lever import mappers as m
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts
from atsbridge.fakes.kit.ratelimit import TokenBucket
from atsbridge.fakes.lever import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import MODEL_TABLES, integrations, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("lever")
CTX = MapContext("lever:golden")
OPP_ID, APP_ID = "6408dc54-7015-4e5b-8d60-23afff2b1efc", "7278da68-141b-4203-b209-8ca6c0fa1f2d"


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ts(ms: int) -> str:
    return format_ts(datetime.fromtimestamp(ms / 1000, UTC))


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def with_reason(opp: Raw) -> Raw:
    """What the source does: attach the archive reason the opportunity's ``archived.reason`` names."""
    reasons = {r["id"]: r for r in load("archive_reasons.json")["data"]}
    reason = (opp.get("archived") or {}).get("reason")
    return {**opp, "_archive_reason": reasons.get(reason) if reason else None}


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


def single_opportunity() -> Raw:
    """opportunity_single with its own application (application_single) inline, as ``expand=applications``."""
    opp = load("opportunity_single.json")["data"]
    app = load("application_single.json")["data"]
    assert opp["applications"] == [app["id"]] and app["opportunityId"] == opp["id"]
    return with_reason({**opp, "applications": [app]})


def opp_context() -> Raw:
    return {"id": OPP_ID, "applications": [{"id": APP_ID, "posting": "75ff237f-c221-4c26-8b23-faf395f5ea1c"}]}


# ------------------------------------------------------------------------------------------- golden tests


def test_opportunity_pages_map_every_record() -> None:
    page, last = load("opportunities_page1.json"), load("opportunities_last_page.json")
    records = [r for o in page["data"] + last["data"] for r in mapped(m.map_opportunity, with_reason(o))]
    candidates = [r for r in records if r.model == "candidates"]
    apps = [r for r in records if r.model == "applications"]
    assert len(candidates) == 104 and len(apps) == 82  # 22 leads have no application
    first = candidates[0]
    assert first.remote_id == "90bb80d6-db1b-4ba8-9d4f-8bcb25b6c017"
    assert (first.fields["first_name"], first.fields["last_name"]) == ("Nango", "Test Candidate")
    assert first.fields["email_addresses"] == [{"type": None, "email_address": "test@nango.dev"}]
    assert first.fields["phone_numbers"] == [{"phone_number": "(555) 123-4567", "type": "mobile"}]
    assert first.fields["source"] == "LinkedIn" and first.fields["title"] == "Test Headline"
    assert first.fields["remote_created_at"] == ts(1782975358767) == "2026-07-02T06:55:58.767Z"
    assert first.fields["remote_updated_at"] == ts(1782975358805)
    assert first.nested is not None
    assert first.nested["tag_ids"][:2] == [ref("tags", "Test"), ref("tags", "Nango Seed Posting 1 - Updated")]
    outcomes = [a.fields["outcome"] for a in apps]
    assert outcomes.count("HIRED") == 8 and "PENDING" in outcomes and "DECLINED" in outcomes
    unexpanded = apps[0]  # without expand=applications only the application id is known
    assert unexpanded.remote_id == "75b839b7-4173-4473-89ec-abdd4c6f7194" and unexpanded.fields["job_id"] is None
    assert unexpanded.fields["candidate_id"] == first.id


def test_hired_and_declined_outcomes_come_from_archive_reason_types() -> None:
    by_id = {o["id"]: o for o in load("opportunities_page1.json")["data"]}
    hired = next(o for o in by_id.values() if (o["archived"] or {}).get("reason", "").startswith("0092d31b"))
    assert m.outcome(with_reason(hired), CTX) == ("HIRED", None, None)
    withdrew = next(o for o in by_id.values() if (o["archived"] or {}).get("reason", "").startswith("6039b390"))
    assert m.outcome(with_reason(withdrew), CTX) == ("DECLINED", "Withdrew", CTX.dt(withdrew["archived"]["archivedAt"]))
    pending = next(o for o in by_id.values() if o["archived"] is None)
    assert m.outcome(with_reason(pending), CTX) == ("PENDING", None, None)


def test_last_page_tolerates_null_updated_at_and_empty_contacts() -> None:
    opp = load("opportunities_last_page.json")["data"][0]
    cand, app = mapped(m.map_opportunity, with_reason(opp))
    assert cand.fields["remote_updated_at"] is None and cand.fields["email_addresses"] == []
    assert app.fields["current_stage_id"] == ref("application_stages", "c78a59b9-0f6c-42a1-8cac-c7911d3e450d")
    assert app.fields["remote_updated_at"] == ts(1439014920000)


def test_expanded_opportunity_gives_application_per_posting() -> None:
    cand, app = mapped(m.map_opportunity, single_opportunity())
    assert cand.remote_id == OPP_ID and cand.fields["source"] == "Referral" and cand.fields["location"] is None
    assert cand.nested == {"tag_ids": [ref("tags", t) for t in load("opportunity_single.json")["data"]["tags"]]}
    assert app.remote_id == APP_ID
    assert app.fields["job_id"] == ref("jobs", "75ff237f-c221-4c26-8b23-faf395f5ea1c")
    assert app.fields["candidate_id"] == cand.id
    assert app.fields["current_stage_id"] == ref("application_stages", "lead-reached-out")
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Timing")
    assert app.fields["rejected_at"] == ts(1782973996415)  # the opportunity's archivedAt
    assert app.fields["remote_created_at"] == ts(1782972986092) and app.fields["screening_question_answers"] == []
    assert app.fields["remote_url"] == f"https://hire.lever.co/candidates/{OPP_ID}"


def test_postings_map_to_jobs() -> None:
    jobs = {r.fields["name"]: r for p in load("postings.json")["data"] for r in mapped(m.map_posting, p)}
    assert len(jobs) == 6
    vp = jobs["VP of Human Resources"]
    assert (vp.fields["job_code"], vp.fields["status"], vp.fields["visibility"]) == ("9900014", "OPEN", "INTERNAL")
    assert (vp.fields["department"], vp.fields["category"], vp.fields["employment_type"]) == (
        "People", "Human Resources", "FULL_TIME",
    )  # fmt: skip
    assert "<h3>PROFESSIONAL EXPERIENCE/EDUCATION:</h3><ul>" in vp.fields["description"]
    assert vp.nested is not None
    team = {t["user_id"]: t for t in vp.nested["hiring_team"]}
    manager = team[ref("users", "6e6931c2-a7d7-4c68-9e24-d3950ae47180")]
    assert manager["hiring_team_roles"] == ["HIRING_MANAGER"] and manager["job_roles"][0]["scope"] == "JOB"
    assert team[ref("users", "89f2a882-6600-41eb-b889-87d51f08e393")]["job_roles"][0]["remote_id"] == "owner"
    salaried = jobs["testing - 1"]
    assert (salaried.fields["salary_amount_from"], salaried.fields["salary_amount_to"]) == (40000, 80000)
    assert (salaried.fields["salary_currency"], salaried.fields["salary_period"]) == ("AUD", "YEAR")
    assert salaried.fields["remote_work_status"] == "REMOTE" and salaried.fields["employment_type"] == "CONTRACT"
    closed = jobs["Marketing Events"]
    assert closed.fields["status"] == "CLOSED" and closed.nested is not None
    assert closed.nested["job_postings"][0]["status"] == "INACTIVE"
    assert jobs["Nango Seed Posting 1 - Updated"].fields["status"] == "DRAFT"
    assert jobs["Test job"].fields["employment_type"] == "INTERNSHIP"


def test_apply_form_gives_eeo_screening_questions() -> None:
    posting = {**load("posting_single.json")["data"], "_apply": load("posting_apply_questions.json")["data"]}
    (job,) = mapped(m.map_posting, posting)
    assert job.nested is not None
    questions = job.nested["screening_questions"]
    assert [q["title"] for q in questions] == ["Gender", "Race", "Veteran status"]  # personal info excluded
    gender = questions[0]
    assert gender["category"] == "EEO" and gender["required"] is False and gender["index"] == 0
    assert gender["format"]["type"] == "SINGLE_SELECT" and gender["format"]["display_type"] == "DROPDOWN"
    assert [o["remote_id"] for o in gender["format"]["options"]] == ["Female", "Male", "Decline to self-identify"]
    assert job.nested["job_postings"][0]["url"] == posting["urls"]["show"]
    assert job.fields["post_url"] == posting["urls"]["show"] and job.fields["location"]["country"] == "US"


def test_users_roles_stages_reasons_and_tags() -> None:
    users = {r.remote_id: r for u in load("users.json")["data"] for r in mapped(m.map_user, u)}
    assert len(users) == 11
    admin, interviewer = users["6e6931c2-a7d7-4c68-9e24-d3950ae47180"], users["c4bc6266-375b-4d45-9b3b-ad527ba5f3ef"]
    assert (admin.fields["first_name"], admin.fields["last_name"]) == ("Corey", "Cella")
    assert admin.fields["status"] == "ACTIVE"
    assert admin.nested == {"system_roles": [{"remote_id": "super admin", "remote_label": "Super Admin",
                                              "unified_type": "ADMIN", "scope": "SYSTEM"}]}  # fmt: skip
    assert interviewer.nested is not None and interviewer.nested["system_roles"][0]["unified_type"] == "INTERVIEWER"
    roles = [r for row in m.role_rows() for r in mapped(m.map_role, row)]
    assert {r.remote_id for r in roles} >= {"super admin", "interviewer", "owner", "hiringManager"}
    stages = load("stages.json")["data"]
    mapped_stages = [mapped(m.map_stage, {**s, "_index": i})[0] for i, s in enumerate(stages)]
    assert [s.fields["index"] for s in mapped_stages] == list(range(11))
    assert all(s.fields["job_id"] is None for s in mapped_stages)
    assert mapped_stages[9].remote_id == "offer" and mapped_stages[9].fields["name"] == "Offer"
    reasons = [r for x in load("archive_reasons.json")["data"] for r in mapped(m.map_archive_reason, x)]
    assert len(reasons) == 11 and "Hired" not in {r.fields["name"] for r in reasons}
    tags = [r for t in load("tags.json")["data"] for r in mapped(m.map_tag, t)]
    assert tags[0].remote_id == "Account Executive" and tags[0].id == ref("tags", "Account Executive")


def test_interview_resolves_its_application_by_posting() -> None:
    raw = {**load("interview_single.json")["data"], "_opportunity": opp_context()}
    (rec,) = mapped(m.map_interview, raw)
    assert rec.fields["title"] == "Nango Seed Interview 1 (updated)"
    assert rec.fields["starting_at"] == ts(1783000000000)
    assert rec.fields["ending_at"] == ts(1783000000000 + 45 * 60_000)
    assert rec.fields["application_id"] == ref("applications", APP_ID)
    assert rec.fields["stage_id"] == ref("application_stages", "lead-reached-out") and rec.fields["canceled"] is False
    assert rec.nested == {"user_ids": [ref("users", "c4bc6266-375b-4d45-9b3b-ad527ba5f3ef")]}


def test_feedback_maps_to_scorecard_responses() -> None:
    feedback = load("feedback_single.json")["data"]
    assert mapped(m.map_feedback, feedback) == []  # deletedAt is set: not a live scorecard
    (rating,) = m.scorecard_responses(feedback["fields"])
    assert rating["type"] == "SINGLE_SELECT" and rating["label"] == "Overall rating" and rating["answer"] is None
    assert [o["label"] for o in rating["options"]][0] == "4 - Strong Hire"
    types: set[str] = set()
    for template in load("feedback_templates.json")["data"]:
        raw = {"id": template["id"], "fields": template["fields"], "user": None, "_opportunity": opp_context()}
        (card,) = mapped(m.map_feedback, raw)  # validates every response against the unified model
        assert card.fields["application_id"] == ref("applications", APP_ID)
        types |= {r["type"] for r in card.fields["responses"]}
        skills = [f for f in template["fields"] if f["type"] == "scorecard"]
        if skills:
            labels = {r["label"] for r in card.fields["responses"] if r["type"] == "NUMBER"}
            assert {s["text"] for s in skills[0]["scores"]} <= labels
    assert types == {"TEXT", "SINGLE_SELECT", "MULTI_SELECT", "BOOLEAN", "NUMBER"}
    filled = m.scorecard_responses([
        {"type": "score-system", "text": "R", "options": [{"text": "3 - Hire"}], "value": 3},
        {"type": "yes-no", "text": "Again?", "value": "yes"},
        {"type": "date", "text": "Start", "value": 1783000000000},
    ])  # fmt: skip
    assert [r["answer"] for r in filled] == [{"remote_id": None, "label": "3 - Hire"}, True, "2026-07-02"]


def test_note_maps_with_author_and_html() -> None:
    (note,) = mapped(m.map_note, {**load("note_single.json")["data"], "_opportunity": opp_context()})
    assert note.fields["candidate_id"] == ref("candidates", OPP_ID)
    assert note.fields["application_id"] == ref("applications", APP_ID)
    assert note.fields["author_id"] == ref("users", "be129d9b-50da-4485-9377-0d83e981f30b")
    assert note.fields["content_html"] == "<p>Test note for get-note dryrun</p>" and note.fields["is_private"] is False
    assert note.fields["remote_created_at"] == ts(1782974413945)


# ------------------------------------------------------------------------------------- against the fake


@dataclass
class Lever:
    fake: FakeState
    integration_id: str
    url: str


def integration(engine: Engine, settings: Settings, environment: str, api_key: str, **config: Any) -> str:
    return create_integration(
        engine, settings, environment, "lever", "Org", config=config, credentials={"api_key": api_key}
    )


def retire(engine: Engine, iid: str) -> None:
    """Disable a test integration once its fake is gone, so a scheduler in a later test never syncs it."""
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@contextmanager
def serving(engine: Engine, settings: Settings, environment: str, app: Any, **config: Any) -> Iterator[Lever]:
    """The fake on a real port plus an integration pointing at it (all applications synced, not only tracked)."""
    with serve_asgi(app) as url:
        iid = integration(engine, settings, environment, "lever_key", base_url=url + "/v1", sync_all_applications=True,
                          **config)  # fmt: skip
        try:
            yield Lever(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


@pytest.fixture
def lever(engine: Engine, settings: Settings, environment: str) -> Iterator[Lever]:
    """A small tenant without the fake's rate limit, synced at a fast pace."""
    app = create_app(seed=3, records=30, rate_limit=None)
    with serving(engine, settings, environment, app, requests_per_second=5000) as served:
        yield served


def run(engine: Engine, settings: Settings, iid: str, *, full: bool) -> SyncResult:
    return asyncio.run(SyncEngine(engine, settings).run(iid, full=full))


def rows(engine: Engine, iid: str, model: str) -> dict[str, Any]:
    table = MODEL_TABLES[model]
    with engine.connect() as conn:
        found = conn.execute(select(table).where(table.c.integration_id == iid)).all()
    return {r.remote_id: r for r in found}


def live(engine: Engine, iid: str, model: str) -> dict[str, Raw]:
    return {k: orjson.loads(r.data) for k, r in rows(engine, iid, model).items() if r.remote_deleted_at is None}


def expected_counts(fake: FakeState) -> dict[str, int]:
    return {
        "users": len(fake.users), "roles": 8, "tags": len(fake.tags()), "rejection_reasons": 11,
        "application_stages": len(fake.stages), "jobs": len(fake.postings), "candidates": len(fake.opportunities),
        "applications": len(fake.live("applications")), "interviews": len(fake.live("interviews")),
        "offers": len(fake.live("offers")), "notes": len(fake.live("notes")),
        "scorecards": len(fake.live("feedback")), "attachments": len(fake.live("resumes")) + len(fake.live("files")),
    }  # fmt: skip


def assert_matches_fake(engine: Engine, lever: Lever) -> None:
    iid, fake = lever.integration_id, lever.fake
    counts = {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models}
    assert counts == expected_counts(fake)
    candidates, apps, jobs = (live(engine, iid, x) for x in ("candidates", "applications", "jobs"))
    for opp in list(fake.opportunities.values())[:5]:
        cand = candidates[opp["id"]]
        assert (cand["first_name"], cand["last_name"]) == tuple(opp["name"].split(" ", 1))
        assert [e["email_address"] for e in cand["email_addresses"]] == opp["emails"]
        assert cand["remote_updated_at"] == ts(opp["updatedAt"]) and cand["remote_url"] == opp["urls"]["show"]
        for app in fake.children("applications", opp["id"]):
            unified = apps[app["id"]]
            assert unified["job_id"] == record_id(iid, "jobs", app["posting"])
            assert unified["current_stage_id"] == record_id(iid, "application_stages", opp["stage"])
            hired = bool(opp["archived"]) and opp["archived"]["reason"] == fake.reason("hired")["id"]
            assert unified["outcome"] == ("PENDING" if not opp["archived"] else "HIRED" if hired else "DECLINED")
    for posting in fake.postings.values():
        assert jobs[posting["id"]]["name"] == posting["text"]
        assert jobs[posting["id"]]["remote_updated_at"] == ts(posting["updatedAt"])
    interview = fake.live("interviews")[0]
    assert live(engine, iid, "interviews")[interview["id"]]["starting_at"] == ts(interview["date"])
    resume = fake.live("resumes")[0]
    attachment = next(a for k, a in live(engine, iid, "attachments").items() if k.endswith(resume["id"]))
    assert attachment["file_name"] == resume["file"]["name"] and attachment["type"] == "CV"


def test_full_sync_equals_the_fake(engine: Engine, settings: Settings, lever: Lever) -> None:
    result = run(engine, settings, lever.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.mapping_errors == []
    assert_matches_fake(engine, lever)
    fake, iid = lever.fake, lever.integration_id
    jobs = rows(engine, iid, "jobs")
    for posting_id, form in fake.apply_forms.items():  # nested data: questions = custom fields + EEO
        questions = orjson.loads(jobs[posting_id].nested)["screening_questions"]
        custom = sum(len(f["fields"]) for f in form["customQuestions"])
        assert len(questions) == custom + len(form["eeoQuestions"])
    apps = live(engine, iid, "applications")
    for app in fake.live("applications"):
        answers = apps[app["id"]]["screening_question_answers"]
        assert len(answers) == sum(len(f["fields"]) for f in app["customQuestions"])


def _pending(fake: FakeState, count: int) -> list[str]:
    return [o["id"] for o in fake.opportunities.values() if not o["archived"] and o["applications"]][:count]


def test_delta_sync_changes_exactly_the_mutated_records(engine: Engine, settings: Settings, lever: Lever) -> None:
    fake, iid = lever.fake, lever.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    before = {model: rows(engine, iid, model) for model in CONNECTOR.capabilities.models}
    edited, moved, hired, rejected, deleted, noted = _pending(fake, 6)
    target = next(s["id"] for s in fake.stages if s["id"] != fake.opportunities[moved]["stage"])
    fake.edit_opportunity(edited, headline="Staff Engineer")
    fake.move_stage(moved, target)
    fake.hire(hired)
    fake.reject(rejected)
    fake.add_note(noted, "Called back")
    apps_of = {o: [a["id"] for a in fake.children("applications", o)] for o in (moved, hired, rejected, deleted)}
    fake.delete_opportunity(deleted)
    renamed, dropped = list(fake.postings)[:2]
    fake.edit_posting(renamed, text="Renamed posting")
    fake.delete_posting(dropped)
    fake.log.clear()

    # What hangs off the deleted opportunity goes with it (the feed names only the opportunity).
    gone_cand = record_id(iid, "candidates", deleted)
    gone_apps = {record_id(iid, "applications", a) for a in apps_of[deleted]}
    cascaded = {
        model: {
            rid
            for rid, rec in live(engine, iid, model).items()
            if rec.get("candidate_id") == gone_cand or rec.get("application_id") in gone_apps
        }
        for model in ("interviews", "offers", "notes", "scorecards", "attachments")
    }
    result = run(engine, settings, iid, full=False)
    assert result.status == "SUCCEEDED" and result.type == "DELTA", result.error
    changed = {
        "candidates": {edited, moved, hired, rejected, noted, deleted},
        "applications": {a for o in (moved, hired, rejected, deleted) for a in apps_of[o]},
        "jobs": {renamed, dropped},
        **cascaded,
    }
    for model, old in before.items():
        new = rows(engine, iid, model)
        for remote_id, row in old.items():
            moved_row = (new[remote_id].changed_at, new[remote_id].remote_deleted_at) != (row.changed_at, None)
            assert moved_row == (remote_id in changed.get(model, set())), (model, remote_id)
        added = set(new) - set(old)
        assert added == ({n["id"] for n in fake.children("notes", noted)} - set(old) if model == "notes" else set())
    deleted_ids = {k for k, r in rows(engine, iid, "candidates").items() if r.remote_deleted_at is not None}
    assert deleted_ids == {deleted}
    assert {k for k, r in rows(engine, iid, "jobs").items() if r.remote_deleted_at is not None} == {dropped}
    apps, cands = live(engine, iid, "applications"), live(engine, iid, "candidates")
    assert {apps[a]["outcome"] for a in apps_of[hired]} == {"HIRED"}
    declined = apps[apps_of[rejected][0]]
    assert declined["outcome"] == "DECLINED" and declined["rejection_reason_name"] == fake.reason("non-hired")["text"]
    assert declined["rejected_at"] == ts(fake.opportunities[rejected]["archived"]["archivedAt"])
    assert apps[apps_of[moved][0]]["current_stage_id"] == record_id(iid, "application_stages", target)
    assert cands[edited]["title"] == "Staff Engineer"
    # sub-resources were fetched only for the opportunities this delta listed
    fanned = {r.split("/")[3] for r in fake.requests if r.startswith("GET /v1/opportunities/") and "/notes" in r}
    assert fanned == {edited, moved, hired, rejected, noted}
    again = run(engine, settings, iid, full=False)
    assert again.status == "SUCCEEDED" and not any(again.changed.values())


def test_storms_bursts_and_slow_answers_still_complete(engine: Engine, settings: Settings, lever: Lever) -> None:
    fake = lever.fake
    fake.faults.rate_limit_storm(5, path="/opportunities")
    fake.faults.fail_next(3, status=503)
    fake.faults.fail_next(2, status=502, path="/notes")
    fake.faults.slow_next(2, 0.2)
    result = run(engine, settings, lever.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert fake.faults.spent()
    assert_matches_fake(engine, lever)


def test_pacing_stays_under_levers_token_bucket(engine: Engine, settings: Settings, environment: str) -> None:
    """Lever's bucket is 10/s with bursts of 20; the client paces at 10/s. Scaled 4x to keep the test short."""
    app = create_app(seed=4, records=10, rate_limit=(40, 1.0))
    with serving(engine, settings, environment, app, requests_per_second=40) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert result.http["rate_limited"] == 0 and result.http["requests"] > 40
        assert_matches_fake(engine, served)


def test_invalid_offset_token_restarts_the_listing(engine: Engine, settings: Settings, lever: Lever) -> None:
    lever.fake.page_cap = 10  # several pages of opportunities
    lever.fake.faults.invalid_page_next(1, query="offset", path="/opportunities")
    result = run(engine, settings, lever.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    first_pages = [r for r in lever.fake.requests if r.startswith("GET /v1/opportunities?") and "offset" not in r]
    assert len(first_pages) == 2  # the listing restarted once
    assert_matches_fake(engine, lever)


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_the_run_cleanly(engine: Engine, settings: Settings, lever: Lever, break_it: str) -> None:
    iid, fake = lever.integration_id, lever.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    if break_it == "truncate":
        fake.faults.truncate_next(1, path="/feedback")
    else:
        fake.faults.fail_next(1000, status=503, path="/notes")
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    with engine.connect() as conn:
        assert conn.execute(select(sync_runs.c.status).where(sync_runs.c.id == failed.run_id)).scalar() == "FAILED"
    for model in CONNECTOR.capabilities.models:  # a failed full run must not mark anything deleted
        assert all(r.remote_deleted_at is None for r in rows(engine, iid, model).values()), model
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, lever)


def test_download_fetches_attachment_bytes(lever: Lever) -> None:
    info = IntegrationInfo(lever.integration_id, "lever", {"base_url": lever.url + "/v1"}, {"api_key": "lever_key"})
    resume = lever.fake.live("resumes")[0]
    owner = next(o for o, rs in lever.fake.subs["resumes"].items() if resume in rs)
    download = CONNECTOR.download
    assert download is not None

    async def fetch(remote_id: str) -> tuple[bytes, str, str] | None:
        return await download(info, remote_id)

    found = asyncio.run(fetch(m.attachment_remote_id(owner, "resumes", resume["id"])))
    assert found is not None
    content, name, content_type = found
    assert content.startswith(b"%PDF") and name == resume["file"]["name"] and content_type == "application/pdf"
    assert asyncio.run(fetch(m.attachment_remote_id(owner, "resumes", "gone"))) is None
    assert asyncio.run(fetch("../../users")) is None  # only attachment ids the mapper minted


def test_fake_speaks_lever() -> None:
    """The fake's own contract: auth, limits, token paging, filters, deletion feed, rate limit."""
    app = create_app(seed=5, records=12, rate_limit=(10, 1.0))
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/v1", auth=("lever_key", "")) as client:
        assert httpx.get(url + "/v1/users").status_code == 401
        assert httpx.get(url + "/v1/users", auth=("lever_key", "x")).status_code == 401
        assert client.get("/opportunities", params={"limit": 101}).status_code == 400
        bad = client.get("/opportunities", params={"offset": "nonsense"})
        assert bad.status_code == 400 and "Invalid offset token" in bad.json()["message"]
        fake.rate_limit = None
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 5}
        while True:
            body = client.get("/opportunities", params=params).json()
            seen += [o["id"] for o in body["data"]]
            if not body["hasNext"]:
                assert "next" not in body
                break
            params["offset"] = body["next"]
        assert sorted(seen) == sorted(fake.opportunities) and len(seen) == len(set(seen))
        oid = seen[0]
        fake.edit_opportunity(oid, name="New Name")
        changed = client.get("/opportunities", params={"updated_at_start": fake.now_ms() - 60_000}).json()["data"]
        assert [o["id"] for o in changed] == [oid]
        fake.delete_opportunity(oid)
        feed = client.get("/opportunities/deleted", params={"deleted_at_start": fake.now_ms() - 60_000}).json()
        assert [d["id"] for d in feed["data"]] == [oid]
        assert client.get(f"/opportunities/{oid}/notes").status_code == 404
        fake.rate_limit = TokenBucket(1, 2)  # 1 rps, burst 2: a quick loop must hit it
        statuses = [client.get("/stages") for _ in range(30)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited and float(limited[0].headers["Retry-After"]) > 0


# ------------------------------------------------------------------------------------------------- webhooks


def _lever_delivery(secret: str, token: str = "tok-1", triggered_at: int = 1_780_000_000_000, **extra: Any) -> bytes:
    """A Lever event body signed by hand: ``signature`` = hex HMAC-SHA256(signature token, token + triggeredAt)."""
    import hashlib
    import hmac

    signature = hmac.new(secret.encode(), f"{token}{triggered_at}".encode(), hashlib.sha256).hexdigest()
    body = {"token": token, "triggeredAt": triggered_at, "signature": signature, "event": "candidateStageChange",
            "data": {"opportunityId": OPP_ID, "fromStageId": "a", "toStageId": "b"}, **extra}  # fmt: skip
    return orjson.dumps(body)


def test_webhook_signature_is_verified_from_the_body_fields() -> None:
    from atsbridge.connectors import kit

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.registration == "api"
    now = 1_780_000_000.0
    good = _lever_delivery("lever-signature-token")
    hooks.verify({}, good, "lever-signature-token", now)  # no header needed: the body carries the signature
    hooks.verify({}, good, "lever-signature-token", now + 299)
    refusals = {
        "wrong secret": (good, "another-token", now),
        "tampered token": (good.replace(b'"tok-1"', b'"tok-2"'), "lever-signature-token", now),
        "tampered timestamp": (good.replace(b"1780000000000", b"1780000000001"), "lever-signature-token", now),
        "stale": (good, "lever-signature-token", now + 301),
        "from the future": (good, "lever-signature-token", now - 301),
        "unsigned": (orjson.dumps({"token": "t", "triggeredAt": 1_780_000_000_000, "event": "x"}), "s", now),
        "not JSON": (b"{oops", "lever-signature-token", now),
    }
    for name, (body, secret, at) in refusals.items():
        with pytest.raises(kit.WebhookRefused):
            hooks.verify({}, body, secret, at)
            pytest.fail(f"accepted: {name}")


def test_webhook_events_touch_the_opportunity_streams_and_dedupe_on_the_token() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.delivery_id is not None
    event = json.loads(_lever_delivery("s"))
    assert [(t.stream, t.remote_id) for t in hooks.events(event)] == [("opportunities", OPP_ID)]
    assert {t.stream for t in hooks.events({**event, "event": "interviewUpdated"})} == {"interviews", "opportunities"}
    assert hooks.events({**event, "event": "somethingNew"}) == []
    assert hooks.delivery_id({}, event) == "tok-1"
    streams = {s.name for s in CONNECTOR.streams}
    assert {t.stream for e in hooks.event_names for t in hooks.events({"event": e, "data": {}})} <= streams


def test_webhooks_register_one_per_event_at_lever_and_unregister_tolerates_gone_ones(lever: Lever) -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.register is not None and hooks.unregister is not None
    register, unregister = hooks.register, hooks.unregister
    info = IntegrationInfo(lever.integration_id, "lever", {"base_url": lever.url + "/v1", "requests_per_second": 5000},
                           {"api_key": "lever_key"})  # fmt: skip

    async def at_lever(call: Any) -> Any:
        source = CONNECTOR.open(info)
        try:
            return await call(source)
        finally:
            await source.aclose()

    made = asyncio.run(at_lever(lambda s: register(s, "https://atsbridge.example/hook", "ours")))
    listed = httpx.get(lever.url + "/v1/webhooks", auth=("lever_key", "")).json()["data"]
    assert sorted(w["id"] for w in listed) == sorted(made.ids) and len(made.ids) == len(hooks.event_names)
    assert {w["event"] for w in listed} == set(hooks.event_names)
    assert all("signatureToken" not in w for w in listed), "the listing never shows the tokens"
    assert len(made.secrets) == len(made.ids) and "ours" not in made.secrets
    assert httpx.delete(lever.url + f"/v1/webhooks/{made.ids[0]}", auth=("lever_key", "")).status_code == 204
    asyncio.run(at_lever(lambda s: unregister(s, made.ids)))  # the first one is already gone
    assert httpx.get(lever.url + "/v1/webhooks", auth=("lever_key", "")).json()["data"] == []
    assert lever.fake.webhooks.targets == []

"""Workable connector: golden mapper tests on the recorded payloads (unchanged), then syncs against the stateful
fake served on a real port, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.connectors.base import MapContext, Mapper
from atsbridge.connectors.workable import CONNECTOR
from atsbridge.connectors.workable import mappers as m
from atsbridge.connectors.workable.candidates import map_candidate
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.workable import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, integrations, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("workable")
CTX = MapContext("workable:golden")
JOB = "9CD658E13E"


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


def by_model(records: list[UnifiedRecord], model: str) -> dict[str, UnifiedRecord]:
    return {r.remote_id: r for r in records if r.model == model}


# ============================================================================================ golden tests
def test_candidate_pages_map_to_candidates_and_applications() -> None:
    raws = load("candidates_page1.json")["candidates"] + load("candidates_last_page.json")["candidates"]
    records = [r for raw in raws for r in mapped(map_candidate, raw)]
    cands, apps = by_model(records, "candidates"), by_model(records, "applications")
    assert len(cands) == len(apps) == 125
    elvie, app = cands["27270275"], apps["27270275"]
    assert (elvie.fields["first_name"], elvie.fields["last_name"], elvie.fields["title"]) == (
        "Elvie", "Schmidt", "Sales Executive",
    )  # fmt: skip
    assert elvie.fields["email_addresses"] == [{"email_address": "elvie_schmidt@samplecandidate.com", "type": None}]
    assert elvie.fields["phone_numbers"] == [{"phone_number": "+18579909675", "type": None}]
    assert elvie.fields["source"] == "twitter.com" and elvie.fields["remote_created_at"] == "2026-04-11T03:36:38.000Z"
    assert elvie.fields["location"] == {"raw": "1007 Dakota Glen, 18470 Jackelineburgh, UK", "city": None,
                                        "country": None, "state": None, "street_1": None, "street_2": None,
                                        "zip_code": None}  # fmt: skip
    assert app.fields["candidate_id"] == elvie.id and app.fields["job_id"] == ref("jobs", JOB)
    assert app.fields["current_stage_id"] == ref("application_stages", f"{JOB}:assessment")
    assert app.fields["outcome"] == "PENDING" and app.fields["screening_question_answers"] is None  # list: no answers
    outcomes = [a.fields["outcome"] for a in apps.values()]
    assert (outcomes.count("HIRED"), outcomes.count("DECLINED")) == (2, 4)
    declined = apps["272702e9"]
    assert declined.fields["rejection_reason_name"] == "Doesn't have required experience"
    assert declined.fields["current_stage_id"] == ref("application_stages", "B3627BCF5D:applied")
    hired = next(a for rid, a in apps.items() if a.fields["outcome"] == "HIRED")
    assert hired.fields["rejection_reason_name"] is None and hired.fields["rejected_at"] is None
    unknown = cands["2727030b"]  # "Unknown" is Workable's empty source
    assert unknown.fields["source"] == "careerbuilder.com" and cands["2727c1f2"].fields["source"] in (None, "Unknown")


def test_candidates_for_job_outcomes_and_phone_screen_slug() -> None:
    raws = load("candidates_for_job.json")["candidates"]
    stages = {s["name"]: s["slug"] for s in load("job_stages.json")["stages"]}
    apps = [
        r for raw in raws for r in mapped(map_candidate, {**raw, "_stage_slugs": stages}) if r.model == "applications"
    ]
    outcomes = [a.fields["outcome"] for a in apps]
    assert (len(apps), outcomes.count("HIRED"), outcomes.count("DECLINED")) == (50, 1, 3)
    screen = next(a for a, raw in zip(apps, raws, strict=True) if raw["stage"] == "Phone Screen")
    assert screen.fields["current_stage_id"] == ref("application_stages", f"{JOB}:phone-screen")


def test_candidate_detail_gives_tags_answers_and_disqualification_time() -> None:
    stages = {s["name"]: s["slug"] for s in load("job_stages.json")["stages"]}
    cand, app = mapped(map_candidate, {**load("candidate_single.json")["candidate"], "_stage_slugs": stages})
    assert cand.nested == {"tag_ids": [ref("tags", "nango"), ref("tags", "priority")]}
    assert app.fields["screening_question_answers"] == [] and app.fields["current_stage_id"] == ref(
        "application_stages", f"{JOB}:sourced"
    )
    updated = load("write_update_candidate.response.json")["candidate"]  # the recorded PATCH answer
    _, rejected = mapped(map_candidate, updated)
    assert rejected.fields["outcome"] == "DECLINED"
    assert rejected.fields["rejection_reason_name"] == "Doesn't have required qualifications"
    assert rejected.fields["rejected_at"] == "2026-07-23T20:45:16.476Z"
    created, created_app = mapped(map_candidate, load("write_create_candidate.response.json")["candidate"])
    assert (
        created.remote_id == "2727baa2"
        and created.fields["source"] is None
        and created_app.fields["outcome"] == ("PENDING")
    )


def test_documented_answers_map_by_kind() -> None:
    detail = {**load("candidate_single.json")["candidate"], "answers": [
        {"question": {"body": "Why us?", "key": "b99026"}, "answer": {"body": "Because."}},
        {"question": {"body": "Years?", "key": "b99028"}, "answer": {"value": 7}},
        {"question": {"body": "Team?", "key": "b9902b"}, "answer": {"checked": True}},
        {"question": {"body": "Start?", "key": "b9902d"}, "answer": {"date": "2026-09-01"}},
        {"question": {"body": "Level?", "key": "b99029"}, "answer": {"choices": [{"body": "PHD"}]}},
    ]}  # fmt: skip
    _, app = mapped(map_candidate, detail)
    answers = app.fields["screening_question_answers"]
    assert [a["question"]["type"] for a in answers] == ["TEXT", "NUMBER", "BOOLEAN", "DATE", "SINGLE_SELECT"]
    assert answers[1]["answer"] == {"number": 7.0} and answers[4]["answer"] == {"choice": "PHD"}
    assert answers[0]["question"] == {"remote_id": "b99026", "title": "Why us?", "type": "TEXT"}


def test_job_with_detail_questions_team_and_stages() -> None:
    listed = load("jobs.json")["jobs"][0]
    raw = {**listed, **load("job_single.json"), "_questions": load("job_questions.json")["questions"],
           "_members": load("job_members.json")["members"], "_stages": load("job_stages.json")["stages"]}  # fmt: skip
    records = mapped(m.map_job, raw)
    (job,) = by_model(records, "jobs").values()
    f = job.fields
    assert (f["name"], f["job_code"], f["status"], f["employment_type"]) == (
        "Account Executive", "GB/09/AE", "CLOSED", "FULL_TIME",
    )  # fmt: skip
    assert (f["salary_amount_from"], f["salary_amount_to"], f["salary_currency"]) == (60000, 80000, "GBP")
    assert f["location"]["city"] == "London" and f["location"]["country"] == "GB"
    assert f["remote_work_status"] == "ON_SITE" and f["post_url"] == "https://apply.workable.com/j/9CD658E13E"
    assert f["experience_level"] == "Mid-Senior level" and f["description"].startswith("<p>We are looking")
    assert f["custom_fields"] == {"industry": "Staffing and Recruiting", "function": "Other",
                                  "education": "Bachelor's Degree"}  # fmt: skip
    assert job.nested is not None
    questions = job.nested["screening_questions"]
    kinds = [q["format"]["type"] for q in questions]
    assert kinds == ["TEXT", "TEXT", "NUMBER", "SINGLE_SELECT", "SINGLE_SELECT", "BOOLEAN", "NUMBER", "DATE"]
    education = questions[3]
    assert education["remote_id"] == "b99029" and education["required"] is True
    assert [o["remote_id"] for o in education["format"]["options"]] == ["60ce7f", "60ce80", "60ce81", "60ce82"]
    team = job.nested["hiring_team"]
    assert [t["user_id"] for t in team] == [ref("users", u) for u in ("1f395d", "1f3961", "1f3964")]
    assert team[0]["job_roles"][0]["remote_id"] == "job:admin" and team[0]["hiring_team_roles"] == []
    assert job.nested["job_postings"][0]["status"] == "INACTIVE"  # a closed job's ad is down
    stages = by_model(records, "application_stages")
    assert list(stages) == [f"{JOB}:{s}" for s in ("sourced", "applied", "phone-screen", "assessment", "interview",
                                                  "offer", "hired")]  # fmt: skip
    hired = stages[f"{JOB}:hired"].fields
    assert (hired["index"], hired["job_id"], hired["custom_fields"]) == (6, job.id, {"kind": "hired"})


def test_members_reasons_and_roles() -> None:
    users = {r.remote_id: r for u in load("members.json")["members"] for r in mapped(m.map_member, u)}
    assert len(users) == 6
    dev = users["1f395d"]
    assert (dev.fields["first_name"], dev.fields["last_name"], dev.fields["email"]) == (
        "Nango", "Developer", "api@nango.dev",
    )  # fmt: skip
    assert dev.nested is not None
    assert [(r["remote_id"], r["unified_type"]) for r in dev.nested["system_roles"]] == [
        ("ats.admin", "ADMIN"), ("hris.admin", None), ("workable.superadmin", "ADMIN"),
    ]  # fmt: skip
    assert users["1f3960"].fields["status"] == "ACTIVE"
    reasons = [r for x in load("disqualification_reasons.json") for r in mapped(m.map_disqualification_reason, x)]
    assert len(reasons) == 15 and reasons[0].fields["name"] == "Doesn't have required qualifications"
    roles = [r for row in m.role_rows({"ats.simple", "ats.custom"}, {"admin"}) for r in mapped(m.map_role, row)]
    by_id = {r.remote_id: r.fields for r in roles}
    assert by_id["ats.admin"]["unified_type"] == "ADMIN" and by_id["job:hiring_manager"]["scope"] == "JOB"
    assert by_id["ats.custom"]["remote_label"] == "Custom"


def test_events_are_interviews() -> None:
    interviews = [r for e in load("events.json")["events"] for r in mapped(m.map_event, e)]
    assert len(interviews) == 50
    first = interviews[0]
    assert first.fields["title"] == "Skype call with Lennert Rossler"
    assert first.fields["application_id"] == ref("applications", "27270276")
    assert (first.fields["starting_at"], first.fields["ending_at"]) == (
        "2026-04-17T03:36:46.000Z", "2026-04-17T04:06:46.000Z",
    )  # fmt: skip
    assert first.fields["canceled"] is False and first.nested == {"user_ids": [ref("users", "1f3961")]}
    assert mapped(m.map_event, load("event_single.json"))[0].fields == first.fields


def test_activities_give_notes_and_rating_scorecards() -> None:
    records = [r for a in load("job_activities.json")["activities"] for r in mapped(m.map_activity, a)]
    notes, cards = by_model(records, "notes"), by_model(records, "scorecards")
    assert (len(notes), len(cards)) == (21, 3)
    note = notes["90746975"].fields
    assert note["content_html"] == "<p>Good application, I think we should schedule a call @eduardo_vallente.</p>"
    assert note["candidate_id"] == ref("candidates", "27270276") and note["author_id"] == ref("users", "1f3961")
    card = cards["90746980"].fields
    assert card["application_id"] == ref("applications", "27270275")
    rating, comment = card["responses"]
    assert rating["type"] == "SINGLE_SELECT" and rating["answer"] == {"remote_id": "positive", "label": "positive"}
    assert comment == {"remote_id": "comment", "label": "Comment", "type": "TEXT", "answer": "Good",
                       "description": None, "required": None}  # fmt: skip
    moves = load("candidate_activities.json")["activities"]  # uploads and stage moves: history, not notes
    assert [r for a in moves for r in mapped(m.map_activity, {**a, "_candidate_id": "272731b1"})] == []


def test_offer_stub_is_no_offer_and_resume_metadata_is_a_cv() -> None:
    assert mapped(m.map_offer, {**load("candidate_offer_none.json"), "_candidate_id": "27273038"}) == []
    raw = load("candidates_page1.json")["candidates"][0]
    (cv,) = mapped(m.map_resume, raw)
    assert cv.remote_id == "27270275:resume" and cv.fields["file_name"] == "cv_elvie_schmidt.pdf"
    assert (cv.fields["type"], cv.fields["content_type"]) == ("CV", "application/pdf")


# ========================================================================================= against the fake
@dataclass(frozen=True)
class Stored:
    data: Raw
    nested: Raw | None
    changed_at: Any
    deleted_at: Any


@dataclass
class Tenant:
    fake: FakeState
    url: str
    iid: str
    engine: Engine
    settings: Settings

    def sync(self, full: bool) -> SyncResult:
        return asyncio.run(SyncEngine(self.engine, self.settings).run(self.iid, full=full))

    def rows(self, model: str) -> dict[str, Stored]:
        t = MODEL_TABLES[model]
        query = select(t.c.remote_id, t.c.data, t.c.nested, t.c.changed_at, t.c.remote_deleted_at)
        with self.engine.connect() as conn:
            found = conn.execute(query.where(t.c.integration_id == self.iid)).all()
        return {r.remote_id: Stored(orjson.loads(r.data), orjson.loads(r.nested) if r.nested else None, r.changed_at,
                                    r.remote_deleted_at) for r in found}  # fmt: skip

    def snapshot(self) -> dict[tuple[str, str], Stored]:
        return {(model, rid): row for model in CONNECTOR.capabilities.models for rid, row in self.rows(model).items()}

    def ref(self, model: str, remote: object) -> str:
        return record_id(self.iid, model, str(remote))


def expected_keys(fake: FakeState) -> set[tuple[str, str]]:
    """(model, remote id) of everything the fake holds that a full sync must store."""
    with fake.lock:
        cands = fake.candidates
        keys = {("users", x["id"]) for x in fake.members} | {("rejection_reasons", x["id"]) for x in fake.reasons}
        keys |= {("jobs", sc) for sc in fake.jobs}
        keys |= {("application_stages", f"{sc}:{s['slug']}") for sc in fake.jobs for s in fake.job_stages[sc]}
        keys |= {(model, cid) for cid in cands for model in ("candidates", "applications")}
        keys |= {("tags", t) for c in cands.values() for t in c["tags"]}
        keys |= {("attachments", f"{cid}:resume") for cid, c in cands.items() if c["resume_metadata"]}
        keys |= {("interviews", e) for e in fake.events}
        keys |= {("offers", cid) for cid in fake.offers if cid in cands}
        for rows in fake.activities.values():
            keys |= {("notes", a["id"]) for a in rows if a["action"] == "comment"}
            keys |= {("scorecards", a["id"]) for a in rows if a["action"] == "rating"}
    roles = {
        r["id"]
        for r in m.role_rows(
            {r for x in fake.members for r in m.member_roles(x)},
            {x["collaboration_role"] for ms in fake.job_members.values() for x in ms},
        )
    }
    return keys | {("roles", r) for r in roles}  # fmt: skip


def live_keys(t: Tenant) -> set[tuple[str, str]]:
    return {key for key, row in t.snapshot().items() if row.deleted_at is None}


@pytest.fixture
def wk(engine: Engine, settings: Settings, environment: str) -> Iterator[Callable[..., Tenant]]:
    """Factory: a fresh fake account on a real port plus an integration pointing at it."""
    with ExitStack() as stack:
        made: list[str] = []

        def make(records: int = 24, rate_limit: tuple[int, float] | None = None, token: str = "workable_token",
                 **config: Any) -> Tenant:  # fmt: skip
            app = create_app(seed=3, records=records, rate_limit=rate_limit)
            url = stack.enter_context(serve_asgi(app))
            cfg = {"base_url": url + "/spi/v3", "requests_per_10s": 100_000, "sync_all_applications": True, **config}
            iid = create_integration(engine, settings, environment, "workable", "Org", config=cfg,
                                     credentials={"token": token})  # fmt: skip
            made.append(iid)
            return Tenant(app.state.fake, url, iid, engine, settings)

        yield make
        with engine.begin() as conn:  # no scheduler may chase a fake that is gone
            conn.execute(update(integrations).where(integrations.c.id.in_(made)).values(enabled=False))


def test_full_sync_equals_the_fake_and_follows_paging(wk: Callable[..., Tenant]) -> None:
    t = wk()
    t.fake.page_cap = 7  # candidates, events and members span several pages
    result = t.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert not result.mapping_errors
    assert live_keys(t) == expected_keys(t.fake)
    assert sum("since_id=" in r for r in t.fake.log.lines()) >= 4  # 24 candidates + 12 events at 7 a page
    fake = t.fake
    cid, cand = next((i, c) for i, c in sorted(fake.candidates.items()) if c["disqualified"] and c["tags"])
    stored = t.rows("candidates")[cid]
    assert (stored.data["first_name"], stored.data["last_name"]) == (cand["firstname"], cand["lastname"])
    assert stored.data["email_addresses"][0]["email_address"] == cand["email"]
    assert stored.nested == {"tag_ids": [t.ref("tags", x) for x in cand["tags"]]}
    app = t.rows("applications")[cid].data
    assert (app["outcome"], app["rejection_reason_name"]) == ("DECLINED", cand["disqualification_reason"])
    assert app["rejected_at"] == cand["disqualified_at"]
    slug = next(s["slug"] for s in fake.job_stages[cand["job"]["shortcode"]] if s["name"] == cand["stage"])
    assert app["current_stage_id"] == t.ref("application_stages", f"{cand['job']['shortcode']}:{slug}")
    answered = next(i for i, c in fake.candidates.items() if c["answers"])
    answers = t.rows("applications")[answered].data["screening_question_answers"]
    assert len(answers) == len(fake.candidates[answered]["answers"]) and answers[0]["question"]["remote_id"]
    sc = next(iter(fake.jobs))
    job = t.rows("jobs")[sc]
    assert job.data["name"] == fake.jobs[sc]["title"] and job.nested is not None
    assert len(job.nested["screening_questions"]) == len(fake.questions[sc])
    custom = next(sc for sc, stages in fake.job_stages.items() if len(stages) == 8)
    assert t.rows("application_stages")[f"{custom}:technical-interview"].data["index"] == 5
    offer_id = next(iter(fake.offers))
    assert t.rows("offers")[offer_id].data["status"] in ("SENT", "ACCEPTED")
    assert t.rows("offers")[offer_id].data["employment_start_date"] == "2025-01-06T00:00:00.000Z"


def test_job_hiring_teams_follow_paging(wk: Callable[..., Tenant]) -> None:
    """A job's members are a paged list (``paging.next``): every page lands in the job's hiring team."""
    t = wk(records=4)
    t.fake.page_cap = 1
    assert t.sync(full=True).status == "SUCCEEDED"
    sc = next(sc for sc, team in t.fake.job_members.items() if len(team) == 2)
    assert len((t.rows("jobs")[sc].nested or {})["hiring_team"]) == 2


def test_delta_sync_changes_exactly_the_mutated_records(wk: Callable[..., Tenant]) -> None:
    t = wk()
    assert t.sync(full=True).status == "SUCCEEDED"
    before = t.snapshot()
    fake = t.fake
    pending = [i for i, c in sorted(fake.candidates.items()) if not c["disqualified"] and c["stage_kind"] != "hired"]
    edited, moved, hired, rejected, noted, doomed = pending[:6]
    held = expected_keys(fake)
    target = next(s["slug"] for s in fake.job_stages[fake.candidates[moved]["job"]["shortcode"]]
                  if s["name"] != fake.candidates[moved]["stage"] and s["kind"] != "hired")  # fmt: skip
    fake.edit_candidate(edited, headline="Staff Engineer")
    fake.move(moved, target)
    fake.hire(hired)
    fake.disqualify(rejected, fake.reasons[0]["id"], "Not now")
    note = fake.add_comment(noted, "Called back")
    fake.delete_candidate(doomed)
    job = next(iter(fake.jobs))
    fake.edit_job(job, title="Renamed job")
    gone = held - expected_keys(fake)
    assert ("candidates", doomed) in gone

    result = t.sync(full=False)
    assert (result.status, result.type) == ("SUCCEEDED", "DELTA"), result.error
    assert any("updated_after=" in r for r in fake.log.lines() if r.startswith("GET /spi/v3/candidates?"))
    after = t.snapshot()
    changed = {key for key, row in after.items() if key not in before or row.changed_at != before[key].changed_at}
    touched = {edited, moved, hired, rejected, noted}
    assert changed == ({("candidates", c) for c in touched} | {("applications", c) for c in touched}
                       | {("notes", note["id"]), ("jobs", job)})  # fmt: skip
    assert after[("candidates", edited)].data["title"] == "Staff Engineer"
    assert after[("applications", hired)].data["outcome"] == "HIRED"
    declined = after[("applications", rejected)].data
    assert (declined["outcome"], declined["rejection_reason_name"]) == ("DECLINED", fake.reasons[0]["description"])
    shortcode = fake.candidates[moved]["job"]["shortcode"]
    assert after[("applications", moved)].data["current_stage_id"] == t.ref("application_stages",
                                                                            f"{shortcode}:{target}")  # fmt: skip
    assert after[("jobs", job)].data["name"] == "Renamed job"
    assert all(row.deleted_at is None for row in after.values()), "a delta cannot see deletions"

    assert t.sync(full=True).status == "SUCCEEDED"
    final = t.snapshot()
    assert {key for key, row in final.items() if row.deleted_at is not None} == gone
    assert {key for key, row in final.items() if row.changed_at != after[key].changed_at} == gone


def test_rate_limit_storms_and_5xx_bursts_are_ridden_out(wk: Callable[..., Tenant]) -> None:
    t = wk()
    t.fake.faults.rate_limit_storm(5, path="/candidates")
    t.fake.faults.fail_next(3, 503)
    t.fake.faults.fail_next(2, 502, path="/activities")
    t.fake.faults.slow_next(2, 0.2)
    result = t.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert t.fake.faults.spent() and result.http["rate_limited"] >= 5
    assert live_keys(t) == expected_keys(t.fake)


def test_the_account_rate_limit_window_is_respected(wk: Callable[..., Tenant]) -> None:
    """10 requests per second here (Workable: 10 per 10 s): X-Rate-Limit-Remaining/Reset pace the client."""
    t = wk(records=4, rate_limit=(15, 1.0))
    result = t.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.http["requests"] > 15  # more than one window's worth
    assert result.http["rate_limited"] <= 3  # only requests already in flight when the window ran out
    assert live_keys(t) == expected_keys(t.fake)


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_cleanly_and_delete_nothing(wk: Callable[..., Tenant], break_it: str) -> None:
    t = wk()
    assert t.sync(full=True).status == "SUCCEEDED"
    before = t.snapshot()
    t.fake.delete_candidate(min(t.fake.candidates))  # a real deletion a failed full run must not apply
    if break_it == "truncate":
        t.fake.faults.truncate_next(1, path="/activities")
    else:
        t.fake.faults.fail_next(1000, 503, path="/offer")
    failed = t.sync(full=True)
    assert failed.status == "FAILED" and failed.error
    with t.engine.connect() as conn:
        assert conn.execute(select(sync_runs.c.status).where(sync_runs.c.id == failed.run_id)).scalar() == "FAILED"
    assert t.snapshot() == before, "a failed run deletes and changes nothing"
    t.fake.faults.clear()
    assert t.sync(full=True).status == "SUCCEEDED"
    assert live_keys(t) == expected_keys(t.fake)


def test_download_fetches_a_fresh_resume_link(wk: Callable[..., Tenant]) -> None:
    t = wk(records=6)
    assert t.sync(full=True).status == "SUCCEEDED"
    with t.engine.connect() as conn:
        integration = platform.get_integration(conn, t.iid)
    assert integration is not None and CONNECTOR.download is not None
    info = SyncEngine(t.engine, t.settings).integration_info(integration)
    cid = next(i for i, c in t.fake.candidates.items() if c["resume_metadata"])

    def download(remote_id: str) -> tuple[bytes, str, str] | None:
        assert CONNECTOR.download is not None
        return asyncio.run(CONNECTOR.download(info, remote_id))

    found = download(m.resume_remote_id(cid))
    name = t.fake.candidates[cid]["resume_metadata"]["filename"]
    assert found == (t.fake.resumes[cid], name, "application/pdf")
    assert download("../members:resume") is None
    t.fake.delete_candidate(cid)
    assert download(m.resume_remote_id(cid)) is None


def test_fake_speaks_workable() -> None:
    app = create_app(seed=5, records=12, rate_limit=(5, 30.0))
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/spi/v3") as c:
        assert c.get("/members").status_code == 401
        c.headers["Authorization"] = "Bearer workable_token"
        first = c.get("/candidates", params={"limit": 5})
        body = first.json()
        assert first.headers["X-Rate-Limit-Limit"] == "5" and first.headers["X-Rate-Limit-Remaining"] == "4"
        nxt = body["paging"]["next"]
        assert nxt.startswith(url) and "since_id=" in nxt and len(body["candidates"]) == 5
        second = c.get(nxt).json()
        assert second["candidates"][0]["id"] > body["candidates"][-1]["id"]
        assert c.get("/candidates", params={"limit": 101}).status_code == 422
        assert c.get("/candidates", params={"updated_since": "x"}).status_code == 422
        assert isinstance(c.get("/disqualification_reasons").json(), list)
        for _ in range(3):
            c.get("/stages")
        limited = c.get("/stages")
        assert limited.status_code == 429 and float(limited.headers["Retry-After"]) > 0
        fake.rate_limit = None
        assert "paging" not in c.get("/candidates", params={"limit": 100}).json()  # absent, not null, when done
        cid = min(fake.candidates)
        fake.edit_candidate(cid, headline="New")
        recent = c.get("/candidates", params={"updated_after": "20260101T000000Z"}).json()["candidates"]
        assert [x["id"] for x in recent] == [cid]
        assert "resume_metadata" not in c.get(f"/candidates/{cid}").json()["candidate"]
        move = c.post(f"/candidates/{cid}/move", json={"member_id": fake.members[0]["id"], "target_stage": "nope"})
        assert move.status_code == 422
        fake.faults.truncate_next(1)
        with pytest.raises(ValueError):
            c.get("/jobs").json()


# ------------------------------------------------------------------------------------------------- webhooks


def _workable_signed(body: bytes, key: str, encoding: str = "hex") -> dict[str, str]:
    """``X-Workable-Signature``, computed by hand: HMAC-SHA256(account token, raw body)."""
    import base64
    import hashlib
    import hmac

    digest = hmac.new(key.encode(), body, hashlib.sha256).digest()
    return {"x-workable-signature": digest.hex() if encoding == "hex" else base64.b64encode(digest).decode()}


def test_webhook_signature_is_an_hmac_of_the_body_keyed_with_the_account_token() -> None:
    from atsbridge.connectors import kit

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.registration == "api" and hooks.delivery_id is None
    body = orjson.dumps({"id": "e-1", "resource_type": "candidate", "event_type": "candidate_moved",
                         "data": {"id": "3fc9a2", "stage": "Interview"}})  # fmt: skip
    hooks.verify(_workable_signed(body, "workable_token"), body, "workable_token", 0.0)
    hooks.verify(_workable_signed(body, "workable_token", "base64"), body, "workable_token", 0.0)
    refusals = {
        "wrong key": (_workable_signed(body, "another_token"), body),
        "tampered body": (_workable_signed(body, "workable_token"), body.replace(b"Interview", b"Hired")),
        "no header": ({}, body),
        "garbage": ({"x-workable-signature": "not a signature"}, body),
    }
    for name, (headers, sent) in refusals.items():
        with pytest.raises(kit.WebhookRefused):
            hooks.verify(headers, sent, "workable_token", 0.0)
            pytest.fail(f"accepted: {name}")


def test_webhook_candidate_events_touch_candidates_wrapped_or_bare() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None
    wrapped = {"id": "e-1", "resource_type": "candidate", "event_type": "candidate_created", "data": {"id": "c1"}}
    assert [(t.stream, t.remote_id) for t in hooks.events(wrapped)] == [("candidates", "c1")]
    bare = {"id": "c2", "name": "Ada", "job": {"shortcode": "AB12"}, "stage": "Applied"}
    assert [(t.stream, t.remote_id) for t in hooks.events(bare)] == [("candidates", "c2")]
    assert hooks.events({**wrapped, "resource_type": "employee", "event_type": "employee_created"}) == []
    assert {t.stream for e in hooks.event_names for t in hooks.events({**wrapped, "event_type": e})} <= {
        s.name for s in CONNECTOR.streams
    }


def test_webhooks_subscribe_per_event_and_unsubscribe_tolerates_gone_ones(wk: Callable[..., Tenant]) -> None:
    from atsbridge.connectors.base import IntegrationInfo

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.register is not None and hooks.unregister is not None
    register, unregister = hooks.register, hooks.unregister
    t = wk()
    info = IntegrationInfo(t.iid, "workable", {"base_url": t.url + "/spi/v3", "requests_per_10s": 100_000},
                           {"token": "workable_token"})  # fmt: skip

    async def at_workable(call: Any) -> Any:
        source = CONNECTOR.open(info)
        try:
            return await call(source)
        finally:
            await source.aclose()

    made = asyncio.run(at_workable(lambda s: register(s, "https://atsbridge.example/hook", "ours")))
    auth = {"Authorization": "Bearer workable_token"}
    listed = httpx.get(t.url + "/spi/v3/subscriptions", headers=auth).json()["subscriptions"]
    assert sorted(str(x["id"]) for x in listed) == sorted(made.ids)
    assert {x["event"] for x in listed} == set(hooks.event_names)
    assert made.secrets == ["workable_token"], "deliveries are verified with the account token"
    assert httpx.delete(t.url + f"/spi/v3/subscriptions/{made.ids[0]}", headers=auth).status_code == 200
    asyncio.run(at_workable(lambda s: unregister(s, made.ids)))  # the first one is already gone
    assert httpx.get(t.url + "/spi/v3/subscriptions", headers=auth).json()["subscriptions"] == []
    assert t.fake.webhooks.targets == []

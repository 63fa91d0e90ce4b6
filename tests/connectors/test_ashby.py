"""Ashby connector: golden mapper tests on the recorded payloads (unchanged), the ``success: false`` error
classification, sync tokens, then syncs against the stateful fake on a real port, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.connectors.ashby import CONNECTOR, open_source, rpc
from atsbridge.connectors.ashby import mappers as m
from atsbridge.connectors.ashby import people as p
from atsbridge.connectors.base import IntegrationInfo, MapContext, Mapper
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.ashby import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, integrations, sync_runs
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("ashby")
CTX = MapContext("ashby:golden")


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def uid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012x}"


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


# ============================================================================================ golden tests
def test_candidates_map_contacts_links_location_and_source() -> None:
    cands = {r.remote_id: r for raw in load("candidates.json")["results"] for r in mapped(p.map_candidate, raw)}
    assert len(cands) == 20
    assert len([r for raw in load("candidates_limit5.json")["results"] for r in mapped(p.map_candidate, raw)]) == 5
    first = cands[uid(1)].fields
    assert (first["first_name"], first["last_name"], first["title"], first["company"]) == (
        "Test", "User 1", "Senior Full Stack Engineer", "The Mars Agency",
    )  # fmt: skip
    assert first["email_addresses"] == [{"email_address": "user1@example.com", "type": "PERSONAL"},
                                        {"email_address": "user2@example.com", "type": "PERSONAL"}]  # fmt: skip
    assert first["phone_numbers"][0] == {"phone_number": "+10000000015", "type": "PERSONAL"}
    assert [s["type"] for s in first["social_media"]] == ["LINKEDIN", "WEBSITE"] and first["source"] == "Applied"
    assert first["remote_created_at"] == "2024-02-04T21:38:12.442Z" and first["remote_url"].startswith("https://app.")
    located = cands[uid(6)].fields
    assert located["location"] == {"raw": "Lublin, Lublin Voivodeship, Poland", "city": "Test User 25",
                                   "state": "Test User 24", "country": "Test User 23", "street_1": None,
                                   "street_2": None, "zip_code": None}  # fmt: skip
    no_primary = next(r for r in load("candidates.json")["results"] if "primaryPhoneNumber" not in r)
    assert len(cands[no_primary["id"]].fields["phone_numbers"]) == len(no_primary["phoneNumbers"])
    single = mapped(p.map_candidate, load("candidate_single.json")["results"])[0]
    created = mapped(p.map_candidate, load("write_create_candidate.response.json")["results"])[0]
    assert single.nested == {"tag_ids": []} and created.fields["email_addresses"] == []
    assert created.fields["first_name"] == "Test" and created.fields["location"] is None


def test_applications_outcome_stage_and_archive_reason() -> None:
    apps = {r.remote_id: r for raw in load("applications.json")["results"] for r in mapped(p.map_application, raw)}
    outcomes = [a.fields["outcome"] for a in apps.values()]
    assert (len(apps), outcomes.count("DECLINED"), outcomes.count("PENDING")) == (20, 19, 1)
    declined = apps[uid(1)].fields
    assert declined["rejection_reason_name"] == "Lacks Skills/Qualifications"
    assert declined["rejected_at"] == "2024-02-05T09:25:35.089Z"
    assert declined["current_stage_id"] == ref("application_stages", uid(3))
    assert (declined["job_id"], declined["candidate_id"]) == (ref("jobs", uid(9)), ref("candidates", uid(2)))
    active = apps[uid(0xE)].fields
    assert (active["outcome"], active["rejection_reason_name"], active["rejected_at"]) == ("PENDING", None, None)
    assert active["current_stage_id"] == ref("application_stages", uid(0x10))
    # The recorded write answers map like the listing (some carry a slimmer stage object).
    created = mapped(p.map_application, load("write_create_application.response.json")["results"])[0].fields
    assert created["outcome"] == "PENDING" and created["current_stage_id"] == ref("application_stages", uid(4))
    moved = mapped(p.map_application, load("write_change_stage.response.json")["results"])[0].fields
    assert moved["current_stage_id"] == ref("application_stages", uid(2)) and moved["outcome"] == "PENDING"
    updated = mapped(p.map_application, load("write_update_application.response.json")["results"])[0].fields
    assert updated["outcome"] == "DECLINED" and updated["rejected_at"] == "2024-02-05T09:25:35.089Z"
    info = mapped(p.map_application, load("application_single.json")["results"])[0].fields
    assert info == {**declined, "current_stage_id": info["current_stage_id"], "job_id": ref("jobs", uid(6)),
                    "remote_updated_at": "2026-05-28T21:07:26.245Z"}  # fmt: skip


def test_jobs_with_posting_form_team_and_department() -> None:
    jobs = {r.remote_id: r for raw in load("jobs.json")["results"] for r in mapped(m.map_job, raw)}
    statuses = [j.fields["status"] for j in jobs.values()]
    assert (len(jobs), statuses.count("CLOSED"), statuses.count("OPEN"), statuses.count("ARCHIVED")) == (21, 19, 1, 1)
    managed = jobs[uid(0x20)]
    assert managed.fields["employment_type"] == "PART_TIME" and managed.nested is not None
    assert managed.fields["contact_id"] == ref("users", uid(0xF))
    (member,) = managed.nested["hiring_team"]
    assert member["hiring_team_roles"] == ["HIRING_MANAGER"] and member["job_roles"][0]["remote_id"] == (
        "team:Hiring Manager"
    )
    open_job = next(raw for raw in load("jobs.json")["results"] if raw["status"] == "Open")
    raw = {**open_job, "_postings": [load("job_posting_single.json")["results"]],
           "_department": load("departments.json")["results"][0]}  # fmt: skip
    (job,) = mapped(m.map_job, raw)
    f = job.fields
    assert (f["status"], f["department"], f["remote_work_status"]) == ("OPEN", "Test User 1", "ON_SITE")
    assert (f["salary_amount_from"], f["salary_amount_to"], f["salary_currency"], f["salary_period"]) == (
        150000, 200000, "USD", "YEAR",
    )  # fmt: skip
    assert f["location"]["city"] == "San Francisco" and f["location"]["country"] == "United States"
    assert f["post_url"] == "https://jobs.ashbyhq.com/Nango/95526e19-b9c4-468f-b420-41348f1688ae"
    assert f["description"].startswith("<p><em>(In San Francisco)")
    assert job.nested is not None
    questions = job.nested["screening_questions"]  # the _systemfield_ ones are standard candidate fields
    assert [(q["title"], q["format"]["type"]) for q in questions] == [
        ("LinkedIn Profile URL", "TEXT"), ("How much software engineering experience do you have?", "SINGLE_SELECT"),
        ("Share a link (URL) to a dev-tool company you worked at before", "TEXT"),
        ("Why are you interested in this position?", "TEXT"),
    ]  # fmt: skip
    assert questions[0]["format"]["display_type"] == "URL" and questions[3]["format"]["display_type"] == "MULTI_LINE"
    assert [o["remote_id"] for o in questions[1]["format"]["options"]][0] == "0-5 years"
    assert questions[1]["description"].startswith("This role requires 5 years")
    (posting,) = job.nested["job_postings"]
    assert (posting["status"], posting["visibility"]) == ("ACTIVE", "PUBLIC")


def test_users_roles_and_stages() -> None:
    users = {r.remote_id: r for u in load("users.json")["results"] for r in mapped(m.map_user, u)}
    assert len(users) == 20 and [u.fields["status"] for u in users.values()].count("INACTIVE") == 17
    admin = users[uid(1)]
    assert (admin.fields["first_name"], admin.fields["last_name"], admin.fields["email"]) == (
        "Test", "User1", "user1@example.com",
    )  # fmt: skip
    assert admin.nested == {"system_roles": [{"remote_id": "global:Organization Admin",
                                              "remote_label": "Organization Admin", "unified_type": "ADMIN",
                                              "scope": "SYSTEM"}]}  # fmt: skip
    assert users[uid(5)].nested["system_roles"][0]["unified_type"] == "RECRUITER"  # type: ignore[index]
    rows = m.role_rows({"Organization Admin", "Custom Role"}, {"Hiring Manager"})
    roles = {r.remote_id: r.fields for row in rows for r in mapped(m.map_role, row)}
    assert roles["global:Custom Role"]["unified_type"] is None and roles["team:Sourcer"]["scope"] == "JOB"
    stage = load("application_single.json")["results"]["currentInterviewStage"]
    record = m.map_stage(uid(6), stage, CTX)
    assert record.remote_id == uid(3) and record.fields["index"] == 10
    assert record.fields["custom_fields"] == {"type": "Archived"} and record.fields["job_id"] == ref("jobs", uid(6))


def test_notes_files_interviews_offers_feedback() -> None:
    note = load("write_create_note.response.json")["results"]
    (rec,) = mapped(p.map_note, {**note, "_candidate_id": uid(1), "_application_ids": [uid(9)]})
    assert rec.fields["content_html"] == "<p>Test note from Nango action validation</p>"
    assert (rec.fields["author_id"], rec.fields["application_id"]) == (
        ref("users", uid(3)),
        ref("applications", uid(9)),
    )
    cand = load("candidate_single.json")["results"]
    (cv,) = mapped(p.map_files, cand)  # the resume is also in fileHandles: one attachment
    assert cv.remote_id == f"{uid(1)}/{uid(3)}" and cv.fields["type"] == "CV"
    assert cv.fields["application_id"] == ref("applications", uid(2)) and cv.fields["file_name"] == "Test User 2"
    titles = {i["id"]: i["title"] for i in load("interviews.json")["results"]}
    schedule = {"id": "s1", "status": "Scheduled", "applicationId": uid(1), "interviewStageId": uid(3),
                "interviewEvents": [{"id": "e1", "interviewId": uid(1), "startTime": "2026-06-01T10:00:00.000Z",
                                     "endTime": "2026-06-01T11:00:00.000Z", "interviewerUserIds": [uid(2)],
                                     "meetingLink": "https://meet.example/x", "location": None}]}  # fmt: skip
    (interview,) = mapped(p.map_schedule, {**schedule, "_titles": titles})
    assert interview.fields["title"] == "1st cultural interview" and interview.nested == {"user_ids": [
        ref("users", uid(2))]}  # fmt: skip
    assert interview.fields["stage_id"] == ref("application_stages", uid(3)) and interview.fields["canceled"] is False
    offer = {"id": "o1", "applicationId": uid(1), "acceptanceStatus": "Accepted", "decidedAt": None,
             "latestVersion": {"startDate": "2026-07-01", "createdAt": "2026-06-01T10:00:00.000Z",
                               "salary": {"currencyCode": "USD", "value": 1}, "customFields": []}}  # fmt: skip
    assert mapped(p.map_offer, offer)[0].fields["status"] == "ACCEPTED"


#: errorInfo.code (or errors[0]) of a ``success: false`` answer -> the contract's code.
CLASSIFIED = {
    "missing_endpoint_permission": "INTEGRATION.PERMISSION_MISSING", "invalid_api_key":
    "INTEGRATION.AUTHENTICATION_INVALID", "unauthenticated": "INTEGRATION.AUTHENTICATION_INVALID",
    "invalid_input": "REMOTE.INPUT_INVALID", "application_not_found": "REMOTE.INPUT_INVALID",
}  # fmt: skip


def test_success_false_bodies_are_classified() -> None:
    for code, expected in CLASSIFIED.items():
        for body in ({"success": False, "errors": [code]}, {"success": False, "errorInfo": {"code": code}}):
            assert rpc.classify(body).code == expected
            with pytest.raises(RemoteError) as info:
                rpc.check(httpx.Response(200), body)
            assert info.value.code == expected, body
    rpc.check(httpx.Response(200), {"success": True, "results": []})
    assert isinstance(rpc.classify({"success": False, "errors": ["sync_token_expired"]}), rpc.SyncTokenExpired)


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

    def info(self) -> IntegrationInfo:
        return IntegrationInfo(self.iid, "ashby", {"base_url": self.url, "requests_per_second": 1000},
                               {"api_key": "ashby_key"})  # fmt: skip


def expected_keys(fake: FakeState) -> set[tuple[str, str]]:
    with fake.lock:
        keys = {("users", u) for u in fake.users} | {("tags", t) for t in fake.tags}
        keys |= {("rejection_reasons", r) for r in fake.reasons} | {("jobs", j) for j in fake.jobs}
        keys |= {("application_stages", s["id"]) for stages in fake.plans.values() for s in stages}
        keys |= {("candidates", c) for c in fake.candidates} | {("applications", a) for a in fake.applications}
        keys |= {("interviews", e["id"]) for s in fake.schedules.values() for e in s["interviewEvents"]}
        keys |= {("offers", o) for o in fake.offers} | {("scorecards", f) for f in fake.feedback}
        keys |= {("notes", n["id"]) for notes in fake.notes.values() for n in notes}
        for cid, cand in fake.candidates.items():
            keys |= {("attachments", f"{cid}/{h['id']}") for h in cand["fileHandles"]}
        seen_global = {u["globalRole"] for u in fake.users.values()}
        seen_team = {t["role"] for j in fake.jobs.values() for t in j["hiringTeam"]}
    return keys | {("roles", r["id"]) for r in m.role_rows(seen_global, seen_team)}


def live_keys(t: Tenant) -> set[tuple[str, str]]:
    return {key for key, row in t.snapshot().items() if row.deleted_at is None}


def drain(info: IntegrationInfo, stream: str, tokens: dict[str, str] | None = None,
          since: datetime | None = None) -> tuple[list[str], dict[str, str]]:  # fmt: skip
    """Read one stream straight from the connector (no engine): record ids and the syncTokens received."""
    chosen = next(s for s in CONNECTOR.streams if s.name == stream)

    async def run() -> tuple[list[str], dict[str, str]]:
        source = open_source(info, tokens)
        try:
            ids = [r["id"] async for page in source.read(chosen, since) for r in page]
        finally:
            await source.aclose()
        return ids, dict(source.sync_tokens)

    return asyncio.run(run())


@pytest.fixture
def ab(engine: Engine, settings: Settings, environment: str) -> Iterator[Callable[..., Tenant]]:
    with ExitStack() as stack:
        made: list[str] = []

        def make(records: int = 24, rate_limit: tuple[int, float] | None = None, key: str = "ashby_key",
                 **config: Any) -> Tenant:  # fmt: skip
            app = create_app(seed=3, records=records, rate_limit=rate_limit)
            url = stack.enter_context(serve_asgi(app))
            cfg = {"base_url": url, "requests_per_second": 1000, "sync_all_applications": True, **config}
            iid = create_integration(engine, settings, environment, "ashby", "Org", config=cfg,
                                     credentials={"api_key": key})  # fmt: skip
            made.append(iid)
            return Tenant(app.state.fake, url, iid, engine, settings)

        yield make
        with engine.begin() as conn:
            conn.execute(update(integrations).where(integrations.c.id.in_(made)).values(enabled=False))


def test_full_sync_equals_the_fake_and_follows_cursors(ab: Callable[..., Tenant]) -> None:
    t = ab()
    t.fake.page_cap = 7
    result = t.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert not result.mapping_errors
    assert live_keys(t) == expected_keys(t.fake)
    assert sum('"cursor"' in r for r in t.fake.requests) >= 6
    fake = t.fake
    aid, app = next((i, a) for i, a in sorted(fake.applications.items()) if a["status"] == "Archived")
    got = t.rows("applications")[aid].data
    assert (got["outcome"], got["rejection_reason_name"]) == ("DECLINED", app["archiveReason"]["text"])
    assert got["rejected_at"] == app["archivedAt"] and got["job_id"] == t.ref("jobs", app["job"]["id"])
    assert got["current_stage_id"] == t.ref("application_stages", app["currentInterviewStage"]["id"])
    cid, cand = next((i, c) for i, c in sorted(fake.candidates.items()) if c["tags"] and c["fileHandles"])
    stored = t.rows("candidates")[cid]
    assert stored.data["first_name"] + " " + stored.data["last_name"] == cand["name"]
    assert stored.nested == {"tag_ids": [t.ref("tags", x["id"]) for x in cand["tags"]]}
    job = next(j for j in fake.jobs.values() if len(j["jobPostingIds"]) == 2)
    nested = t.rows("jobs")[job["id"]].nested or {}
    assert [x["remote_id"] for x in nested["job_postings"]][0] == next(
        i for i in job["jobPostingIds"] if fake.postings[i]["isListed"]
    )
    assert len(nested["screening_questions"]) == 4
    stage = fake.plans[job["defaultInterviewPlanId"]][7]
    assert t.rows("application_stages")[stage["id"]].data == {
        "name": "Archived", "status": "ACTIVE", "index": 7, "job_id": t.ref("jobs", job["id"]),
        "custom_fields": {"type": "Archived"}}  # fmt: skip
    schedule = next(iter(fake.schedules.values()))
    event = t.rows("interviews")[schedule["interviewEvents"][0]["id"]].data
    assert event["title"] == next(i["title"] for i in fake.interviews if i["id"] == schedule["interviewEvents"][0][
        "interviewId"]) and event["canceled"] == (schedule["status"] == "Cancelled")  # fmt: skip
    card = t.rows("scorecards")[next(iter(fake.feedback))].data
    assert [r["type"] for r in card["responses"]] == ["NUMBER", "TEXT", "SINGLE_SELECT"]


def test_delta_sync_changes_exactly_the_mutated_records(ab: Callable[..., Tenant]) -> None:
    t = ab()
    assert t.sync(full=True).status == "SUCCEEDED"
    before = t.snapshot()
    fake = t.fake
    cands = sorted(fake.candidates)
    edited, noted, doomed = cands[:3]
    spared = set(fake.candidates[doomed]["applicationIds"])
    open_apps = [
        a for a, x in sorted(fake.applications.items()) if x["status"] in ("Active", "Lead") and a not in spared
    ]
    moved, hired, archived = open_apps[:3]
    plan = fake.applications[moved]["currentInterviewStage"]["interviewPlanId"]
    target = next(s for s in fake.plans[plan] if s["type"] == "Active"
                  and s["id"] != fake.applications[moved]["currentInterviewStage"]["id"])  # fmt: skip
    held = expected_keys(fake)
    fake.edit_candidate(edited, name="Renamed Person")
    fake.change_stage(moved, target["id"])
    fake.hire(hired)
    fake.archive(archived)
    note = fake.add_note(noted, "Called back")
    fake.delete_candidate(doomed)
    job = next(iter(fake.jobs))
    fake.edit_job(job, title="Renamed job")
    gone = held - expected_keys(fake)
    assert ("candidates", doomed) in gone
    fake.log.clear()

    result = t.sync(full=False)
    assert (result.status, result.type) == ("SUCCEEDED", "DELTA"), result.error
    after = t.snapshot()
    changed = {key for key, row in after.items() if key not in before or row.changed_at != before[key].changed_at}
    assert changed == {("candidates", edited), ("candidates", noted), ("applications", moved), ("applications", hired),
                       ("applications", archived), ("notes", note["id"]), ("jobs", job)}  # fmt: skip
    notes_asked = [r for r in fake.requests if r.startswith("POST /candidate.listNotes")]
    assert len(notes_asked) == 2  # only the candidates updated since the last run
    assert after[("candidates", edited)].data["last_name"] == "Person"
    assert after[("applications", hired)].data["outcome"] == "HIRED"
    assert after[("applications", archived)].data["outcome"] == "DECLINED"
    assert after[("applications", moved)].data["current_stage_id"] == t.ref("application_stages", target["id"])
    assert all(row.deleted_at is None for row in after.values()), "a delta cannot see deletions"

    assert t.sync(full=True).status == "SUCCEEDED"
    final = t.snapshot()
    assert {key for key, row in final.items() if row.deleted_at is not None} == gone
    assert {key for key, row in final.items() if row.changed_at != after[key].changed_at} == gone


def test_sync_tokens_ask_only_for_changes_and_survive_expiry(ab: Callable[..., Tenant]) -> None:
    t = ab(records=12)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    everything, tokens = drain(t.info(), "candidates")
    assert sorted(everything) == sorted(t.fake.candidates) and set(tokens) == {"candidates"}
    cid = everything[3]
    t.fake.edit_candidate(cid, company="Globex")
    changed, newer = drain(t.info(), "candidates", tokens, since)
    assert changed == [cid] and newer["candidates"] != tokens["candidates"]
    assert '"syncToken"' in [r for r in t.fake.requests if r.startswith("POST /candidate.list")][-1]
    assert drain(t.info(), "candidates", newer, since)[0] == []  # nothing changed since
    assert sorted(drain(t.info(), "candidates", newer)[0]) == sorted(t.fake.candidates)  # a full read sends none
    t.fake.expire_sync_tokens()
    again, fresh = drain(t.info(), "candidates", newer, since)
    assert sorted(again) == sorted(t.fake.candidates) and fresh["candidates"]  # expired: listed in full


@pytest.mark.parametrize(
    "code, status, expected",
    [
        ("missing_endpoint_permission", 200, "INTEGRATION.PERMISSION_MISSING"),
        ("missing_endpoint_permission", 403, "INTEGRATION.PERMISSION_MISSING"),
        ("invalid_api_key", 200, "INTEGRATION.AUTHENTICATION_INVALID"),
        ("invalid_input", 200, "REMOTE.INPUT_INVALID"),
    ],
)
def test_success_false_answers_fail_reads_with_the_contract_codes(
    ab: Callable[..., Tenant], code: str, status: int, expected: str
) -> None:
    t = ab(records=4)
    t.fake.fail_body_next(1, code, path="/candidate.list", status=status)
    with pytest.raises(RemoteError) as info:
        drain(t.info(), "candidates")
    assert info.value.code == expected


def test_wrong_or_missing_key_is_authentication_invalid(ab: Callable[..., Tenant]) -> None:
    t = ab(records=4, key="wrong")
    result = t.sync(full=True)
    assert result.status == "FAILED" and "invalid_api_key" in (result.error or "")
    for credentials in ({"api_key": "wrong"}, {}):
        with pytest.raises(RemoteError) as caught:
            drain(IntegrationInfo(t.iid, "ashby", {"base_url": t.url}, credentials), "users")
        assert caught.value.code == "INTEGRATION.AUTHENTICATION_INVALID", credentials


def test_storms_bursts_and_success_false_mid_run(ab: Callable[..., Tenant]) -> None:
    t = ab()
    t.fake.faults.rate_limit_storm(5, path="/application.list")
    t.fake.faults.fail_next(3, 503)
    t.fake.faults.fail_next(2, 502, path="/candidate.listNotes")
    t.fake.faults.slow_next(2, 0.2)
    result = t.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert t.fake.faults.spent() and result.http["rate_limited"] >= 5
    assert live_keys(t) == expected_keys(t.fake)
    before = t.snapshot()
    t.fake.delete_candidate(min(t.fake.candidates))
    t.fake.fail_body_next(1, "missing_endpoint_permission", path="/offer.list")
    failed = t.sync(full=True)
    assert failed.status == "FAILED" and "missing_endpoint_permission" in (failed.error or "")
    assert t.snapshot() == before, "a failed run deletes and changes nothing"


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_cleanly_and_delete_nothing(ab: Callable[..., Tenant], break_it: str) -> None:
    t = ab()
    assert t.sync(full=True).status == "SUCCEEDED"
    before = t.snapshot()
    t.fake.delete_candidate(min(t.fake.candidates))
    if break_it == "truncate":
        t.fake.faults.truncate_next(1, path="/applicationFeedback.list")
    else:
        t.fake.faults.fail_next(1000, 503, path="/interviewSchedule.list")
    failed = t.sync(full=True)
    assert failed.status == "FAILED" and failed.error
    with t.engine.connect() as conn:
        assert conn.execute(select(sync_runs.c.status).where(sync_runs.c.id == failed.run_id)).scalar() == "FAILED"
    assert t.snapshot() == before
    t.fake.faults.clear()
    assert t.sync(full=True).status == "SUCCEEDED"
    assert live_keys(t) == expected_keys(t.fake)


def test_download_goes_through_file_info(ab: Callable[..., Tenant]) -> None:
    t = ab(records=6)
    assert t.sync(full=True).status == "SUCCEEDED"
    with t.engine.connect() as conn:
        integration = platform.get_integration(conn, t.iid)
    assert integration is not None
    info = SyncEngine(t.engine, t.settings).integration_info(integration)
    cid, cand = next((i, c) for i, c in t.fake.candidates.items() if c["resumeFileHandle"])
    handle = cand["resumeFileHandle"]

    def download(remote_id: str) -> tuple[bytes, str, str] | None:
        assert CONNECTOR.download is not None
        return asyncio.run(CONNECTOR.download(info, remote_id))

    assert download(p.attachment_remote_id(cid, handle["id"])) == (b"%PDF-1.4 cv\n", handle["name"],
                                                                    "application/pdf")  # fmt: skip
    assert download(p.attachment_remote_id(cid, "missing")) is None
    assert download("no-slash") is None


def test_fake_speaks_ashby() -> None:
    app = create_app(seed=5, records=12, rate_limit=(3, 30.0))
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url, httpx.Client(base_url=url, auth=("ashby_key", "")) as c:
        assert httpx.post(url + "/candidate.list", json={}).status_code == 401
        assert httpx.post(url + "/candidate.list", json={}, auth=("nope", "")).status_code == 403
        first = c.post("/candidate.list", json={"limit": 5}).json()
        assert first["success"] and first["moreDataAvailable"] and "syncToken" not in first
        second = c.post("/candidate.list", json={"limit": 5, "cursor": first["nextCursor"]}).json()
        assert {x["id"] for x in second["results"]}.isdisjoint({x["id"] for x in first["results"]})
        limited = [c.post("/candidate.list", json={}) for _ in range(2)][-1]  # the bucket holds 3
        assert limited.status_code == 429 and float(limited.headers["Retry-After"]) > 0
        fake.rate_limit = None
        bad = c.post("/candidate.list", json={"limit": 101}).json()
        assert bad == {
            "success": False,
            "errors": ["invalid_input"],
            "errorInfo": {"code": "invalid_input", "message": "limit must be between 1 and 100"},
        }
        assert c.post("/candidate.list", json={"updatedAfter": 1}).json()["success"] is False
        done = c.post("/user.list", json={"includeDeactivated": True}).json()
        assert done["moreDataAvailable"] is False and done["syncToken"]
        assert c.post("/source.list", json={}).json().keys() == {"success", "results", "moreDataAvailable"}
        unknown = c.post("/application.info", json={"applicationId": "x"}).json()
        assert unknown["errorInfo"]["code"] == "application_not_found"


# ------------------------------------------------------------------------------------------------- webhooks


def _ashby_signed(body: bytes, secret: str) -> dict[str, str]:
    """Ashby's header, computed by hand: ``sha256=<hex HMAC-SHA256(secret, raw body)>``."""
    import hashlib
    import hmac

    return {"ashby-signature": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_webhook_signature_is_an_hmac_of_the_raw_body() -> None:
    from atsbridge.connectors import kit

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.registration == "api"
    body = orjson.dumps({"webhookActionId": "act-1", "action": "applicationUpdate",
                         "data": {"application": {"id": uid(1)}}})  # fmt: skip
    hooks.verify(_ashby_signed(body, "s3cret"), body, "s3cret", 0.0)  # no timestamp signed: any time
    refusals = {
        "wrong secret": (_ashby_signed(body, "other"), body),
        "tampered body": (_ashby_signed(body, "s3cret"), body.replace(b"act-1", b"act-2")),
        "no header": ({}, body),
        "no sha256= prefix": ({"ashby-signature": _ashby_signed(body, "s3cret")["ashby-signature"][7:]}, body),
    }
    for name, (headers, sent) in refusals.items():
        with pytest.raises(kit.WebhookRefused):
            hooks.verify(headers, sent, "s3cret", 0.0)
            pytest.fail(f"accepted: {name}")


def test_webhook_actions_touch_streams_and_dedupe_on_the_action_id() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.delivery_id is not None
    event = {"webhookActionId": "act-1", "action": "candidateStageChange", "data": {}}
    assert {t.stream for t in hooks.events(event)} == {"applications", "candidates"}
    assert {t.stream for t in hooks.events({**event, "action": "offerUpdate"})} == {"offers"}
    assert hooks.events({**event, "action": "ping"}) == []
    assert hooks.delivery_id({}, event) == "act-1"
    streams = {s.name for s in CONNECTOR.streams}
    assert {t.stream for e in hooks.event_names for t in hooks.events({"action": e})} <= streams


def test_webhooks_register_one_per_type_with_a_ping_and_unregister_tolerates_gone_ones(
    ab: Callable[..., Tenant],
) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from atsbridge.connectors import kit

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.register is not None and hooks.unregister is not None
    register, unregister, verify = hooks.register, hooks.unregister, hooks.verify
    pings: list[Any] = []

    async def receive(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            verify({k.lower(): v for k, v in request.headers.items()}, body, "ours", 0.0)
        except kit.WebhookRefused:
            return JSONResponse({}, status_code=401)
        pings.append(orjson.loads(body))
        return JSONResponse({})

    t = ab()
    with serve_asgi(Starlette(routes=[Route("/hook", receive, methods=["POST"])])) as receiver:

        async def at_ashby(call: Any) -> Any:
            source = open_source(t.info())
            try:
                return await call(source)
            finally:
                await source.aclose()

        made = asyncio.run(at_ashby(lambda s: register(s, receiver + "/hook", "ours")))
        assert len(made.ids) == len(hooks.event_names) and made.secrets == []
        assert [p["action"] for p in pings] == ["ping"] * len(made.ids), "Ashby pings each new webhook"
        assert {r["webhookType"] for r in t.fake.webhook_records.values()} == set(hooks.event_names)
        assert all(r["enabled"] for r in t.fake.webhook_records.values())
        # a receiver refusing the ping (wrong secret here) gets its webhook saved disabled, and nothing sent
        refused = asyncio.run(at_ashby(lambda s: rpc.call(s.client, "webhook.create", {
            "webhookType": "jobCreate", "requestUrl": receiver + "/hook", "secretToken": "not-ours"})))  # fmt: skip
        assert refused["enabled"] is False and len(t.fake.webhooks.targets) == len(made.ids)
    asyncio.run(at_ashby(lambda s: rpc.call(s.client, "webhook.delete", {"webhookId": made.ids[0]})))
    asyncio.run(at_ashby(lambda s: unregister(s, made.ids)))  # the first one is already gone
    assert list(t.fake.webhook_records) == [refused["id"]] and t.fake.webhooks.targets == []

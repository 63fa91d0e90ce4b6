"""Teamtailor connector: golden mapper tests on the recorded payloads (unchanged), then syncs against the stateful
fake served on a real port, on SQLite and PostgreSQL."""

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
from atsbridge.connectors.base import IntegrationInfo, MapContext, Mapper
from atsbridge.connectors.teamtailor import CONNECTOR, base_url
from atsbridge.connectors.teamtailor import mappers as m
from atsbridge.connectors.teamtailor.jsonapi import index, primary, with_included
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.teamtailor import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import MODEL_TABLES, integrations
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("teamtailor")
CTX = MapContext("teamtailor:golden")
HEADERS = {"Authorization": "Token token=teamtailor_key", "X-Api-Version": "20240904"}


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def ts(text: str) -> str:
    return format_ts(parse_ts(text))


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


def linked(resource: Raw, links: dict[str, Any], included: list[Raw]) -> Raw:
    """A recorded resource as an ``include`` would serve it: the same resource plus relationship linkage, with
    the (equally recorded) included resources attached. The recorded resources themselves stay unchanged."""
    rels = {name: {**(resource.get("relationships") or {}).get(name, {}), "data": data} for name, data in links.items()}
    return with_included({**resource, "relationships": {**(resource.get("relationships") or {}), **rels}},
                         index(included))  # fmt: skip


# ------------------------------------------------------------------------------------------- golden tests


def test_jobs_map_status_visibility_links_and_times() -> None:
    jobs = [r for raw in load("jobs.json")["data"] for r in mapped(m.map_job, raw)]
    assert [j.remote_id for j in jobs] == ["27", "26"]
    ember = jobs[0]
    assert ember.fields["name"] == "EmberJS Developer" and ember.fields["status"] == "OPEN"
    assert ember.fields["visibility"] == "PUBLIC" and ember.fields["remote_work_status"] is None
    assert ember.fields["description"] == "<p>Come build ambitious web applications with us!<br></p>"
    assert ember.fields["post_url"] == "http://company0.teamtailor.localhost/jobs/27-emberjs-developer"
    assert ember.fields["remote_created_at"] == "2020-03-25T12:45:48.855Z"  # +01:00 in the payload
    assert ember.fields["department"] is None and ember.fields["contact_id"] is None  # relations not included
    assert ember.nested is not None
    assert ember.nested["job_postings"][0]["status"] == "ACTIVE" and ember.nested["screening_questions"] == []
    (docs_job,) = mapped(m.map_job, load("job.docs.json")["data"])
    assert docs_job.fields["remote_work_status"] == "ON_SITE" and docs_job.fields["name"] == "My new job"
    hybrid = mapped(m.map_job, load("jobs.docs.json")["data"][0])[0]
    assert hybrid.fields["remote_work_status"] == "HYBRID"


def test_job_with_included_department_location_recruiter_and_questions() -> None:
    job = load("jobs.json")["data"][0]
    department, location = load("departments.json")["data"][1], load("locations.json")["data"][0]
    picked = load("picked-questions.docs.json")["data"]
    raw = linked(job, {"department": {"type": "departments", "id": "2"},
                       "locations": [{"type": "locations", "id": "1"}], "user": {"type": "users", "id": "33"},
                       "picked-questions": [{"type": "picked-questions", "id": p["id"]} for p in picked]},
                 [department, location, *picked])  # fmt: skip
    (rec,) = mapped(m.map_job, raw)
    assert rec.fields["department"] == "Sales" and rec.fields["contact_id"] == ref("users", "33")
    assert rec.fields["location"] == {"city": "Stockholm", "country": "Sweden", "raw": "Stockholm",
                                      "street_1": "Sankt Paulsgatan 7B", "zip_code": "118 46", "state": None,
                                      "street_2": None}  # fmt: skip
    assert rec.nested is not None
    assert rec.nested["hiring_team"][0]["user_id"] == ref("users", "33")
    assert rec.nested["hiring_team"][0]["hiring_team_roles"] == ["RECRUITER"]
    assert rec.nested["screening_questions"] == []  # picked questions without their question are skipped


def test_compound_application_names_candidate_and_job() -> None:
    doc = load("job-application.included-candidate-job.json")
    (app,) = mapped(m.map_application, with_included(doc["data"], index(doc["included"])))
    assert app.remote_id == "634" and app.fields["outcome"] == "PENDING"
    assert app.fields["candidate_id"] == ref("candidates", "410") and app.fields["job_id"] == ref("jobs", "26")
    assert app.fields["current_stage_id"] is None  # stage was not included in this recording
    assert app.fields["remote_created_at"] == "2020-03-31T13:46:24.154Z"
    assert app.fields["screening_question_answers"] is None  # the job's questions were not known
    candidate = next(r for r in doc["included"] if r["type"] == "candidates")
    (cand,) = mapped(m.map_candidate, candidate)
    assert (cand.fields["first_name"], cand.fields["last_name"]) == ("Jonas", "Wennergren")
    assert cand.fields["email_addresses"] == [{"email_address": "jowen@teamtailor.localhost", "type": None}]


def test_rejected_and_hired_outcomes() -> None:
    rejected = [r for raw in load("job-applications.docs.json")["data"] for r in mapped(m.map_application, raw)]
    assert {r.fields["outcome"] for r in rejected} == {"DECLINED"}
    assert rejected[0].fields["rejected_at"] == ts("2015-09-09T11:26:33.991+02:00")
    assert rejected[0].fields["rejection_reason_name"] is None  # the reason was not included
    pending = mapped(m.map_application, load("job-applications.json")["data"][1])[0]
    assert pending.fields["outcome"] == "PENDING" and pending.fields["rejected_at"] is None
    stages = load("stages.json")["data"]
    app = load("job-applications.json")["data"][0]
    hired = linked(app, {"stage": {"type": "stages", "id": "5"}}, stages)
    assert m.outcome(hired) == "HIRED"
    reason = load("reject-reasons.json")["data"][1]
    declined = linked(load("job-applications.docs.json")["data"][0],
                      {"reject-reason": {"type": "reject-reasons", "id": "2"}}, [reason])  # fmt: skip
    (rec,) = mapped(m.map_application, declined)
    assert rec.fields["rejection_reason_name"] == "Took another job"


def test_candidates_map_contacts_source_and_custom_fields() -> None:
    (cand,) = mapped(m.map_candidate, load("candidates.json")["data"][0])
    assert (cand.fields["first_name"], cand.fields["last_name"]) == ("Gregoria", "Deckow")
    assert cand.fields["email_addresses"] == [{"email_address": "applicant1@example.com", "type": None}]
    assert cand.fields["phone_numbers"] == [] and cand.fields["custom_fields"] is None
    assert cand.fields["remote_updated_at"] == "2020-03-18T10:39:32.440Z" and cand.nested == {"tag_ids": []}
    (docs,) = mapped(m.map_candidate, load("candidate.docs.json")["data"])
    assert docs.fields["phone_numbers"] == [{"phone_number": "0700000000", "type": None}]
    assert docs.fields["source"] == "Facebook" and docs.remote_id == "1337"
    values, fields = load("custom-field-values.json")["data"], load("custom-fields.json")["data"]
    value = linked(values[0], {"custom-field": {"type": "custom-fields", "id": "2"}}, [])
    raw = linked(
        load("candidates.json")["data"][0],
        {"custom-field-values": [{"type": "custom-field-values", "id": "1"}]},
        [value, *fields],
    )
    assert mapped(m.map_candidate, raw)[0].fields["custom_fields"] == {"github-profile": "https://github.com/bzf"}


def test_stages_users_reasons_notes_and_uploads() -> None:
    stages = [mapped(m.map_stage, {**s, "_index": i})[0] for i, s in enumerate(load("stages.json")["data"])]
    assert [(s.fields["name"], s.fields["index"]) for s in stages] == [("Inbox", 0), ("Reviewing", 1), ("Hired", 2)]
    assert all(s.fields["job_id"] is None for s in stages)  # job relation not included in this recording
    users = {r.remote_id: r for u in load("users.json")["data"] for r in mapped(m.map_user, u)}
    assert users["33"].fields["first_name"] == "Ortiz12" and users["33"].fields["email"] == "email29@example.com"
    assert users["33"].nested == {"system_roles": [{"remote_id": "admin", "remote_label": "Admin",
                                                    "unified_type": "ADMIN", "scope": "SYSTEM"}]}  # fmt: skip
    assert users["34"].fields["first_name"] is None and users["34"].fields["email"] == "admin@teamtailor.localhost"
    erik = mapped(m.map_user, load("users.docs.json")["data"][0])[0]
    assert (erik.fields["first_name"], erik.fields["last_name"]) == ("Erik", "Andersson")
    reasons = [r for x in load("reject-reasons.json")["data"] for r in mapped(m.map_reject_reason, x)]
    assert len(reasons) == 10 and reasons[1].fields["name"] == "Took another job"
    (note,) = [r for n in primary(load("notes.docs.json")) for r in mapped(m.map_note, n)]
    assert note.fields["candidate_id"] == ref("candidates", "4") and note.fields["author_id"] == ref("users", "2")
    assert note.fields["content_html"] == "<p>Example note</p>" and note.fields["is_private"] is False
    assert note.fields["remote_updated_at"] == ts("2020-07-16T11:32:25.200+02:00")
    upload = load("uploads.json")["data"][0]
    assert mapped(m.map_attachment, upload) == []  # no candidate linkage: not a candidate's file
    (file,) = mapped(m.map_attachment, linked(upload, {"candidate": {"type": "candidates", "id": "1"}}, []))
    assert (file.fields["file_name"], file.fields["content_type"], file.fields["type"]) == (
        "resume.pdf", "application/pdf", "OTHER")  # fmt: skip
    (resume,) = mapped(m.map_attachment, {"type": "resumes", "id": "resume-1", "_candidate": "1"})
    assert resume.fields["type"] == "CV" and resume.fields["candidate_id"] == ref("candidates", "1")


def test_answers_follow_their_question_type() -> None:
    answer = load("answers.docs.json")["data"][0]
    text = {"id": "9", "type": "questions", "attributes": {"question-type": "Text", "title": "Cover letter"}}
    assert m.screening_answer(answer, text, CTX) == {
        "question": {"remote_id": "9", "title": "Cover letter", "type": "TEXT"},
        "answer": {"content": "Dear Sir/Madam…"},
    }
    assert load("picked-questions.docs.json")["data"][0]["attributes"] == {"mandatory": False}


def test_region_picks_the_stack() -> None:
    assert base_url({}) == "https://api.teamtailor.com/v1"
    assert base_url({"region": "na"}) == "https://api.na.teamtailor.com/v1"
    assert base_url({"region": "NA", "base_url": "http://fake/v1/"}) == "http://fake/v1"


# ------------------------------------------------------------------------------------- against the fake


@dataclass
class Teamtailor:
    fake: FakeState
    integration_id: str
    url: str


def retire(engine: Engine, iid: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@contextmanager
def serving(engine: Engine, settings: Settings, environment: str, app: Any, **config: Any) -> Iterator[Teamtailor]:
    with serve_asgi(app) as url:
        cfg = {"base_url": url + "/v1", "sync_all_applications": True, "requests_per_10s": 10_000, **config}
        iid = create_integration(engine, settings, environment, "teamtailor", "Org", config=cfg,
                                 credentials={"api_key": "teamtailor_key"})  # fmt: skip
        try:
            yield Teamtailor(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


@pytest.fixture
def tt(engine: Engine, settings: Settings, environment: str) -> Iterator[Teamtailor]:
    app = create_app(seed=3, records=30, rate_limit=None)
    app.state.fake.page_cap = 12  # several pages per listing
    with serving(engine, settings, environment, app) as served:
        yield served


def run(engine: Engine, settings: Settings, iid: str, *, full: bool) -> SyncResult:
    return asyncio.run(SyncEngine(engine, settings).run(iid, full=full))


def rows(engine: Engine, iid: str, model: str) -> dict[str, Any]:
    table = MODEL_TABLES[model]
    with engine.connect() as conn:
        return {r.remote_id: r for r in conn.execute(select(table).where(table.c.integration_id == iid)).all()}


def live(engine: Engine, iid: str, model: str) -> dict[str, Raw]:
    return {k: orjson.loads(r.data) for k, r in rows(engine, iid, model).items() if r.remote_deleted_at is None}


def expected_counts(fake: FakeState) -> dict[str, int]:
    candidates = fake.of("candidates")
    tags = {t for c in candidates for t in c["attributes"]["tags"]}
    roles = {u["attributes"]["role"] for u in fake.of("users")}
    files = [u for u in fake.of("uploads") if u["rel"].get("candidate")]
    return {
        "users": len(fake.of("users")), "roles": len(roles) + 1, "rejection_reasons": len(fake.of("reject-reasons")),
        "jobs": len(fake.of("jobs")), "application_stages": len(fake.of("stages")), "candidates": len(candidates),
        "applications": len(fake.of("job-applications")), "tags": len(tags), "notes": len(fake.of("notes")),
        "attachments": len(files) + sum(1 for c in candidates if c["attributes"]["resume"]),
    }  # fmt: skip


def assert_matches_fake(engine: Engine, served: Teamtailor) -> None:
    iid, fake = served.integration_id, served.fake
    counts = {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models}
    assert counts == expected_counts(fake)
    cands, apps, jobs = (live(engine, iid, x) for x in ("candidates", "applications", "jobs"))
    for cand in fake.of("candidates")[:6]:
        attrs, got = cand["attributes"], cands[cand["id"]]
        assert (got["first_name"], got["last_name"]) == (attrs["first-name"], attrs["last-name"])
        assert got["email_addresses"] == [{"email_address": attrs["email"], "type": None}]
        assert got["remote_updated_at"] == ts(attrs["updated-at"]) and got["source"] == attrs["referring-site"]
    for app in fake.of("job-applications"):
        got = apps[app["id"]]
        assert got["job_id"] == record_id(iid, "jobs", app["rel"]["job"][1])
        assert got["candidate_id"] == record_id(iid, "candidates", app["rel"]["candidate"][1])
        stage = fake.get("stages", app["rel"]["stage"][1])
        assert got["current_stage_id"] == record_id(iid, "application_stages", stage["id"])
        hired = stage["attributes"]["stage-type"] == "Hired"
        rejected = app["attributes"]["rejected-at"] is not None
        assert got["outcome"] == ("HIRED" if hired else "DECLINED" if rejected else "PENDING")
        asked = [p["rel"]["question"][1] for p in fake.store.related(fake.get("jobs", app["rel"]["job"][1]),
                                                                      "picked-questions")]  # fmt: skip
        assert [a["question"]["remote_id"] for a in got["screening_question_answers"]] == asked
    for job in fake.of("jobs"):
        assert jobs[job["id"]]["name"] == job["attributes"]["title"]
        assert len(jobs[job["id"]]["post_url"] or "") > 0


def test_full_sync_equals_the_fake(engine: Engine, settings: Settings, tt: Teamtailor) -> None:
    result = run(engine, settings, tt.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.mapping_errors == []
    assert_matches_fake(engine, tt)
    jobs = rows(engine, tt.integration_id, "jobs")
    job = next(j for j in tt.fake.of("jobs") if tt.fake.store.related(j, "picked-questions"))
    questions = orjson.loads(jobs[job["id"]].nested)["screening_questions"]
    picked = tt.fake.store.related(job, "picked-questions")
    assert [q["required"] for q in questions] == [p["attributes"]["mandatory"] for p in picked]
    stages = live(engine, tt.integration_id, "application_stages")
    own = tt.fake.stages_of(job["id"])
    assert [stages[s["id"]]["index"] for s in own] == list(range(len(own)))
    assert {stages[s["id"]]["job_id"] for s in own} == {record_id(tt.integration_id, "jobs", job["id"])}
    unfiltered = [r for r in tt.fake.log.lines() if r.startswith("GET /v1/jobs?") and "all" not in r]
    assert not unfiltered  # every jobs page asked for filter[status]=all


def _pending_apps(fake: FakeState, count: int) -> list[Raw]:
    found = []
    for app in fake.of("job-applications"):
        stage = fake.get("stages", app["rel"]["stage"][1])
        if stage["attributes"]["stage-type"] != "Hired" and not app["attributes"]["rejected-at"]:
            found.append(app)
    return found[:count]


def test_delta_changes_exactly_the_mutated_records(engine: Engine, settings: Settings, tt: Teamtailor) -> None:
    fake, iid = tt.fake, tt.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    before = {model: rows(engine, iid, model) for model in CONNECTOR.capabilities.models}
    moved, hired, rejected = _pending_apps(fake, 3)
    busy = {moved["rel"]["candidate"][1], hired["rel"]["candidate"][1], rejected["rel"]["candidate"][1]}
    edited, deleted = [c["id"] for c in fake.of("candidates") if c["id"] not in busy][:2]
    stages = fake.stages_of(moved["rel"]["job"][1])
    target = next(s for s in stages if s["id"] != moved["rel"]["stage"][1] and s["attributes"]["stage-type"] != "Hired")
    fake.edit_candidate(edited, **{"last-name": "Changed"})
    fake.move_stage(moved["id"], target["id"])
    fake.hire(hired["id"])
    fake.reject(rejected["id"], "11")
    note = fake.add_note(edited, "Called back")
    gone_apps = {a["id"] for a in fake.applications_of(deleted)}
    fake.delete_candidate(deleted)

    delta = run(engine, settings, iid, full=False)
    assert delta.status == "SUCCEEDED" and delta.type == "DELTA", delta.error
    changed = {"candidates": {edited}, "applications": {moved["id"], hired["id"], rejected["id"]}}
    for model, old in before.items():
        new = rows(engine, iid, model)
        for remote_id, row in old.items():
            moved_row = (new[remote_id].changed_at, new[remote_id].remote_deleted_at) != (row.changed_at, None)
            assert moved_row == (remote_id in changed.get(model, set())), (model, remote_id)
        assert set(new) - set(old) == ({note["id"]} if model == "notes" else set()), model
    apps = live(engine, iid, "applications")
    assert apps[hired["id"]]["outcome"] == "HIRED" and apps[rejected["id"]]["outcome"] == "DECLINED"
    assert apps[rejected["id"]]["rejection_reason_name"] == "Not a fit"
    assert apps[moved["id"]]["current_stage_id"] == record_id(iid, "application_stages", target["id"])
    assert live(engine, iid, "candidates")[edited]["last_name"] == "Changed"
    assert deleted in live(engine, iid, "candidates")  # no tombstones: a delta cannot see the deletion

    full = run(engine, settings, iid, full=True)  # ... a complete full listing does
    assert full.status == "SUCCEEDED", full.error
    gone = {m: {k for k, r in rows(engine, iid, m).items() if r.remote_deleted_at} for m in before}
    assert gone["candidates"] == {deleted} and gone["applications"] == gone_apps
    assert all(r in before["notes"] for r in gone["notes"]) and not gone["jobs"] and not gone["users"]
    assert_matches_fake(engine, tt)


def test_storms_bursts_and_slow_answers_still_complete(engine: Engine, settings: Settings, tt: Teamtailor) -> None:
    fake = tt.fake
    fake.faults.rate_limit_storm(5, path="/job-applications")
    fake.faults.fail_next(3, status=503)
    fake.faults.fail_next(2, status=502, path="/notes")
    fake.faults.slow_next(2, 0.2)
    result = run(engine, settings, tt.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert fake.faults.spent() and result.http["rate_limited"] == 5 and result.http["retries"] >= 10
    assert_matches_fake(engine, tt)


@pytest.mark.parametrize("break_it", ["truncate", "persistent_5xx"])
def test_broken_answers_fail_cleanly(engine: Engine, settings: Settings, tt: Teamtailor, break_it: str) -> None:
    iid, fake = tt.integration_id, tt.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    if break_it == "truncate":
        fake.faults.truncate_next(1, path="/uploads")
    else:
        fake.faults.fail_next(1000, status=503, path="/notes")
    fake.delete_candidate(fake.of("candidates")[0]["id"])  # must not be marked deleted by a failed full run
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    for model in CONNECTOR.capabilities.models:
        assert all(r.remote_deleted_at is None for r in rows(engine, iid, model).values()), model
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, tt)


def test_rate_limit_headers_pace_the_client(engine: Engine, settings: Settings, environment: str) -> None:
    """Teamtailor's window (scaled to 12 per 0.5 s): X-Rate-Limit-Remaining/-Reset make the client wait, so
    no request is refused."""
    app = create_app(seed=4, records=24, rate_limit=(12, 0.5))
    app.state.fake.page_cap = 5
    with serving(engine, settings, environment, app) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert result.http["rate_limited"] == 0 and result.http["requests"] > 24
        assert_matches_fake(engine, served)


def test_download_fetches_resume_and_upload(tt: Teamtailor) -> None:
    info = IntegrationInfo(tt.integration_id, "teamtailor", {"base_url": tt.url + "/v1"}, {"api_key": "teamtailor_key"})
    download = CONNECTOR.download
    assert download is not None
    cand = next(c for c in tt.fake.of("candidates") if c["attributes"]["resume"])
    upload = tt.fake.of("uploads")[0]

    async def fetch(remote_id: str) -> tuple[bytes, str, str] | None:
        return await download(info, remote_id)

    found = asyncio.run(fetch(m.resume_remote_id(cand["id"])))
    assert found is not None and found[0].startswith(b"%PDF") and found[1:] == ("resume.pdf", "application/pdf")
    found = asyncio.run(fetch(upload["id"]))
    assert found is not None and found[1] == upload["attributes"]["file-name"]
    assert asyncio.run(fetch("999999")) is None and asyncio.run(fetch("../users")) is None


def test_fake_speaks_teamtailor() -> None:
    """The fake's own contract: key, mandatory version header, media type, paging, include, filters, limits."""
    app = create_app(seed=5, records=12, rate_limit=(5, 30.0))
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/v1", headers=HEADERS) as client:
        missing = httpx.get(url + "/v1/users", headers={"Authorization": HEADERS["Authorization"]})
        assert missing.status_code == 406 and "20240904" in missing.json()["errors"][0]["detail"]
        assert httpx.get(url + "/v1/users", headers={**HEADERS, "X-Api-Version": "yesterday"}).status_code == 406
        assert httpx.get(url + "/v1/users", headers={"X-Api-Version": "20240904"}).status_code == 401
        ok = client.get("/users")
        assert ok.headers["X-Rate-Limit-Remaining"] == "4" and ok.headers["content-type"] == "application/vnd.api+json"
        fake.rate_limit = None
        assert client.get("/candidates", params={"page[size]": 31}).status_code == 400
        assert client.get("/candidates", params={"filter[colour]": "red"}).status_code == 400
        assert client.get("/candidates", params={"include": "nonsense"}).status_code == 400
        seen, next_url = [], "/candidates?page[size]=5"
        while next_url:
            body = client.get(next_url).json()
            seen += [c["id"] for c in body["data"]]
            assert all("data" not in rel for c in body["data"] for rel in c["relationships"].values())
            next_url = body["links"].get("next")
        assert sorted(seen) == sorted(c["id"] for c in fake.of("candidates"))
        published = client.get("/jobs", params={"page[size]": 30}).json()["data"]
        everything = client.get("/jobs", params={"page[size]": 30, "filter[status]": "all"}).json()["data"]
        assert {j["attributes"]["human-status"] for j in published} == {"published"} and len(everything) > len(
            published
        )
        app_doc = client.get("/job-applications", params={"include": "stage,candidate.answers"}).json()
        assert all("data" in a["relationships"]["stage"] for a in app_doc["data"])
        assert {r["type"] for r in app_doc["included"]} >= {"stages", "candidates"}
        cand = fake.of("candidates")[0]
        fake.edit_candidate(cand["id"], pitch="hi")
        since = cand["attributes"]["updated-at"]
        changed = client.get("/candidates", params={"filter[updated-at][from]": since}).json()["data"]
        assert [c["id"] for c in changed] == [cand["id"]]
        write = client.post("/notes", json={"data": {"type": "notes"}})
        assert write.status_code == 415  # JSON:API media type required
        fake.rate_limit = None
    limited = create_app(seed=5, records=6, rate_limit=(2, 30.0))
    with serve_asgi(limited) as url:
        statuses = [httpx.get(url + "/v1/users", headers=HEADERS) for _ in range(4)]
        refused = [r for r in statuses if r.status_code == 429]
        assert refused and refused[0].headers["X-Rate-Limit-Remaining"] == "0"
        assert float(refused[0].headers["X-Rate-Limit-Reset"]) > 0


# ------------------------------------------------------------------------------------------------ webhooks
def _tt_signature(signed: bytes, key: str, stamp: int, version: str = "v2") -> str:
    """Teamtailor's v2 ``TT-Signature``, by hand: base64 of ``t=<ts>,v2=<hex HMAC-SHA256(key, "<ts>.<payload>")>``."""
    import base64
    import hashlib
    import hmac

    digest = hmac.new(key.encode(), str(stamp).encode() + b"." + signed, hashlib.sha256).hexdigest()
    return base64.b64encode(f"t={stamp},{version}={digest}".encode()).decode()


def test_webhook_v2_signature_is_verified_over_the_payload_with_a_replay_window() -> None:
    from atsbridge.connectors.kit import WebhookRefused
    from atsbridge.connectors.teamtailor.webhooks import WEBHOOKS

    now = 1_800_000_000
    # spaced as a server may send it: the payload member's own bytes are what is signed
    payload = b'{"event_name": "job_application.update", "data": {"id": "7", "type": "job-applications"}}'
    body = b'{"payload": ' + payload + b', "signature": "x"}'
    good = {"tt-signature": _tt_signature(payload, "key", now)}
    WEBHOOKS.verify(good, body, "key", float(now))
    compact = orjson.dumps(orjson.loads(payload))  # the doc's JSON.stringify(payload) reading
    WEBHOOKS.verify({"tt-signature": _tt_signature(compact, "key", now)}, body, "key", float(now))
    in_body = orjson.dumps({"payload": orjson.loads(payload), "signature": _tt_signature(compact, "key", now)})
    WEBHOOKS.verify({}, in_body, "key", float(now))  # no header: the body's copy
    refusals = {
        "wrong key": (good, body, "other"),
        "tampered body": (good, body.replace(b'"7"', b'"8"'), "key"),
        "v1 only": ({"tt-signature": _tt_signature(payload, "key", now, "v1")}, body, "key"),
        "not base64": ({"tt-signature": "%%%"}, body, "key"),
        "none": ({}, body, "key"),
    }
    for name, (headers, raw, key) in refusals.items():
        with pytest.raises(WebhookRefused):
            WEBHOOKS.verify(headers, raw, key, float(now))
            pytest.fail(name)
    with pytest.raises(WebhookRefused, match="window"):
        WEBHOOKS.verify(good, body, "key", float(now + 301))
    assert [t.stream for t in WEBHOOKS.events(orjson.loads(body))] == ["job_applications", "candidates"]
    assert list(WEBHOOKS.events({"payload": {"event_name": "audit.create"}})) == []

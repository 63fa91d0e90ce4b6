"""BITE: golden mapper tests on the documented shapes (no payload was recorded: the posting as the rrze-jobs
client reads it, the rest as the connector reads it), and the vendor's quirks: postings searched then read by
id, deleted postings still listed, global statuses, candidates without a status, create-once apply."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.bite import mappers as m
from atsbridge.core.config import Settings
from atsbridge.fakes.bite import FakeState
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("bite:golden")
POSTING = {
    "id": "a1b2-c3", "hash": "9f0e", "active": True, "title": "IT-Administrator/in", "identification": "K-42",
    "locale": "de", "keywords": ["IT"], "location": {"city": "Erlangen", "postalCode": "91058", "country": "DE"},
    "subsidiary": {"id": "s1"}, "assignees": ["u7", {"id": "u8"}, "u7"], "content": {"aufgaben": "<p>A</p>",
    "profil": "<p>B</p>"}, "seo": {"employmentType": ["part_time", "TEMPORARY"]},
    "channels": {"channel0": {"from": "2024-04-15T00:00:00+02:00", "to": "2024-05-31T23:59:59+02:00",
                              "route": {"application": "https://x.example/apply", "posting": "https://x.example/p"}},
                 "channel1": {"from": "2024-04-01T00:00:00+02:00", "to": "2024-05-01T00:00:00+02:00"}},
    "custom": {"ausschreibungskennziffer": "42-W"},
}  # fmt: skip
CANDIDATE = {"id": "c9", "firstName": "Anna", "lastName": "Weber", "email": "anna@x.example", "phone": "+49 9131",
             "jobPosting": {"id": "a1b2-c3"}, "status": {"id": "st4", "name": "Eingestellt"}, "process": {"id": "p1"},
             "source": {"name": "Karriereseite"}, "createdAt": "2024-04-20T10:00:00+00:00",
             "updatedAt": "2024-05-02T08:30:00+00:00"}  # fmt: skip


def test_a_posting_maps_from_its_detail_and_a_vanished_one_yields_nothing() -> None:
    (job,) = m.map_job({"id": "a1b2-c3", "hash": "9f0e", "_posting": POSTING}, CTX)
    f = job.fields
    assert (f["name"], f["job_code"], f["status"], f["visibility"]) == ("IT-Administrator/in", "K-42", "OPEN", "PUBLIC")
    assert f["employment_type"] == "PART_TIME" and f["description"] == "<p>A</p><p>B</p>"
    assert f["post_url"] == "https://x.example/p" and f["opened_at"] == "2024-04-14T22:00:00.000Z"
    assert f["location"]["city"] == "Erlangen" and f["closed_at"] is None
    assert [t["user_id"] for t in job.nested["hiring_team"]] == [CTX.ref("users", "u7"), CTX.ref("users", "u8")]
    assert f["contact_id"] == CTX.ref("users", "u7")
    (closed,) = m.map_job({"id": "a1b2-c3", "_posting": {**POSTING, "active": False}}, CTX)
    assert closed.fields["status"] == "CLOSED" and closed.fields["closed_at"] == "2024-05-31T21:59:59.000Z"
    internal = {**POSTING, "channels": {"channel1": POSTING["channels"]["channel1"]}}
    (job2,) = m.map_job({"id": "a1b2-c3", "_posting": internal}, CTX)
    assert job2.fields["visibility"] == "INTERNAL" and job2.fields["post_url"] is None
    assert list(m.map_job({"id": "gone", "_posting": None}, CTX)) == []  # 404 between search and read


def test_a_candidate_is_its_application_and_may_have_no_status() -> None:
    cand, app = m.map_candidate(CANDIDATE, CTX)
    assert (cand.model, app.model) == ("candidates", "applications") and cand.remote_id == app.remote_id == "c9"
    assert cand.fields["email_addresses"] == [{"email_address": "anna@x.example", "type": None}]
    assert cand.fields["source"] == "Karriereseite"
    assert app.fields["candidate_id"] == CTX.ref("candidates", "c9") and app.fields["job_id"] == CTX.ref(
        "jobs", "a1b2-c3"
    )
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "st4") and app.fields["outcome"] == "HIRED"
    _, bare = m.map_candidate({**CANDIDATE, "status": None}, CTX)
    assert bare.fields["current_stage_id"] is None and bare.fields["outcome"] == "PENDING"


def test_statuses_are_global_and_the_customers_names_decide_the_outcome() -> None:
    (stage,) = m.map_status({"id": "st2", "name": "Vorauswahl", "_index": 1}, CTX)
    assert stage.fields["job_id"] is None and stage.fields["index"] == 1

    def outcome(ctx: MapContext, name: str) -> str:
        _, app = m.map_candidate({**CANDIDATE, "status": {"id": "stX", "name": name}}, ctx)
        return str(app.fields["outcome"])

    assert outcome(CTX, "Absage") == "DECLINED" and outcome(CTX, "Vorstellungsgespräch") == "PENDING"
    custom = MapContext("bite:golden", status_map={"vertrag unterschrieben": "HIRED", "eingestellt": "PENDING"})
    assert outcome(custom, "Vertrag unterschrieben") == "HIRED" and outcome(custom, "Eingestellt") == "PENDING"


def test_notes_and_documents_hang_on_the_candidate_and_its_application() -> None:
    (note,) = m.map_note({"id": "n1", "text": "a < b\nok", "author": {"id": "u7"}, "_candidate": {"id": "c9"}}, CTX)
    assert note.fields["content_html"] == "<p>a &lt; b<br>ok</p>" and note.fields["author_id"] == CTX.ref("users", "u7")
    assert note.fields["application_id"] == CTX.ref("applications", "c9")
    (doc,) = m.map_document({"id": "d1", "name": "cv.pdf", "contentType": "application/pdf", "type": "cv",
                             "_candidate": {"id": "c9"}}, CTX)  # fmt: skip
    assert (doc.fields["type"], doc.fields["content_type"]) == ("CV", "application/pdf")


def test_postings_are_searched_then_read_by_id_and_deleted_ones_stay(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("bite", engine, settings, server.v1, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        log = v.control("GET", "requests?limit=20000")["requests"]
        searches = [r for r in log if r["method"] == "POST" and r["path"] == "/v1/jobpostings/search"]
        assert searches and all({"offset", "limit"} <= set(r["body"] or {}) for r in searches)
        reads = {r["path"] for r in log if r["method"] == "GET" and r["path"].startswith("/v1/jobpostings/")}
        assert reads == {f"/v1/jobpostings/{pid}" for pid in fake.postings}
        gone = next(iter(fake.postings))
        fake.postings[gone]["active"] = False  # BITE's "delete": still listed, candidates stay linked
        assert v.sync(full=True).status == "SUCCEEDED"
        jobs = {j.remote_id: j for j in v.sdk().ats.get_jobs(page_size=50).result.data.results}
        assert set(jobs) == set(fake.postings) and jobs[gone].status == "CLOSED"
        stages = {s.remote_id for s in jobs[gone].stages}
        assert stages == {s["id"] for s in fake.statuses}  # global statuses: on every posting


def test_apply_is_created_once_after_a_stall_with_its_cv(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("bite", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        job = k.ats.get_jobs(page_size=50).result.data.results[0]
        email = new_email()
        cand: Any = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        cv = {"name": "cv.pdf", "content_type": "application/pdf", "data": base64.b64encode(b"%PDF-1").decode()}
        # BITE commits, the answer comes too late
        made = created_after_stall(v, job.id, cand, {"path": "/v1/candidates"}, attachments=[{**cv, "type": "CV"}])
        mine = [c for c in fake.candidates.values() if c["email"] == email]
        assert [c["id"] for c in mine] == [made.remote_id]
        docs = [d for d in fake.documents.values() if d["_candidate"] == made.remote_id]
        assert [(d["name"], d["type"], d["_content"]) for d in docs] == [("cv.pdf", "cv", b"%PDF-1")]

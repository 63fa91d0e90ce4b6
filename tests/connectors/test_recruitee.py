"""Recruitee connector: golden mapper tests on the recorded payloads (unchanged), then syncs against the stateful
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
from atsbridge.connectors.recruitee import CONNECTOR
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee.streams import changed
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.recruitee import FakeState, create_app
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import MODEL_TABLES, integrations
from atsbridge.sync.engine import SyncEngine, SyncResult
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("recruitee")
CTX = MapContext("recruitee:golden")


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: object) -> str:
    return record_id(CTX.integration_id, model, str(remote_id))


def ts(text: str) -> str:
    return format_ts(parse_ts(text))


def mapped(mapper: Mapper, raw: Raw) -> list[UnifiedRecord]:
    return list(mapper(raw, CTX))


def listed(name: str) -> list[UnifiedRecord]:
    """Every record of a candidates listing, each candidate with the page's references (as the source does)."""
    body = load(name)
    return [r for c in body["candidates"] for r in mapped(m.map_candidate, m.with_refs(c, body))]


# ------------------------------------------------------------------------------------------- golden tests


def test_candidate_list_maps_candidates_and_placement_outcomes() -> None:
    records = listed("candidates.json")
    cands = [r for r in records if r.model == "candidates"]
    apps = {r.remote_id: r for r in records if r.model == "applications"}
    assert [c.remote_id for c in cands] == ["46044144", "46044126", "46044140"]
    wilma = cands[0]
    assert (wilma.fields["first_name"], wilma.fields["last_name"]) == ("Wilma", "Roelendsen (Sample)")
    assert wilma.fields["email_addresses"] == [{"email_address": "wilmaroelendsen@recruiteemail.com", "type": None}]
    assert wilma.fields["phone_numbers"] == [{"phone_number": "+15555555555", "type": None}]
    assert wilma.fields["source"] == "career_site" and wilma.fields["custom_fields"] is None  # list view
    assert wilma.fields["remote_url"].endswith("candidate=46044144&company=89564")
    assert wilma.fields["remote_created_at"] == "2022-12-19T13:28:15.341Z"
    hired, disqualified, pending = apps["48791516"], apps["48791494"], apps["48791511"]
    assert hired.fields["outcome"] == "HIRED" and hired.fields["job_id"] == ref("jobs", 1181300)
    assert hired.fields["current_stage_id"] == ref("application_stages", 8063179)
    assert hired.fields["remote_updated_at"] == "2023-01-04T11:22:49.181Z"  # the placement's own update
    assert (disqualified.fields["outcome"], disqualified.fields["rejection_reason_name"]) == (
        "DECLINED",
        "Wrong skill set",
    )
    assert disqualified.fields["rejected_at"] is None  # the recording carries no disqualified_at
    assert pending.fields["outcome"] == "PENDING" and pending.fields["candidate_id"] == ref("candidates", 46044140)


def test_hired_by_stage_category_and_the_reserialised_list() -> None:
    body = load("candidates.2.json")
    placement = body["candidates"][0]["placements"][0]
    assert m.outcome(placement, m.references(body)) == "HIRED"
    assert m.outcome({**placement, "hired_at": None}, m.references(body)) == "HIRED"  # category "hire" alone
    records = listed("candidates.by-offer.json")  # 16 placements, 4 of them in talent pools (not applications)
    body = load("candidates.by-offer.json")
    pools = {r["id"] for r in body["references"] if r["type"] == "Offer" and r["kind"] == "talent_pool"}
    in_jobs = [p for c in body["candidates"] for p in c["placements"] if p["offer_id"] not in pools]
    assert sum(r.model == "candidates" for r in records) == 14
    assert sorted(r.remote_id for r in records if r.model == "applications") == sorted(str(p["id"]) for p in in_jobs)
    assert len(in_jobs) == 12


def test_an_integrations_status_map_overrides_the_outcome_rule() -> None:
    """The default rule is data (``m.OUTCOMES``); a disqualify reason or a stage name in ``status_map`` wins."""
    body = load("candidates.2.json")
    cand = body["candidates"][0]
    placement = {**cand["placements"][0], "hired_at": None, "stage_id": None, "disqualify_reason": "Withdrew"}
    raw = m.with_refs({**cand, "placements": [placement]}, body)
    outcome = {r.remote_id: r.fields["outcome"] for r in mapped(m.map_candidate, raw) if r.model == "applications"}
    assert outcome == {str(placement["id"]): "DECLINED"}
    ctx = MapContext(CTX.integration_id, status_map={"withdrew": "PENDING"})
    apps = [r for r in m.map_candidate(raw, ctx) if r.model == "applications"]
    assert [a.fields["outcome"] for a in apps] == ["PENDING"]


def test_candidate_detail_gives_tags_fields_address_and_cv() -> None:
    body = load("candidate.json")
    cand, app = mapped(m.map_candidate, m.with_refs(body["candidate"], body))
    assert cand.nested == {"tag_ids": [ref("tags", "Sample"), ref("tags", "Senior")]}
    assert cand.fields["custom_fields"] == {"Time zone": "GMT+4", "Set-up": "Personal computer", "Mentor": False,
                                            "Salary expectation": "4,000 - 7,000 EUR"}  # fmt: skip
    assert cand.fields["location"] == {"raw": "Street Name 1234, 92507 Riverside, Us California, United States",
                                       "city": None, "country": None, "state": None, "street_1": None,
                                       "street_2": None, "zip_code": None}  # fmt: skip
    assert app.remote_id == "49145819" and app.fields["outcome"] == "PENDING"
    assert app.fields["current_stage_id"] == ref("application_stages", 8091162)
    cv_url = body["candidate"]["cv_original_url"]
    assert m.cv_file_name(cv_url) == "mariela-vasquez-sample-cv.pdf"
    (cv,) = mapped(m.map_attachment, {"kind": "cv", "_candidate": 46369420, "url": cv_url})
    assert (
        cv.remote_id == "cv-46369420" and cv.fields["type"] == "CV" and cv.fields["content_type"] == "application/pdf"
    )


def test_create_responses_map_to_a_candidate_without_placements() -> None:
    for name, first, last in (("candidate.create-response.json", "AName", "AndSurname"),
                              ("candidate.create-response.2.json", "Hello", None)):  # fmt: skip
        body = load(name)
        (cand,) = mapped(m.map_candidate, m.with_refs(body["candidate"], body))
        assert (cand.fields["first_name"], cand.fields["last_name"]) == (first, last)
        assert cand.fields["custom_fields"] == {} and cand.nested == {"tag_ids": []}


def test_offer_maps_to_a_job_with_its_own_pipeline() -> None:
    offer = load("offer.json")["offer"]
    (job,) = mapped(m.map_offer, offer)
    assert job.remote_id == "1192594" and job.fields["name"] == "Peon de albañil"
    assert (job.fields["status"], job.fields["visibility"], job.fields["weekly_hours"]) == ("OPEN", "PUBLIC", 40)
    assert job.fields["location"] == {"city": "Tomelloso", "country": "ES", "state": "MAD", "zip_code": "13630",
                                      "street_1": None, "raw": "Tomelloso, Spain", "street_2": None}  # fmt: skip
    assert job.fields["post_url"] == "https://petete.recruitee.com/o/peon-de-albanil"
    assert job.fields["description"] == ("Necesario peon de albañil en obra en Tomelloso"
                                         "Al menos un graduado escolar. Curso 20 horas albañilería")  # fmt: skip
    assert job.fields["opened_at"] == "2023-01-15T11:12:01.396Z" and job.fields["salary_currency"] is None
    assert job.nested is not None and job.nested["job_postings"][0]["status"] == "ACTIVE"
    stages = [mapped(m.map_stage, s)[0] for s in m.pipeline(offer)]
    assert [s.fields["name"] for s in stages][:4] == ["Referred", "Sourced", "Applied", "Phone interview"]
    assert [s.fields["index"] for s in stages] == list(range(8)) and stages[-1].remote_id == "8080464"
    assert {s.fields["job_id"] for s in stages} == {ref("jobs", 1192594)}
    assert mapped(m.map_offer, {**offer, "kind": "talent_pool"}) == []


def test_admin_reference_maps_to_a_user() -> None:
    admin = next(r for r in load("candidates.json")["references"] if r["type"] == "Admin")
    (user,) = mapped(m.map_admin, admin)
    assert (user.fields["first_name"], user.fields["last_name"]) == ("John", "The assistant")
    assert user.fields["email"] == "john.assistant@recruitee.com" and user.remote_id == "152125"


def test_changes_are_found_per_candidate_and_per_placement() -> None:
    wilma = load("candidates.json")["candidates"][0]  # candidate updated 2022-12-19, placement 2023-01-04
    assert changed(wilma, parse_ts("2023-01-01T00:00:00Z")) and not changed(wilma, parse_ts("2023-02-01T00:00:00Z"))
    assert changed(wilma, None)


# ------------------------------------------------------------------------------------- against the fake


@dataclass
class Recruitee:
    fake: FakeState
    integration_id: str
    url: str


def retire(engine: Engine, iid: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


@contextmanager
def serving(engine: Engine, settings: Settings, environment: str, app: Any, **config: Any) -> Iterator[Recruitee]:
    with serve_asgi(app) as url:
        cfg = {"base_url": url, "company_id": "89564", "sync_all_applications": True, "requests_per_minute": 100_000,
               **config}  # fmt: skip
        iid = create_integration(engine, settings, environment, "recruitee", "Org", config=cfg,
                                 credentials={"token": "recruitee_token"})  # fmt: skip
        try:
            yield Recruitee(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


@pytest.fixture
def rc(engine: Engine, settings: Settings, environment: str) -> Iterator[Recruitee]:
    app = create_app(seed=3, records=30, rate_limit=None)
    app.state.fake.page_cap = 8  # several pages of candidates
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
    jobs = [o for o in fake.offers.values() if o["kind"] == "job"]
    cands = list(fake.candidates.values())
    return {
        "users": len(fake.admins), "roles": 2, "rejection_reasons": len(fake.reasons), "jobs": len(jobs),
        "application_stages": sum(len(o["pipeline_template"]["stages"]) for o in jobs), "candidates": len(cands),
        "applications": len(fake.placements()), "tags": len({t for c in cands for t in c["tags"]}),
        "notes": sum(len(n) for n in fake.notes.values()),
        "attachments": sum(1 for c in cands if c["cv_original_url"]) + sum(len(a) for a in fake.attachments.values()),
    }  # fmt: skip


def assert_matches_fake(engine: Engine, served: Recruitee) -> None:
    iid, fake = served.integration_id, served.fake
    counts = {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models}
    assert counts == expected_counts(fake)
    cands, apps = live(engine, iid, "candidates"), live(engine, iid, "applications")
    for cand in list(fake.candidates.values())[:6]:
        got = cands[str(cand["id"])]
        assert f"{got['first_name']} {got['last_name']}" == cand["name"]
        assert [e["email_address"] for e in got["email_addresses"]] == cand["emails"]
        assert got["remote_updated_at"] == ts(cand["updated_at"])
        zone = next(f["values"][0]["text"] for f in cand["fields"] if f.get("name") == "Time zone")
        assert got["custom_fields"] == {"Time zone": zone, "Set-up": "Personal computer", "Mentor": False,
                                        "Salary expectation": "4,000 - 7,000 EUR"}  # fmt: skip
    for placement in fake.placements():
        got = apps[str(placement["id"])]
        _, stage = fake.stage(placement["stage_id"])
        assert got["current_stage_id"] == record_id(iid, "application_stages", str(stage["id"]))
        assert got["job_id"] == record_id(iid, "jobs", str(placement["offer_id"]))
        expected = ("HIRED" if stage["category"] == "hire" or placement.get("hired_at")
                    else "DECLINED" if placement.get("disqualify_reason") else "PENDING")  # fmt: skip
        assert got["outcome"] == expected
        assert got["rejection_reason_name"] == (placement.get("disqualify_reason") if expected == "DECLINED" else None)


def test_full_sync_equals_the_fake(engine: Engine, settings: Settings, rc: Recruitee) -> None:
    result = run(engine, settings, rc.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.mapping_errors == []
    assert_matches_fake(engine, rc)
    archived = next(o for o in rc.fake.offers.values() if o["status"] == "archived")
    assert live(engine, rc.integration_id, "jobs")[str(archived["id"])]["status"] == "ARCHIVED"
    pool = next(o for o in rc.fake.offers.values() if o["kind"] == "talent_pool")
    pooled = [p["id"] for p in rc.fake.placements(jobs_only=False) if p["offer_id"] == pool["id"]]
    assert pooled and not set(map(str, pooled)) & set(rows(engine, rc.integration_id, "applications"))


def test_delta_reads_only_changed_candidates(engine: Engine, settings: Settings, rc: Recruitee) -> None:
    fake, iid = rc.fake, rc.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    before = {model: rows(engine, iid, model) for model in CONNECTOR.capabilities.models}
    open_ = [p for p in fake.placements() if not p.get("hired_at") and not p.get("disqualify_reason")]
    moved, hired, disqualified = open_[0], open_[1], open_[2]
    busy = {p["candidate_id"] for p in (moved, hired, disqualified)}
    edited, noted, deleted = [c for c in fake.candidates if c not in busy][:3]
    target = next(s for s in fake.stages_of(moved["offer_id"]) if s["id"] != moved["stage_id"]
                  and s["category"] != "hire")  # fmt: skip
    fake.edit_candidate(edited, name="Ada Changed")
    fake.move_stage(moved["id"], target["id"])
    fake.hire(hired["id"])
    fake.disqualify(disqualified["id"], fake.reasons[2]["id"])
    note = fake.add_note(noted, "Called back")
    gone = {str(p["id"]) for p in fake.placements() if p["candidate_id"] == deleted}
    fake.delete_candidate(deleted)
    fake.log.clear()

    delta = run(engine, settings, iid, full=False)
    assert delta.status == "SUCCEEDED" and delta.type == "DELTA", delta.error
    details = {r.split("?")[0].rsplit("/", 1)[1] for r in fake.log.lines() if r.startswith("GET /c/89564/candidates/")
               and r.count("/") == 4}  # fmt: skip
    assert details == {str(c) for c in (edited, noted, *busy)}  # only changed candidates were read in detail
    # the note moved its candidate's updated_at (so its remote_updated_at); placements leave theirs alone
    changed_ids = {"candidates": {str(edited), str(noted)},
                   "applications": {str(p["id"]) for p in (moved, hired, disqualified)}}  # fmt: skip
    for model, old in before.items():
        new = rows(engine, iid, model)
        for remote_id, row in old.items():
            moved_row = (new[remote_id].changed_at, new[remote_id].remote_deleted_at) != (row.changed_at, None)
            assert moved_row == (remote_id in changed_ids.get(model, set())), (model, remote_id)
        assert set(new) - set(old) == ({str(note["id"])} if model == "notes" else set()), model
    apps = live(engine, iid, "applications")
    assert apps[str(hired["id"])]["outcome"] == "HIRED"
    assert (apps[str(disqualified["id"])]["outcome"], apps[str(disqualified["id"])]["rejection_reason_name"]) == (
        "DECLINED", fake.reasons[2]["name"])  # fmt: skip
    assert apps[str(moved["id"])]["current_stage_id"] == record_id(iid, "application_stages", str(target["id"]))
    assert live(engine, iid, "candidates")[str(edited)]["last_name"] == "Changed"
    assert str(deleted) in live(engine, iid, "candidates")  # no tombstones: a delta cannot see the deletion

    full = run(engine, settings, iid, full=True)
    assert full.status == "SUCCEEDED", full.error
    deleted_now = {m: {k for k, r in rows(engine, iid, m).items() if r.remote_deleted_at} for m in before}
    assert deleted_now["candidates"] == {str(deleted)} and deleted_now["applications"] == gone
    assert not deleted_now["jobs"] and not deleted_now["users"]
    assert_matches_fake(engine, rc)


def test_persistent_5xx_on_files_fails_cleanly(engine: Engine, settings: Settings, rc: Recruitee) -> None:
    """Storms, bursts and truncated pages are the contract suite's; a failure in the last stream is not."""
    iid, fake = rc.integration_id, rc.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    fake.faults.fail_next(1000, status=503, path="/attachments")
    fake.delete_candidate(next(iter(fake.candidates)))  # must not be marked deleted by a failed full run
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    for model in CONNECTOR.capabilities.models:
        assert all(r.remote_deleted_at is None for r in rows(engine, iid, model).values()), model
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, rc)


def test_wrong_company(engine: Engine, settings: Settings, environment: str, rc: Recruitee) -> None:
    """A full hostname as company id: Recruitee's 403 (a wrong token is the contract suite's)."""
    iid = create_integration(engine, settings, environment, "recruitee", "Org",
                             config={"base_url": rc.url, "company_id": "acme.recruitee.com"},
                             credentials={"token": "recruitee_token"})  # fmt: skip
    result = run(engine, settings, iid, full=True)
    retire(engine, iid)
    assert result.status == "FAILED" and result.error and "403" in result.error


def test_download_fetches_cv_and_files(rc: Recruitee) -> None:
    info = IntegrationInfo(rc.integration_id, "recruitee", {"base_url": rc.url, "company_id": "89564"},
                           {"token": "recruitee_token"})  # fmt: skip
    download = CONNECTOR.download
    assert download is not None
    cand = next(c for c in rc.fake.candidates.values() if c["cv_original_url"])
    owner, files = next((cid, rows_) for cid, rows_ in rc.fake.attachments.items() if rows_)

    async def fetch(remote_id: str) -> tuple[bytes, str, str] | None:
        return await download(info, remote_id)

    found = asyncio.run(fetch(m.cv_remote_id(cand["id"])))
    assert found is not None and found[0].startswith(b"%PDF") and found[1] == m.cv_file_name(cand["cv_original_url"])
    found = asyncio.run(fetch(m.file_remote_id(owner, files[0]["id"])))
    assert found is not None and found[1] == files[0]["filename"]
    assert asyncio.run(fetch(m.file_remote_id(owner, 1))) is None and asyncio.run(fetch("../admins")) is None


def test_fake_speaks_recruitee() -> None:
    app = create_app(seed=5, records=12, rate_limit=(3, 30.0))  # the 403 below counts too
    fake: FakeState = app.state.fake
    auth = {"Authorization": "Bearer recruitee_token"}
    with serve_asgi(app) as url, httpx.Client(base_url=url + "/c/89564", headers=auth) as client:
        assert httpx.get(url + "/c/89564/admins").status_code == 401
        assert httpx.get(url + "/c/acme.recruitee.com/admins", headers=auth).json() == {
            "error": ["Company id is invalid"]
        }
        assert client.get("/candidates", params={"limit": 1001}).status_code == 400
        everything = client.get("/candidates").json()
        assert len(everything["candidates"]) == len(fake.candidates)  # no limit/offset: all of them
        assert {r["type"] for r in everything["references"]} >= {"Offer", "Stage"}
        assert "tags" not in everything["candidates"][0] and "fields" not in everything["candidates"][0]
        assert client.get("/offers").status_code == 429  # 3 per window
        fake.rate_limit = None
        offers = client.get("/offers").json()["offers"]
        assert all(o["status"] != "archived" and "pipeline_template" not in o for o in offers)
        assert {o["status"] for o in client.get("/offers", params={"scope": "archived"}).json()["offers"]} == {
            "archived"
        }
        detail = client.get(f"/offers/{offers[0]['id']}").json()["offer"]
        assert len(detail["pipeline_template"]["stages"]) == 8
        cid = next(c["id"] for c in fake.candidates.values() if c["cv_original_url"])
        one = client.get(f"/candidates/{cid}").json()
        assert "tags" in one["candidate"] and one["candidate"]["cv_original_url"].startswith(url + "/files/cv/")
        pages = [client.get("/candidates", params={"limit": 5, "offset": o}).json()["candidates"] for o in (0, 5, 10)]
        assert [c["id"] for p in pages for c in p] == [c["id"] for c in everything["candidates"]]


# ------------------------------------------------------------------------------------------------ webhooks
def test_webhook_signature_is_an_hmac_of_the_raw_body_and_the_event_id_is_the_delivery_id() -> None:
    import hashlib
    import hmac

    from atsbridge.connectors.kit import WebhookRefused
    from atsbridge.connectors.recruitee.webhooks import WEBHOOKS

    def signed(raw: bytes, key: str = "secret") -> dict[str, str]:
        return {"x-recruitee-signature": hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()}

    body = b'{"id": 42, "attempt_count": 2, "event_type": "candidate_moved", "payload": {"candidate": {"id": 1}}}'
    WEBHOOKS.verify(signed(body), body, "secret", 0.0)
    refusals = {
        "wrong secret": (signed(body, "other"), body),
        "tampered body": (signed(body), body.replace(b"42", b"43")),
        "unsigned event": ({}, body),
        "unsigned test with more": ({}, b'{"test": true, "event_type": "candidate_deleted"}'),
        "wrongly signed test": ({"x-recruitee-signature": "00"}, b'{"test":true}'),
    }
    for name, (headers, raw) in refusals.items():
        with pytest.raises(WebhookRefused):
            WEBHOOKS.verify(headers, raw, "secret", 0.0)
            pytest.fail(name)
    WEBHOOKS.verify({}, b'{"test":true}', "secret", 0.0)  # the set-up check, touching nothing
    assert list(WEBHOOKS.events({"test": True})) == []
    event = json.loads(body)
    assert [t.stream for t in WEBHOOKS.events(event)] == ["candidates", "tags"]
    assert WEBHOOKS.delivery_id is not None and WEBHOOKS.delivery_id({}, event) == "42"

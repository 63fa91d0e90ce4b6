"""SmartRecruiters connector: golden tests on the one recorded payload (the public Posting API list, unchanged)
and on the documented Customer-API shapes, then syncs against the stateful fake (SQLite and PostgreSQL),
including its concurrency limits. Writes are in ``test_smartrecruiters_writes.py``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.smartrecruiters import CONNECTOR
from atsbridge.connectors.smartrecruiters import mappers as m
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.smartrecruiters import FakeState, create_app
from atsbridge.testing import serve_asgi
from tests.conftest import payloads
from tests.connectors.test_bamboohr import changed_rows, deleted, live, retire, rows, run, snapshot

Raw = dict[str, Any]
CTX = MapContext("smartrecruiters:golden")


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


# ------------------------------------------------------------------------------------------- golden tests
def test_recorded_public_postings_become_job_postings() -> None:
    body = json.loads((payloads("smartrecruiters") / "postings.posting-api.json").read_text())
    assert body["totalFound"] == 3 and body["offset"] == 0
    postings = [m.posting(p, CTX) for p in body["content"]]
    assert postings[0] == {
        "id": ref("job_postings", "744000147566189"), "remote_id": "744000147566189",
        "title": "Praktikum Marketing & GTM Strategy (all genders)", "status": "ACTIVE", "visibility": "PUBLIC",
        "url": "https://jobs.smartrecruiters.com/ABOUTYOUGmbH/744000147566189",
    }  # fmt: skip
    # the German and the English ad share the job's refNumber: both are postings of that one job
    ads = [p for p in body["content"] if p["refNumber"] == "ID2609-00480A"]
    job = {"id": "job-1", "title": "Intern Marketing", "refNumber": "ID2609-00480A", "status": "SOURCING",
           "postingStatus": "PUBLIC", "_postings": ads}  # fmt: skip
    (rec,) = list(m.map_job(job, CTX))
    assert rec.nested is not None and [p["remote_id"] for p in rec.nested["job_postings"]] == [
        "744000147566189", "744000147564650",
    ]  # fmt: skip
    assert rec.fields["post_url"] == postings[0]["url"] and rec.fields["status"] == "OPEN"


def test_documented_candidate_shape_maps_applications_files_and_tags() -> None:
    fake = FakeState.generate(seed=2, records=12)
    cid, jid = next(iter(fake.applications))
    fake.set_status(cid, jid, "INTERVIEW", "Phone screen") if fake.jobs[jid][
        "hiringProcessId"
    ] == "hp-default" else None
    raw = fake.details(fake.candidates[cid])
    raw["_applications"] = [{**a, "_job_id": j} for (c, j), a in fake.applications.items() if c == cid]
    raw["_attachments"] = fake.files(cid)
    records = list(m.map_candidate(raw, CTX))
    by_model: dict[str, list[Any]] = {}
    for r in records:
        by_model.setdefault(r.model, []).append(r)
    (cand,) = by_model["candidates"]
    assert cand.fields["first_name"] == raw["firstName"] and cand.fields["email_addresses"][0]["email_address"]
    assert cand.fields["location"]["country"] == "DE" and cand.fields["company"] == "Initech"
    assert cand.nested == {"tag_ids": [ref("tags", t) for t in raw["tags"]]}
    app = next(a for a in by_model["applications"] if a.remote_id == f"{cid}:{jid}")
    assert app.fields["candidate_id"] == cand.id and app.fields["job_id"] == ref("jobs", jid)
    status = fake.applications[(cid, jid)]
    expected_stage = None if status["status"] in m.DECLINED else m.stage_remote_id(jid, status["status"],
                                                                                    status["subStatus"])  # fmt: skip
    assert app.fields["current_stage_id"] == (ref("application_stages", expected_stage) if expected_stage else None)
    assert len(by_model.get("attachments", [])) == len(raw["_attachments"])
    hired = m.outcome({"status": "HIRED"})
    declined = m.outcome({"status": "REJECTED", "reasonOfRejection": {"id": "r1", "label": "Not qualified"}})
    assert hired == ("HIRED", None) and declined == ("DECLINED", "Not qualified")
    assert m.outcome({"status": "WITHDRAWN", "reasonOfWithdrawal": None}) == ("DECLINED", "Withdrawn")
    assert m.outcome({"status": "OFFERED"}) == ("PENDING", None)
    # an integration's status map overrides the default rule, by reason label or status
    own = MapContext("smartrecruiters:golden", status_map={"not qualified": "PENDING", "offered": "HIRED"})
    assert m.outcome({"status": "REJECTED", "reasonOfRejection": {"id": "r1", "label": "Not qualified"}}, own) == (
        "PENDING", None)  # fmt: skip
    assert m.outcome({"status": "OFFERED"}, own) == ("HIRED", None)


def test_stages_follow_the_hiring_process() -> None:
    process = {"subStatuses": {"INTERVIEW": [{"id": "s1", "name": "Phone screen"}, {"id": "s2", "name": "Onsite"}]}}
    stages = m.stage_rows("j1", process)
    assert [s["name"] for s in stages] == ["Lead", "New", "In review", "Interview: Phone screen", "Interview: Onsite",
                                          "Offered", "Hired"]  # fmt: skip
    assert stages[3]["id"] == "j1:INTERVIEW:Phone screen" and [s["index"] for s in stages] == list(range(7))
    job = {"id": "j1", "title": "T", "_stages": stages, "_hiring_team": [{"id": "u1", "role": "HIRING_MANAGER"}]}
    records = list(m.map_job(job, CTX))
    assert [r.model for r in records] == ["jobs"] + ["application_stages"] * 7
    assert records[4].fields["custom_fields"] == {"status": "INTERVIEW", "subStatus": "Phone screen"}
    assert records[0].nested is not None and records[0].nested["hiring_team"][0]["hiring_team_roles"] == [
        "HIRING_MANAGER"
    ]
    user = next(iter(m.map_user({"id": "u1", "firstName": "A", "systemRole": {"id": "ADMINISTRATOR"}}, CTX)))
    assert user.nested == {"system_roles": [{"remote_id": "ADMINISTRATOR", "remote_label": "Administrator",
                                             "unified_type": "ADMIN", "scope": "SYSTEM"}]}  # fmt: skip


# ------------------------------------------------------------------------------------- against the fake
@dataclass
class Sr:
    fake: FakeState
    integration_id: str
    url: str


def integration(engine: Engine, settings: Settings, environment: str, token: str, url: str, **config: Any) -> str:
    config = {"base_url": url, "company_identifier": "AcmeInc", **config}
    return create_integration(
        engine, settings, environment, "smartrecruiters", "Org", config=config, credentials={"token": token}
    )


@contextmanager
def serving(engine: Engine, settings: Settings, environment: str, app: Any, **config: Any) -> Iterator[Sr]:
    with serve_asgi(app) as url:
        config = {"sync_all_applications": True, "requests_per_second": 5000, **config}
        iid = integration(engine, settings, environment, "sr_token", url, **config)
        try:
            yield Sr(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


@pytest.fixture
def sr(engine: Engine, settings: Settings, environment: str) -> Iterator[Sr]:
    with serving(engine, settings, environment, create_app(seed=3, records=30, rate_limit=None)) as served:
        yield served


def expected_counts(fake: FakeState) -> dict[str, int]:
    stages = sum(len(m.stage_rows(j, fake.processes[job["hiringProcessId"]])) for j, job in fake.jobs.items())
    return {
        "users": len(fake.users), "roles": len(m.ROLE_CATALOG), "rejection_reasons": len(fake.reasons),
        "jobs": len(fake.jobs), "application_stages": stages, "candidates": len(fake.candidates),
        "applications": len(fake.applications), "attachments": sum(len(f) for f in fake.attachments.values()),
        "tags": len({t for c in fake.candidates.values() for t in c["tags"]}),
    }  # fmt: skip


def assert_matches_fake(engine: Engine, served: Sr) -> None:
    iid, fake = served.integration_id, served.fake
    assert {model: len(live(engine, iid, model)) for model in CONNECTOR.capabilities.models} == expected_counts(fake)
    apps, cands, jobs = (live(engine, iid, x) for x in ("applications", "candidates", "jobs"))
    for (cid, jid), app in list(fake.applications.items())[:8]:
        unified = apps[f"{cid}:{jid}"]
        assert unified["outcome"] == m.outcome(app)[0] and unified["job_id"] == record_id(iid, "jobs", jid)
        if app["status"] not in m.DECLINED:
            stage = m.stage_remote_id(jid, app["status"], app["subStatus"])
            assert unified["current_stage_id"] == record_id(iid, "application_stages", stage)
        assert cands[cid]["last_name"] == fake.candidates[cid]["lastName"]
    for jid, job in fake.jobs.items():
        assert jobs[jid]["name"] == job["title"] and jobs[jid]["job_code"] == job["refNumber"]


def test_full_sync_equals_the_fake(engine: Engine, settings: Settings, sr: Sr) -> None:
    result = run(engine, settings, sr.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert result.mapping_errors == [] and sr.fake.concurrency_429s == 0
    assert_matches_fake(engine, sr)
    public = next(j for j in sr.fake.jobs.values() if j["postingStatus"] == "PUBLIC")
    import orjson

    nested = orjson.loads(rows(engine, sr.integration_id, "jobs")[public["id"]].nested)
    assert {p["remote_id"] for p in nested["job_postings"]} == {
        p["id"] for p in sr.fake.postings if p["refNumber"] == public["refNumber"]
    }


def test_delta_sync_changes_exactly_the_mutated_records(engine: Engine, settings: Settings, sr: Sr) -> None:
    fake, iid = sr.fake, sr.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    before = snapshot(engine, iid, CONNECTOR.capabilities.models)
    pending = [(c, j) for (c, j), a in fake.applications.items() if a["status"] in ("NEW", "LEAD")
               and sum(1 for k in fake.applications if k[0] == c) == 1]  # fmt: skip
    (edited, _), (moved, mjob), (hired, hjob), (rejected, rjob), (removed, rmjob) = pending[:5]
    fake.edit_candidate(edited, phoneNumber="+49 40 000")
    fake.set_status(moved, mjob, "OFFERED")
    fake.hire(hired, hjob)
    fake.reject(rejected, rjob)
    fake.delete_candidate(removed)
    job_id = next(iter(fake.jobs))
    fake.edit_job(job_id, title="Renamed job")
    result = run(engine, settings, iid, full=False)
    assert result.status == "SUCCEEDED" and result.type == "DELTA", result.error
    assert changed_rows(before, engine, iid) == {
        "candidates": {edited, moved, hired, rejected},  # their updatedOn moved with the status
        "applications": {f"{moved}:{mjob}", f"{hired}:{hjob}", f"{rejected}:{rjob}"},
        "jobs": {job_id},
    }
    apps = live(engine, iid, "applications")
    assert apps[f"{hired}:{hjob}"]["outcome"] == "HIRED"
    assert apps[f"{rejected}:{rjob}"]["rejection_reason_name"] == fake.reasons[0]["label"]
    assert deleted(engine, iid, "candidates") == set()  # no deletion feed
    again = run(engine, settings, iid, full=False)
    assert again.status == "SUCCEEDED" and not any(again.changed.values())
    before = snapshot(engine, iid, CONNECTOR.capabilities.models)
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    gone = changed_rows(before, engine, iid)
    assert gone["candidates"] == {removed} and gone["applications"] == {f"{removed}:{rmjob}"}
    assert deleted(engine, iid, "candidates") == {removed}


def test_stays_under_the_concurrency_limits(engine: Engine, settings: Settings, environment: str) -> None:
    """With latency, the fan-out runs in parallel: it peaks at the connector's cap, never over the vendor's."""
    app = create_app(seed=4, records=20, rate_limit=None, latency=0.01)
    with serving(engine, settings, environment, app, max_concurrency=4) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert served.fake.concurrency_429s == 0 and 2 <= served.fake.peak_in_flight <= 4
        assert result.http["rate_limited"] == 0
        assert_matches_fake(engine, served)


def test_a_tighter_vendor_limit_is_met_with_backoff(engine: Engine, settings: Settings, environment: str) -> None:
    app = create_app(seed=5, records=20, rate_limit=None, latency=0.01)
    app.state.fake.max_in_flight = 3  # the account allows fewer than the connector sends: 429s, then retries
    with serving(engine, settings, environment, app, max_concurrency=4) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert served.fake.concurrency_429s > 0 and result.http["rate_limited"] == served.fake.concurrency_429s
        assert_matches_fake(engine, served)


def test_storms_bursts_and_slow_answers_still_complete(engine: Engine, settings: Settings, sr: Sr) -> None:
    fake = sr.fake
    fake.faults.rate_limit_storm(4, path="/candidates")
    fake.faults.fail_next(3, status=503)
    fake.faults.fail_next(2, status=502, path="/jobs/")
    fake.faults.slow_next(2, 0.2)
    result = run(engine, settings, sr.integration_id, full=True)
    assert result.status == "SUCCEEDED", result.error
    assert fake.faults.spent()
    assert_matches_fake(engine, sr)


def test_pacing_stays_under_the_rate_limit(engine: Engine, settings: Settings, environment: str) -> None:
    app = create_app(seed=6, records=8, rate_limit=(30, 1.0))
    with serving(engine, settings, environment, app, requests_per_second=25) as served:
        result = run(engine, settings, served.integration_id, full=True)
        assert result.status == "SUCCEEDED", result.error
        assert result.http["rate_limited"] == 0 and result.http["requests"] > 25


def test_persistent_5xx_fails_the_run_cleanly(engine: Engine, settings: Settings, sr: Sr) -> None:
    """(Truncated pages: the contract suite's ``test_a_truncated_page_changes_nothing``.)"""
    iid, fake = sr.integration_id, sr.fake
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    fake.faults.fail_next(1000, status=503, path="/jobs/")
    failed = run(engine, settings, iid, full=True)
    assert failed.status == "FAILED" and failed.error
    for model in CONNECTOR.capabilities.models:
        assert deleted(engine, iid, model) == set(), model
    fake.faults.clear()
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    assert_matches_fake(engine, sr)


def test_download_fetches_attachment_bytes(sr: Sr) -> None:
    info = IntegrationInfo(sr.integration_id, "smartrecruiters", {"base_url": sr.url}, {"token": "sr_token"})
    cid = next(c for c, files in sr.fake.attachments.items() if files)
    file = sr.fake.attachments[cid][0]
    download = CONNECTOR.download
    assert download is not None
    found = asyncio.run(download(info, m.attachment_remote_id(cid, file["id"])))
    assert found is not None and found[0].startswith(b"%PDF") and found[1] == file["name"]
    assert asyncio.run(download(info, m.attachment_remote_id(cid, "gone"))) is None
    assert asyncio.run(download(info, "../../jobs")) is None


def test_fake_speaks_smartrecruiters() -> None:
    app = create_app(seed=7, records=12, rate_limit=None, latency=0.05)
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url:
        assert httpx.get(url + "/candidates").status_code == 401
        headers = {"X-SmartToken": "sr_token"}
        with httpx.Client(base_url=url, headers=headers) as client:
            assert client.get("/candidates", params={"limit": 101}).status_code == 400
            seen: list[str] = []
            params: dict[str, Any] = {"limit": 5}
            while True:
                page = client.get("/candidates", params=params)
                body = page.json()
                seen += [c["id"] for c in body["content"]]
                if "nextPageId" not in body:
                    break
                assert 'rel="next"' in page.headers["link"]
                params["pageId"] = body["nextPageId"]
            assert sorted(seen) == sorted(fake.candidates)

        async def burst(path: str, n: int) -> list[int]:
            async with httpx.AsyncClient(base_url=url, headers=headers) as client:
                answers = await asyncio.gather(*(client.get(path) for _ in range(n)))
            return [a.status_code for a in answers]

        assert 429 in asyncio.run(burst("/candidates", 3))  # only one listing in flight
        some = next(iter(fake.candidates))
        statuses = asyncio.run(burst(f"/candidates/{some}", 12))
        assert statuses.count(429) >= 1 and statuses.count(200) >= 8  # at most 8 in flight


# ------------------------------------------------------------------------------------------------ webhooks
def _sr_signed(body: bytes, key: str, stamp: str, event: dict[str, str]) -> dict[str, str]:
    """SmartRecruiters' v1 signature, by hand: HMAC-SHA256 over ``timestamp.body.event-id.event-name.
    event-version.link``."""
    import hashlib
    import hmac

    parts = [event.get(h, "") for h in ("event-id", "event-name", "event-version", "link")]
    message = b".".join([stamp.encode(), body, *(p.encode() for p in parts)])
    digest = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    return {**event, "smartrecruiters-timestamp": stamp, "smartrecruiters-signature": f"v1={digest}"}


def test_webhook_signature_is_verified_over_timestamp_body_and_event_headers() -> None:
    from atsbridge.connectors.smartrecruiters.webhooks import WEBHOOKS

    now = 1_800_000_000.0
    body = b'{"candidate_id": "c1", "job_id": "j1"}'
    event = {"event-id": "e1", "event-name": "application.status.updated", "event-version": "1.0.0",
             "link": "https://api.smartrecruiters.com/candidates/c1/jobs/j1"}  # fmt: skip
    good = _sr_signed(body, "key", str(int(now * 1000)), event)
    WEBHOOKS.verify(good, body, "key", now)  # milliseconds
    WEBHOOKS.verify(_sr_signed(body, "key", str(int(now)), event), body, "key", now)  # seconds
    several = {**good, "smartrecruiters-signature": "v1=" + "0" * 64 + ";" + good["smartrecruiters-signature"]}
    WEBHOOKS.verify(several, body, "key", now)  # any active key's signature
    refusals = {
        "wrong key": (good, body, "other-key", now),
        "tampered body": (good, body + b" ", "key", now),
        "tampered event name": ({**good, "event-name": "candidate.deleted"}, body, "key", now),
        "stale": (good, body, "key", now + 301),
        "no signature": ({k: v for k, v in good.items() if k != "smartrecruiters-signature"}, body, "key", now),
        "no timestamp": ({k: v for k, v in good.items() if k != "smartrecruiters-timestamp"}, body, "key", now),
    }
    for name, (headers, raw, key, at) in refusals.items():
        with pytest.raises(kit.WebhookRefused):
            WEBHOOKS.verify(headers, raw, key, at)
            pytest.fail(name)
    assert WEBHOOKS.events_with_headers is not None
    assert [t.stream for t in WEBHOOKS.events_with_headers(good, {})] == ["candidates"]
    assert [t.stream for t in WEBHOOKS.events_with_headers({"event-name": "job.updated"}, {})] == ["jobs"]
    assert list(WEBHOOKS.events_with_headers({"event-name": "offer.created"}, {})) == []
    assert WEBHOOKS.delivery_id is not None and WEBHOOKS.delivery_id(good, {}) == "e1"


def _echo_app(echo: bool) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def hook(request: Request) -> Response:
        value = request.headers.get("X-Hook-Secret", "")
        return Response(status_code=200, headers={"X-Hook-Secret": value} if echo else {})

    return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


def test_webhooks_are_registered_activated_and_removed_through_the_api(sr: Sr) -> None:
    from atsbridge.connectors.http.errors import RemoteError
    from atsbridge.connectors.smartrecruiters.webhooks import register, unregister

    info = IntegrationInfo(sr.integration_id, "smartrecruiters", {"base_url": sr.url}, {"token": "sr_token"})

    active: list[str] = []

    async def scenario(receiver: str) -> Any:
        source = CONNECTOR.open(info)
        try:
            made = await register(source, receiver, "atsbridge-secret")
            active.extend(s["status"] for s in sr.fake.subscriptions.values())
            active.extend(t.url for t in sr.fake.webhooks.targets)
            await unregister(source, [*made.ids, "already-gone"])  # ids gone at the vendor are no error
            return made
        finally:
            await source.aclose()

    with serve_asgi(_echo_app(echo=True)) as receiver:
        made = asyncio.run(scenario(f"{receiver}/hook"))
        assert active == ["active", f"{receiver}/hook"], "activated after the handshake, and pushed to"
    assert len(made.ids) == 1 and len(made.secrets) == 1 and made.secrets != ["atsbridge-secret"]
    assert sr.fake.subscriptions == {} and sr.fake.webhooks.targets == []

    async def refused(receiver: str) -> None:
        source = CONNECTOR.open(info)
        try:
            await register(source, receiver, "s")
        finally:
            await source.aclose()

    with serve_asgi(_echo_app(echo=False)) as receiver, pytest.raises(RemoteError):
        asyncio.run(refused(f"{receiver}/hook"))
    assert sr.fake.subscriptions == {} and sr.fake.webhooks.targets == [], "a failed activation leaves nothing"


def test_the_activation_handshake_is_answered_only_on_the_issued_url(engine: Engine, settings: Settings,
                                                                     server: Any) -> None:  # fmt: skip
    from tests.contract.harness import live

    with live("smartrecruiters", engine, settings, server.v1) as v:
        auth = {"Authorization": f"Bearer {v.key}"}
        hook = httpx.put(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook", headers=auth, timeout=30)
        assert hook.status_code == 200, hook.text
        url = hook.json()["data"]["url"]
        listed = httpx.get(f"{v.url}/webhooks-api/v201907/subscriptions", headers={"X-SmartToken": "sr_token"})
        assert [(s["callbackUrl"], s["status"]) for s in listed.json()["content"]] == [(url, "active")]
        echoed = httpx.post(url, headers={"X-Hook-Secret": "challenge-1"}, timeout=30)
        assert echoed.status_code == 200 and echoed.headers["X-Hook-Secret"] == "challenge-1"
        wrong = httpx.post(url[:-4] + "AAAA", headers={"X-Hook-Secret": "challenge-2"}, timeout=30)
        assert wrong.status_code == 401 and "x-hook-secret" not in wrong.headers
        removed = httpx.delete(f"{server.v1}/integrations/{v.integration_id}/vendor-webhook", headers=auth, timeout=30)
        assert removed.json()["data"]["removed"] is True
        listed = httpx.get(f"{v.url}/webhooks-api/v201907/subscriptions", headers={"X-SmartToken": "sr_token"})
        assert listed.json()["content"] == []
        assert httpx.post(url, headers={"X-Hook-Secret": "challenge-3"}, timeout=30).status_code == 401

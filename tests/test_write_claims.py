"""Creates are claimed per (integration, normalised email, job) in the database before the vendor call.

20 racing creates for one person and one job (no Idempotency-Key, or a distinct key each, through both create
endpoints) against the stateful Greenhouse fake leave exactly one candidate and one application at the vendor,
on SQLite and PostgreSQL. The claim itself: released on a refusal, taken over after its lease, converted on
success."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, update

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.core.errors import ApiError
from atsbridge.core.timeutil import utcnow
from atsbridge.fakes.greenhouse import FakeState, create_app
from atsbridge.store import platform
from atsbridge.store.tables import create_claims, integrations
from atsbridge.testing import serve_asgi
from atsbridge.writes import claims
from tests.conftest import Server, sync_now


@dataclass
class Tenant:
    fake: FakeState
    iid: str
    key: str
    v1: str

    def fake_candidates(self, email: str) -> list[int]:
        with self.fake.lock:
            return [i for i, row in self.fake.tables["candidates"].items()
                    if email.lower() in {e["value"].lower() for e in row.data["email_addresses"]}]  # fmt: skip

    def fake_applications(self, candidate_id: int) -> list[int]:
        with self.fake.lock:
            return self.fake.ids("applications", candidate_id=candidate_id)

    def headers(self, idempotency_key: str | None = None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.key}", "X-Integration-Id": self.iid}
        if idempotency_key is not None:
            out["Idempotency-Key"] = idempotency_key
        return out


@pytest.fixture
def tenant(engine: Engine, settings: Settings, environment: str, server: Server) -> Iterator[Tenant]:
    """A fresh Greenhouse fake tenant on a real port, synced (the same setup as the Greenhouse write tests)."""
    app = create_app(seed=3, records=45, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": url + "/v3", "token_url": url + "/token", "sync_all_applications": True}
        iid = create_integration(engine, settings, environment, "greenhouse", "Org", config=config,
                                 credentials={"client_id": "gh_client", "client_secret": "gh_secret"})  # fmt: skip
        with engine.begin() as conn:
            key = platform.create_api_key(conn, environment, f"race-{uuid.uuid4().hex[:6]}")
        sync_now(engine, settings, iid, full=True)
        try:
            yield Tenant(app.state.fake, iid, key, server.v1)
        finally:
            with engine.begin() as conn:
                conn.execute(update(integrations).where(integrations.c.id == iid).values(enabled=False))


def open_job(t: Tenant) -> dict[str, Any]:
    jobs = httpx.get(f"{t.v1}/ats/jobs", params={"page_size": 250}, headers=t.headers()).json()["data"]["results"]
    return next(j for j in jobs if j["status"] == "OPEN")


def person(email: str) -> dict[str, Any]:
    return {"first_name": "Grace", "last_name": "Hopper", "email_address": email}


def answers_for(job: dict[str, Any]) -> list[dict[str, Any]]:
    """An answer to every question of the job's form (the fake's posts: text, boolean, selects)."""
    out: list[dict[str, Any]] = []
    for q in job["screening_questions"]:
        fmt = (q.get("format") or {}).get("type")
        value: Any = {"TEXT": "An answer", "BOOLEAN": True}.get(fmt or "")
        if fmt in ("SINGLE_SELECT", "MULTI_SELECT"):
            option = q["format"]["options"][-1]["id"]
            value = option if fmt == "SINGLE_SELECT" else [option]
        if value is not None:
            out.append({"question_id": q["id"], "answer": value})
    return out


def _post(t: Tenant, job: dict[str, Any], email: str, i: int) -> httpx.Response:
    """Request ``i`` of the race: alternating endpoints; every third without a key, the rest with their own."""
    key = None if i % 3 == 0 else uuid.uuid4().hex
    # The same person written differently: the claim is on the normalised address.
    cand = person(email.upper() if i % 4 == 1 else email)
    answers = answers_for(job)
    with httpx.Client(timeout=60) as client:
        if i % 2:
            body: dict[str, Any] = {"candidate": cand, "screening_question_answers": answers}
            return client.post(f"{t.v1}/ats/jobs/{job['id']}/applications", json=body, headers=t.headers(key))
        body = {"candidate": cand, "application": {"job_id": job["id"]}, "screening_question_answers": answers}
        return client.post(f"{t.v1}/ats/candidates", json=body, headers=t.headers(key))


def test_racing_creates_make_one_candidate_and_one_application(tenant: Tenant) -> None:
    t = tenant
    job = open_job(t)
    email = f"race.{uuid.uuid4().hex[:6]}@x.example"
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda i: _post(t, job, email, i), range(20)))
    ok = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code != 200]
    assert len(ok) == 1, [a.text[:200] for a in answers]
    assert all(a.status_code == 409 for a in refused), [a.text[:200] for a in refused]
    assert {a.json()["error"]["code"] for a in refused} == {"ATS.APPLICATION_ALREADY_EXISTS"}
    (cand,) = t.fake_candidates(email)
    assert len(t.fake_applications(cand)) == 1
    stored = httpx.get(f"{t.v1}/ats/candidates", params={"email": email}, headers=t.headers()).json()
    assert [c["remote_id"] for c in stored["data"]["results"]] == [str(cand)]
    # Later creates for the same pair keep being refused; another job is still free.
    again = _post(t, job, email, 1)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ATS.APPLICATION_ALREADY_EXISTS"


# ------------------------------------------------------------------------------------ the claim itself


def _claim(*args: Any, **kw: Any) -> claims.Claim:
    return asyncio.run(claims.claim(*args, **kw))


@pytest.fixture
def iid(engine: Engine, environment: str) -> str:
    with engine.begin() as conn:
        return platform.create_integration(conn, environment, "sandbox", "Claims Inc.", {"seed": 1, "size": "tiny"})


def test_a_claim_is_exclusive_until_released(engine: Engine, iid: str) -> None:
    first = _claim(engine, iid, "Ada@X.example", "job1", wait=0)
    with pytest.raises(ApiError) as info:
        _claim(engine, iid, " ada@x.EXAMPLE ", "job1", wait=0)
    assert info.value.code == "ATS.APPLICATION_ALREADY_EXISTS" and "ada@x.example" in info.value.message
    other = _claim(engine, iid, "ada@x.example", "job2", wait=0)  # another job: its own claim
    first.release()
    again = _claim(engine, iid, "ada@x.example", "job1", wait=0)
    again.release()
    other.release()


def test_a_created_claim_refuses_for_good(engine: Engine, iid: str) -> None:
    c = _claim(engine, iid, "bob@x.example", "job1", wait=0)
    c.created("app-id", "cand-id")
    c.release()  # a late release after success changes nothing
    with pytest.raises(ApiError) as info:
        _claim(engine, iid, "bob@x.example", "job1", wait=0)
    assert info.value.code == "ATS.APPLICATION_ALREADY_EXISTS" and "app-id" in info.value.message


def test_a_stale_claim_is_taken_over_and_its_owner_cannot_release_the_new_one(engine: Engine, iid: str) -> None:
    crashed = _claim(engine, iid, "cy@x.example", "job1", wait=0)
    with engine.begin() as conn:
        conn.execute(
            update(create_claims)
            .where(create_claims.c.integration_id == iid)
            .values(lease_until=utcnow() - timedelta(seconds=1))
        )
    taker = _claim(engine, iid, "cy@x.example", "job1", wait=0)
    crashed.release()  # the crashed owner coming back late: not its claim any more
    with pytest.raises(ApiError):
        _claim(engine, iid, "cy@x.example", "job1", wait=0)
    taker.release()
    with engine.connect() as conn:
        assert conn.execute(select(create_claims).where(create_claims.c.integration_id == iid)).first() is None


def test_a_waiting_loser_answers_once_the_winner_finishes(engine: Engine, iid: str) -> None:
    """The loser waits for the winner: created → the existing-application error; released → it proceeds."""
    import threading

    winner = _claim(engine, iid, "dee@x.example", "job1", wait=0)
    threading.Timer(0.3, winner.release).start()
    taken = _claim(engine, iid, "dee@x.example", "job1", wait=10)
    threading.Timer(0.3, lambda: taken.created("app-9", None)).start()
    with pytest.raises(ApiError) as info:
        _claim(engine, iid, "dee@x.example", "job1", wait=10)
    assert info.value.code == "ATS.APPLICATION_ALREADY_EXISTS" and "app-9" in info.value.message


def test_a_held_claim_waits_for_its_idempotency_key(engine: Engine, iid: str) -> None:
    """Half done in the ATS after a transient failure: only the same key may resume; others are refused."""
    first = _claim(engine, iid, "eve@x.example", "job1", idempotency_key="k1", wait=0)
    first.hold()
    with pytest.raises(ApiError) as info:
        _claim(engine, iid, "eve@x.example", "job1", idempotency_key="k2", wait=5)
    assert "Idempotency-Key" in info.value.message
    with pytest.raises(ApiError):
        _claim(engine, iid, "eve@x.example", "job1", wait=0)
    resumed = _claim(engine, iid, "eve@x.example", "job1", idempotency_key="k1", wait=0)
    first.release()  # the first attempt's owner token no longer holds it
    resumed.created("app-1", "cand-1")
    keyless = _claim(engine, iid, "fay@x.example", "job1", wait=0)
    keyless.hold()  # nothing could resume a keyless create: released
    _claim(engine, iid, "fay@x.example", "job1", wait=0).release()

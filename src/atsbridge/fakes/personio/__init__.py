"""A stateful fake of Personio's Recruiting API for tests and demos.

**No Personio recruiting payload was ever recorded**: every record is built from the documented v2 shapes
(reference §4 "Data (v2 ...)", a third-party client that says it matches the real responses): applications
``{id, application_date, candidate{...}, job{...}, current_stage{id|null, kind, name|null, type}, channel,
hiring_team, is_anonymized, created_at{date-time,timezone}, updated_at}``, candidates, jobs, categories with
``stages[]`` (system stages have no id; ``type`` unassigned|rejected|withdrawn|offer|accepted). Where the docs
say nothing (the ``kind``/``type`` values of custom stages, a job's ``status``) the fake picks
``kind: custom, type: custom`` and ``status: open|closed``.

Served: ``POST /v2/auth/token`` (client credentials in the form or Basic), ``/v2/recruiting/applications``
(``updated_at.gt``, ``candidate.email``), ``/candidates`` (``updated_at.gt``, ``email``), ``/jobs``,
``/categories`` and their ``/{id}``; cursor paging (``limit`` 1-200, ``_meta.links.next.href``), newest update
first. Writes: ``POST /v1/recruiting/applications`` (201, no body) and ``/documents`` (multipart ->
``uuid``), both requiring ``X-Company-ID`` and a Bearer token (the Recruiting API key or a v2 token).
Knobs on ``app.state.fake``: ``fail_next``, ``rate_limit_storm``, ``truncate_next``, ``slow_next``,
``hang_after_commit``; ``rate_limit=(n, seconds)`` answers 429 beyond it.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.bamboohr.faults import FaultKnobs, Faults, parse_form, truncated
from atsbridge.fakes.kit.legacy import attach

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, tzinfo=UTC)
SYSTEM = ("unassigned", "offer", "accepted", "rejected", "withdrawn")
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")

__all__ = ["FakeState", "conformance_setup", "create_app"]


def stamp(ts: datetime) -> Raw:
    return {"date-time": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z", "timezone": "UTC"}


class PersonioError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class FakeState(FaultKnobs):
    client_id: str = "personio_id"
    client_secret: str = "personio_secret"
    company_id: str = "4242"
    api_key: str = "recruiting_key"
    categories: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    documents: dict[str, Raw] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    retry_after: float = 0.05
    faults: Faults = field(default_factory=Faults)
    requests: deque[str] = field(default_factory=lambda: deque(maxlen=20_000))
    lock: threading.RLock = field(default_factory=threading.RLock)
    rng: random.Random = field(default_factory=random.Random)
    _clock: float = 0.0

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200) -> FakeState:
        state = cls(rng=random.Random(seed))
        for n, custom in enumerate((["Phone screen", "Interview"], ["Assessment"])):
            cid = str(9000 + n)
            stages = [{"id": None, "kind": "system", "name": None, "type": "unassigned"}]
            stages += [{"id": str(700 + n * 10 + i), "kind": "custom", "name": name, "type": "custom"}
                       for i, name in enumerate(custom)]  # fmt: skip
            stages += [{"id": None, "kind": "system", "name": None, "type": t} for t in SYSTEM[1:]]
            state.categories[cid] = {"id": cid, "name": ("Engineering", "Sales")[n], "stages": stages}
        for n in range(max(3, records // 6)):
            jid = str(1000 + n)
            created = BASE + timedelta(days=n)
            state.jobs[jid] = {"id": jid, "name": f"Job {n}", "department": {"id": str(50 + n % 2),
                               "name": ("Tech", "Sales")[n % 2]}, "category": {"id": str(9000 + n % 2)},
                               "status": "closed" if n % 5 == 4 else "open", "hiring_team": [],
                               "company": {"id": state.company_id}, "created_at": stamp(created),
                               "updated_at": stamp(created)}  # fmt: skip
        for n in range(records):
            job = state.rng.choice([j for j in state.jobs.values() if j["status"] == "open"])
            state._add(n, job, BASE + timedelta(days=state.rng.randint(0, 400), minutes=n), None)
        return state

    def uid(self, prefix: str) -> str:
        return f"{prefix}_{uuid.UUID(int=self.rng.getrandbits(128)).hex[:20]}"

    def stages_of(self, job: Raw) -> list[Raw]:
        return list(self.categories[job["category"]["id"]]["stages"])

    def _add(self, n: int, job: Raw, when: datetime, email: str | None, stage: Raw | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        email = email or f"{first}.{last}.{n}@mail.example".lower()
        cand = next((c for c in self.candidates.values() if c["email"] == email), None)
        if cand is None:
            cand = {"id": self.uid("cand"), "first_name": first, "last_name": last, "email": email,
                    "phone": f"+49 30 555 {n}" if n % 2 else None, "location": "Berlin" if n % 3 else None,
                    "birthday": None, "linkedin_profile": None, "available_from": None, "gender": None,
                    "applications": [], "created_at": stamp(when), "updated_at": stamp(when)}  # fmt: skip
            self.candidates[cand["id"]] = cand
        stage = copy.deepcopy(stage or self.rng.choice(self.stages_of(job)))
        app: Raw = {"id": self.uid("app"), "application_date": when.date().isoformat(),
               "candidate": {k: cand[k] for k in ("id", "email", "first_name", "last_name", "gender")},
               "job": {"id": job["id"], "name": job["name"], "department": job["department"],
                       "category": job["category"]},
               "current_stage": stage, "channel": {"id": "ch_1", "name": "Career page"}, "hiring_team": [],
               "is_anonymized": False, "created_at": stamp(when), "updated_at": stamp(when)}  # fmt: skip
        self.applications[app["id"]] = app
        cand["applications"].append({"id": app["id"], "application_date": app["application_date"]})
        return app

    # ------------------------------------------------------------------------------------- mutations
    def now(self) -> datetime:
        self._clock = max(time.time(), self._clock + 0.001)
        return datetime.fromtimestamp(self._clock, UTC)

    def edit_candidate(self, cid: str, **changes: Any) -> Raw:
        with self.lock:
            self.candidates[cid].update(changes, updated_at=stamp(self.now()))
            return self.candidates[cid]

    def move(self, app_id: str, stage_type: str) -> Raw:
        """Put the application in the first stage of its job's category with this ``type`` (UI-only in Personio)."""
        with self.lock:
            app = self.applications[app_id]
            stage = next(s for s in self.stages_of(self.jobs[app["job"]["id"]]) if s["type"] == stage_type)
            app.update(current_stage=copy.deepcopy(stage), updated_at=stamp(self.now()))
            return app

    def delete_candidate(self, cid: str) -> None:
        with self.lock:
            for app in self.candidates.pop(cid)["applications"]:
                self.applications.pop(app["id"], None)

    def create(self, body: Raw) -> None:
        """``POST /v1/recruiting/applications``, validated like Personio."""
        with self.lock:
            missing = [k for k in ("job_position_id", "first_name", "last_name", "email") if not body.get(k)]
            if missing:
                raise PersonioError(400, f"The {missing[0]} field is required.")
            job = self.jobs.get(str(body["job_position_id"]))
            if job is None or job["status"] != "open":
                raise PersonioError(400, "Could not find the job position.")
            email = str(body["email"]).lower()
            if any(
                a["candidate"]["email"] == email and a["job"]["id"] == job["id"] for a in self.applications.values()
            ):
                raise PersonioError(400, "Applicant already applied to this position.")
            for f in body.get("files") or []:
                if f.get("uuid") not in self.documents:
                    raise PersonioError(400, f"Unknown document {f.get('uuid')}")
            stage = self._phase(job, body.get("phase"))
            app = self._add(len(self.applications), job, self.now(), email, stage)
            cand = self.candidates[app["candidate"]["id"]]
            cand.update(first_name=body["first_name"], last_name=body["last_name"], phone=body.get("phone"))
            app["candidate"].update(first_name=body["first_name"], last_name=body["last_name"])
            app["files"] = copy.deepcopy(body.get("files") or [])

    def _phase(self, job: Raw, phase: Any) -> Raw:
        stages = self.stages_of(job)
        if not phase:
            return stages[0]
        key = "id" if phase.get("type") == "custom" else "type"
        found = next((s for s in stages if str(s.get(key)) == str(phase.get("id"))), None)
        if found is None:
            raise PersonioError(400, "errors.phase-validation.invalid-phase")
        return found


# ---------------------------------------------------------------------------------------------- handlers
def _page(request: Request, records: list[Raw]) -> Response:
    raw = request.query_params.get("limit", "100")
    if not raw.isdigit() or not 1 <= int(raw) <= 200:
        raise PersonioError(400, "limit must be between 1 and 200")
    cursor = request.query_params.get("cursor", "cur_0")
    start = int(cursor[4:]) if cursor.startswith("cur_") and cursor[4:].isdigit() else -1
    if start < 0:
        raise PersonioError(400, "Invalid cursor")
    limit = int(raw)
    meta: Raw = {"links": {}}
    if start + limit < len(records):
        meta["links"]["next"] = {"href": str(request.url.include_query_params(cursor=f"cur_{start + limit}"))}
    return JSONResponse({"_data": records[start : start + limit], "_meta": meta})


def _updated(request: Request, records: list[Raw]) -> list[Raw]:
    """``updated_at.gt``; newest update first, as Personio sorts."""
    since = request.query_params.get("updated_at.gt")
    if since:
        records = [r for r in records if parse_ts(r["updated_at"]["date-time"]) > parse_ts(since)]
    return sorted(records, key=lambda r: (r["updated_at"]["date-time"], r["id"]), reverse=True)


def _listing(kind: str) -> Any:
    async def handler(request: Request, fake: FakeState) -> Response:
        q = request.query_params
        records = list(getattr(fake, kind).values())
        if kind == "applications" and q.get("candidate.email"):
            records = [a for a in records if a["candidate"]["email"] == q["candidate.email"].lower()]
        if kind == "candidates" and q.get("email"):
            records = [c for c in records if c["email"] == q["email"].lower()]
        if kind in ("applications", "candidates"):
            records = _updated(request, records)
        return _page(request, records)

    return handler


def _one(kind: str) -> Any:
    async def handler(request: Request, fake: FakeState) -> Response:
        found = getattr(fake, kind).get(request.path_params["id"])
        if found is None:
            raise PersonioError(404, f"The {kind[:-1]} was not found")
        return JSONResponse(found)

    return handler


async def token(request: Request, fake: FakeState) -> Response:
    form, _ = parse_form(request.headers.get("content-type", ""), await request.body())
    basic = request.headers.get("authorization", "").partition(" ")[2]
    if basic:
        user, _, secret = base64.b64decode(basic).decode().partition(":")
        form.setdefault("client_id", user)
        form.setdefault("client_secret", secret)
    if (form.get("client_id"), form.get("client_secret")) != (fake.client_id, fake.client_secret):
        raise PersonioError(401, "invalid_client")
    value = fake.uid("tok")
    fake.tokens.add(value)
    return JSONResponse({"access_token": value, "token_type": "Bearer", "expires_in": 3600})


async def upload(request: Request, fake: FakeState) -> Response:
    _, files = parse_form(request.headers.get("content-type", ""), await request.body())
    if "file" not in files:
        raise PersonioError(422, "A file is required")
    doc: Raw = {"uuid": str(uuid.uuid4()), "original_filename": files["file"][0], "mimetype": files["file"][2],
           "size": len(files["file"][1])}  # fmt: skip
    fake.documents[doc["uuid"]] = doc
    return JSONResponse(doc)


async def create(request: Request, fake: FakeState) -> Response:
    try:
        body = await request.json()
    except ValueError:
        raise PersonioError(400, "Malformed JSON") from None
    fake.create(body if isinstance(body, dict) else {})
    return Response(status_code=201)


# ---------------------------------------------------------------------------------------------- plumbing
def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"success": False, "error": {"message": message}}, status_code=status, headers=headers)


def _authorized(request: Request, fake: FakeState) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    if request.url.path.startswith("/v1/"):
        return (value == fake.api_key or value in fake.tokens) and request.headers.get("x-company-id") == (
            fake.company_id
        )
    return value in fake.tokens


def guarded(fake: FakeState, latency: float, window: list[float] | None, limit: tuple[int, float] | None,
            handler: Any) -> Any:  # fmt: skip
    async def endpoint(request: Request) -> Response:
        path, method = request.url.path, request.method
        fake.requests.append(f"{method} {path}?{request.url.query}")
        retry = {"Retry-After": f"{fake.retry_after:.3f}"}
        await asyncio.sleep(latency + (fault.seconds if (fault := fake.faults.take("slow", path)) else 0.0))
        if fake.faults.take("storm", path, method):
            return _error(429, "Too Many Requests", retry)
        if failure := fake.faults.take("fail", path, method):
            return _error(failure.status, "Injected failure", retry)
        if path != "/v2/auth/token" and not _authorized(request, fake):
            return _error(401, "Unauthorized")
        if window is not None and limit is not None:
            now = time.monotonic()
            window[:] = [t for t in window if now - t < limit[1]]
            if len(window) >= limit[0]:
                return _error(429, "Too Many Requests", {"Retry-After": f"{limit[1] - (now - window[0]):.3f}"})
            window.append(now)
        try:
            with fake.lock:
                response: Response = await handler(request, fake)
        except PersonioError as exc:
            return _error(exc.status, exc.message)
        if hang := fake.faults.take("hang", path, method):
            await asyncio.sleep(hang.seconds)
        if fake.faults.take("truncate", path, method):
            return truncated(response)
        return response

    return endpoint


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (20, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    fake = state if state is not None else FakeState.generate(seed, records)
    window: list[float] | None = [] if rate_limit is not None else None
    table = [
        ("POST", "/v2/auth/token", token),
        ("GET", "/v2/recruiting/applications", _listing("applications")),
        ("GET", "/v2/recruiting/applications/{id}", _one("applications")),
        ("GET", "/v2/recruiting/candidates", _listing("candidates")),
        ("GET", "/v2/recruiting/candidates/{id}", _one("candidates")),
        ("GET", "/v2/recruiting/jobs", _listing("jobs")),
        ("GET", "/v2/recruiting/jobs/{id}", _one("jobs")),
        ("GET", "/v2/recruiting/categories", _listing("categories")),
        ("GET", "/v2/recruiting/categories/{id}", _one("categories")),
        ("POST", "/v1/recruiting/applications/documents", upload),
        ("POST", "/v1/recruiting/applications", create),
    ]
    routes = [Route(p, guarded(fake, latency, window, rate_limit, h), methods=[v]) for v, p, h in table]
    app = Starlette(routes=routes)
    app.state.fake = fake
    from atsbridge.fakes.personio.control import HOOKS, errors  # the hooks import this module's state

    return attach(app, "personio", HOOKS, errors)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    config = {"base_url": base_url, "company_id": "4242", "requests_per_second": 1000}
    return config, {"client_id": "personio_id", "client_secret": "personio_secret"}

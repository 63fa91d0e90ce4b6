"""The fake Personio's tenant: categories with their stages, jobs, candidates, applications, documents, and
the mutations tests, ``simulate`` and the write handlers make. Shapes are the documented v2 ones (see the
package docstring)."""

from __future__ import annotations

import copy
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, tzinfo=UTC)
SYSTEM = ("unassigned", "offer", "accepted", "rejected", "withdrawn")
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")


def stamp(ts: datetime) -> Raw:
    return {"date-time": ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z", "timezone": "UTC"}


class PersonioAuth(OAuth2ClientCredentials):
    """v2: a bearer token from ``POST /v2/auth/token``. v1 (``/v1/...``): the Recruiting API key or a v2 token,
    plus the tenant's ``X-Company-ID`` header."""

    def __init__(self, client_id: str, client_secret: str, api_key: str, company_id: str) -> None:
        super().__init__(client_id, client_secret, path="/v2/auth/token")
        self.api_key, self.company_id = api_key, company_id

    def check(self, request: Request) -> Principal | None:
        if not request.url.path.startswith("/v1/"):
            return super().check(request)
        if request.headers.get("x-company-id") != self.company_id:
            return None
        if request.headers.get("authorization", "") == f"Bearer {self.api_key}":
            return Principal("recruiting_api_key")
        return super().check(request)

    def describe(self) -> dict[str, str]:
        return {**super().describe(), "recruiting_api_key": self.api_key, "company_id": self.company_id}


@dataclass
class FakeState(Seeded):
    client_id: str = "personio_id"
    client_secret: str = "personio_secret"
    company_id: str = "4242"
    api_key: str = "recruiting_key"
    categories: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    documents: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (20, 1.0)

    def __post_init__(self) -> None:
        auth = PersonioAuth(self.client_id, self.client_secret, self.api_key, self.company_id)
        self.serve(auth)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
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
        return self.tick()

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
                raise VendorError(400, f"The {missing[0]} field is required.")
            job = self.jobs.get(str(body["job_position_id"]))
            if job is None or job["status"] != "open":
                raise VendorError(400, "Could not find the job position.")
            email = str(body["email"]).lower()
            if any(
                a["candidate"]["email"] == email and a["job"]["id"] == job["id"] for a in self.applications.values()
            ):
                raise VendorError(400, "Applicant already applied to this position.")
            for f in body.get("files") or []:
                if f.get("uuid") not in self.documents:
                    raise VendorError(400, f"Unknown document {f.get('uuid')}")
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
            raise VendorError(400, "errors.phase-validation.invalid-phase")
        return found

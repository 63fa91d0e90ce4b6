"""The fake JOIN tenant: jobs, candidates and their applications, and the mutations tests, ``simulate`` and
the write handler make. Shapes: built field by field from the documented names (see the package docstring)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
STATUSES = ("NEW", "IN_REVIEW", "INTERVIEW", "OFFER", "HIRED", "REJECTED")
SOURCES = ("ORGANIC", "REFERRALS", "JOB_BOARDS", "SOCIAL_MEDIA", "AGENCY", "SOURCING_TOOLS", "EVENTS",
           "INTERNAL_APPLICATION", "OTHER")  # fmt: skip
FIRST = ("Lena", "Jonas", "Mia", "Felix", "Lea", "Paul", "Nora", "Elias")
LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer")


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass
class FakeState(Seeded):
    token: str = "join_token"
    jobs: dict[int, Raw] = field(default_factory=dict)
    candidates: dict[int, Raw] = field(default_factory=dict)
    applications: dict[int, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (20, 1.0)
    _next: int = 100_000

    def __post_init__(self) -> None:
        # the raw token, no scheme: "Bearer <token>" does not match
        self.serve(HeaderKey(self.token, prefix=""), announce=True, prefix="x-ratelimit-")

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 8)):
            jid, when = 5_000 + n, BASE + timedelta(days=n)
            state.jobs[jid] = {
                "id": jid, "title": f"Position {n}", "description": f"<p>Role {n}</p>\\n<p>Apply now</p>",
                "createdAt": iso(when), "lastUpdatedAt": iso(when), "status": ("ONLINE", "ONLINE", "OFFLINE")[n % 3],
                "workplaceType": ("ONSITE", "HYBRID", "REMOTE")[n % 3], "remoteType": None,
                "employmentTypeId": 1 + n % 4, "categoryId": 10 + n % 5, "seniorityId": 1 + n % 3, "language": "de",
                "office": {"name": "Berlin HQ", "streetName": "Unter den Linden", "streetNumber": str(n + 1),
                           "postalCode": "10117", "city": "Berlin", "countryIso": "DE", "isDefault": n == 0},
                "salary": {"from": 50_000 + n * 1000, "to": 70_000 + n * 1000, "currency": "EUR",
                           "frequency": "PER_YEAR", "isShownOnJobAd": n % 2 == 0},
                "contact": {"name": "Hanna Recruiter", "email": "hanna@acme.example", "position": "Talent"},
            }  # fmt: skip
        online = [j for j, job in state.jobs.items() if job["status"] == "ONLINE"]
        for n in range(records):
            when = BASE + timedelta(days=state.rng.randint(0, 300), minutes=n)
            person = None if n % 5 else state.rng.choice(list(state.candidates.values()) or [None])
            state._apply(state.rng.choice(online), person, when, n, STATUSES[state.rng.randrange(len(STATUSES))])
        return state

    def _id(self) -> int:
        self._next += 1 + self.rng.randrange(7)
        return self._next

    def _apply(
        self, job: int, person: Raw | None, when: datetime, n: int, status: str = "NEW", body: Raw | None = None
    ) -> Raw:
        if person is None:
            first, last = FIRST[n % len(FIRST)], LAST[(n * 5) % len(LAST)]
            person = {"id": self._id(), "email": f"{first}.{n}@mail.example".lower(), "firstName": first,
                      "lastName": last, "phone": f"+4930555{n:04d}" if n % 2 else None}  # fmt: skip
            self.candidates[person["id"]] = person
        app = {"id": self._id(), "jobId": job, "candidateId": person["id"], "candidate": dict(person),
               "source": SOURCES[n % len(SOURCES)], "status": status, "createdAt": iso(when),
               "updatedAt": iso(when)}  # fmt: skip
        if body is not None:
            app["source"], app["integrationExternalId"] = body.get("source", "OTHER"), body.get("integrationExternalId")
            app["documents"] = [{"type": d.get("type"), "name": d.get("name")} for d in body.get("documents") or []]
        self.applications[app["id"]] = app
        return app

    # ------------------------------------------------------------------------------------------ mutations
    def now(self) -> str:
        return iso(self.tick())

    def edit_candidate(self, cid: int, **changes: Any) -> None:
        with self.lock:
            self.candidates[cid].update(changes)
            stamp = self.now()
            for app in self.applications.values():
                if app["candidateId"] == cid:
                    app.update(candidate=dict(self.candidates[cid]), updatedAt=stamp)

    def set_status(self, app_id: int, status: str) -> None:
        with self.lock:
            self.applications[app_id].update(status=status, updatedAt=self.now())

    def delete_application(self, app_id: int) -> None:
        with self.lock:
            cid = self.applications.pop(app_id)["candidateId"]
            if not any(a["candidateId"] == cid for a in self.applications.values()):
                self.candidates.pop(cid, None)

    def create(self, body: Raw) -> Raw:
        """``POST /applications``, validated like JOIN [conn]: a job, the candidate's e-mail and names."""
        with self.lock:
            job_id = body.get("jobId")
            job: Raw | None = self.jobs.get(job_id) if isinstance(job_id, int) else None
            if job is None or job["status"] != "ONLINE":
                raise VendorError(400, "Job not found or not online", code="VALIDATION_ERROR", field="jobId")
            person: Raw = body["candidate"] if isinstance(body.get("candidate"), dict) else {}
            for key in ("email", "firstName", "lastName"):
                if not isinstance(person.get(key), str) or not person[key].strip():
                    raise VendorError(400, f"candidate.{key} must not be empty", code="VALIDATION_ERROR", field=key)
            if body.get("source") not in SOURCES:
                raise VendorError(400, "source must be one of " + ", ".join(SOURCES), code="VALIDATION_ERROR")
            email = person["email"].strip().lower()
            known = next((c for c in self.candidates.values() if c["email"] == email), None)
            mine = [a for a in self.applications.values() if known and a["candidateId"] == known["id"]]
            if any(a["jobId"] == job["id"] for a in mine):
                raise VendorError(409, "Application already exists for this candidate", code="CONFLICT")
            if known is None:
                known = {"id": self._id(), "email": email, "firstName": person["firstName"],
                         "lastName": person["lastName"], "phone": person.get("phone")}  # fmt: skip
                self.candidates[known["id"]] = known
            app = self._apply(job["id"], known, datetime.now(UTC), len(self.applications), body=body)
            app["createdAt"] = app["updatedAt"] = self.now()
            return app

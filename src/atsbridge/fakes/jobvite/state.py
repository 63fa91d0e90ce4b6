"""The fake Jobvite's tenant: workflow states, users, requisitions, candidates and their applications, and the
mutations tests, ``simulate`` and the write handler make. Shapes: see the package docstring."""

from __future__ import annotations

import base64
import hmac
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
STATES = ("New", "Review", "Phone Screen", "Interview", "Offer Extended", "Offer Accepted", "Hired", "Rejected",
          "Withdrawn")  # fmt: skip
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton")
JOB_STATES = ("Open", "Open", "Open", "Closed", "Filled", "On Hold", "Awaiting Approval")


def ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


class KeyPairAuth(Auth):
    """Both ``x-jvi-api`` and ``x-jvi-sc`` must match (header names are case-insensitive)."""

    def __init__(self, key: str, secret: str) -> None:
        self.key, self.secret = key, secret

    def check(self, request: Request) -> Principal | None:
        key, secret = request.headers.get("x-jvi-api", ""), request.headers.get("x-jvi-sc", "")
        same = hmac.compare_digest(key.encode(), self.key.encode())
        return Principal(self.key) if same and hmac.compare_digest(secret.encode(), self.secret.encode()) else None

    def describe(self) -> dict[str, str]:
        return {"x-jvi-api": self.key, "x-jvi-sc": self.secret}


@dataclass
class FakeState(Seeded):
    api_key: str = "jv_key"
    api_secret: str = "jv_secret"
    states: dict[str, str] = field(default_factory=dict)  # name -> eId
    users: list[Raw] = field(default_factory=list)
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)  # each with ``_candidate`` and ``_job`` ids
    rate: tuple[int, float] | None = (15, 60.0)

    def __post_init__(self) -> None:
        self.serve(KeyPairAuth(self.api_key, self.api_secret))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (15, 60.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        state.states = {name: state.eid() for name in STATES}
        state.users = [{"firstName": FIRST[n], "lastName": LAST[n], "userId": state.eid(),
                        "userName": f"{FIRST[n]}.{LAST[n]}@jobvite.example".lower()} for n in range(4)]  # fmt: skip
        for n in range(max(3, records // 6)):
            when = BASE + timedelta(days=n)
            manager, recruiter = state.users[n % 2], state.users[2 + n % 2]
            eid = state.eid()
            state.jobs[eid] = {
                "eId": eid, "requisitionId": str(1000 + n), "title": f"Job {n}",
                "category": ("Engineering", "Sales")[n % 2], "description": f"<p>Job {n}</p>",
                "applyLink": f"https://jobs.jobvite.example/acme/job/{eid}/apply",
                "jobState": JOB_STATES[n % len(JOB_STATES)], "department": ("Tech", "Sales")[n % 2],
                "location": "Oakland, CA", "locations": [{"city": "Oakland", "state": "CA", "country": "USA"}],
                "jobType": "Full-Time", "postingType": ("External", "Internal")[n % 2], "company": "Acme",
                "hiringManagers": [dict(manager)], "recruiters": [dict(recruiter)],
                "primaryHiringManager": dict(manager), "primaryRecruiter": dict(recruiter),
                "customField": [{"fieldCode": "exempt_status", "key": "Exempt Status", "value": "Exempt"}],
                "lastUpdatedDate": ms(when), "sentDate": ms(when),
            }  # fmt: skip
        for n in range(records):
            job = state.rng.choice([j for j in state.jobs.values() if j["jobState"] == "Open"])
            src = n - 5 if n % 7 == 6 else n  # every seventh row: a person who already applied applies again
            person = FIRST[src % len(FIRST)], LAST[(src * 3) % len(LAST)]
            email = f"{person[0]}.{person[1]}.{src}@mail.example".lower()
            when = BASE + timedelta(days=state.rng.randint(0, 300), minutes=n)
            state.apply(job["eId"], {"email": email, "firstName": person[0], "lastName": person[1],
                                     "mobile": f"555-01{src:02d}" if src % 2 else ""}, {}, when,
                        state.rng.choice(STATES))  # fmt: skip
        return state

    def eid(self) -> str:
        return "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(8))

    def now(self) -> datetime:
        return self.tick()

    # ------------------------------------------------------------------------------------- rendering
    def row(self, app_id: str) -> Raw:
        """One ``/candidate`` row: the candidate with its one application and the application's job."""
        app = self.applications[app_id]
        job = self.jobs[app["_job"]]
        summary = {k: job[k] for k in ("eId", "requisitionId", "title", "department", "location", "jobType",
                                       "postingType", "company", "customField", "hiringManagers", "recruiters",
                                       "primaryHiringManager", "primaryRecruiter")}  # fmt: skip
        rendered = {k: v for k, v in app.items() if not k.startswith("_")}
        return {**self.candidates[app["_candidate"]], "application": {**rendered, "job": summary}}

    # ------------------------------------------------------------------------------------- mutations
    def apply(self, job_id: str, person: Raw, extra: Raw, when: datetime, state: str = "New") -> Raw:
        """A candidate (found by e-mail, else new) applies to a requisition; answers the application."""
        email = str(person["email"]).lower()
        cand = next((c for c in self.candidates.values() if c["email"] == email), None)
        if cand is None:
            cand = {"eId": self.eid(), "firstName": person["firstName"], "lastName": person["lastName"],
                    "email": email, "address": "", "address2": "", "city": "Oakland", "state": "CA",
                    "country": "USA", "postalCode": "94610", "homePhone": "", "workPhone": "",
                    "mobile": person.get("mobile") or "", "companyName": "", "title": "", "location": "Oakland, CA",
                    "workStatus": "US Citizen"}  # fmt: skip
            self.candidates[cand["eId"]] = cand
        resume = extra.get("resume") or {}
        content = base64.b64decode(resume["contentByteArray"]).decode(errors="replace") if resume else "Resume text"
        app: Raw = {
            "eId": self.eid(), "_candidate": cand["eId"], "_job": job_id, "workflowState": state,
            "workflowStateEId": self.states[state], "disposition": "Not a fit" if state == "Rejected" else "",
            "jobviteChannel": "Email", "sourceType": extra.get("sourceType") or "Career Site",
            "source": extra.get("source") or "Company Website", "lastUpdatedDate": ms(when), "sentDate": ms(when),
            "hireDate": ms(when) if state == "Hired" else None, "startDate": None, "gender": "Decline to Self Identify",
            "race": "Decline to Self Identify", "veteranStatus": "Not a Veteran", "consentStatus": "Not Requested",
            "personalDataProcessingStatus": "active", "hasArtifacts": bool(resume),
            "customField": [{"fieldCode": "how_did_you_hear", "key": "How did you hear about us?", "value": "Web"}],
            "resume": {"content": content, "format": "Text", "name": resume.get("name") or "Resume.pdf"},
        }  # fmt: skip
        self.applications[app["eId"]] = app
        return app

    def create(self, body: Raw) -> Raw:
        """``POST /api/v2/candidate``, validated like Jobvite (400 input, 404 requisition, 409 duplicate)."""
        cand = body.get("candidate")
        if not isinstance(cand, dict) or not isinstance(cand.get("application"), dict):
            raise VendorError(400, "candidate and candidate.application are required")
        missing = [k for k in ("email", "firstName", "lastName") if not cand.get(k)]
        if missing:
            raise VendorError(400, f"{missing[0]} is required")
        extra = cand["application"]
        job = self.jobs.get(str(extra.get("jobEId") or ""))
        if job is None:
            raise VendorError(404, f"Requisition {extra.get('jobEId')} not found")
        if job["jobState"] != "Open":
            raise VendorError(400, f"Requisition {job['eId']} is not open for applications")
        email = str(cand["email"]).lower()
        for app in self.applications.values():
            if app["_job"] == job["eId"] and self.candidates[app["_candidate"]]["email"] == email:
                raise VendorError(409, "Candidate has already applied to this requisition")
        return self.apply(job["eId"], cand, extra, self.now())

    def touch(self, app_id: str, **changes: Any) -> None:
        self.applications[app_id].update(changes, lastUpdatedDate=ms(self.now()))

    def move(self, app_id: str, state: str) -> None:
        hired = ms(self.now()) if state == "Hired" else None
        self.touch(app_id, workflowState=state, workflowStateEId=self.states[state], hireDate=hired,
                   disposition="Not a fit" if state == "Rejected" else "")  # fmt: skip

    def edit_candidate(self, cid: str, **changes: Any) -> None:
        """A candidate edit bumps every one of their applications (a row is listed by its application)."""
        self.candidates[cid].update(changes)
        for app_id in [a for a, app in self.applications.items() if app["_candidate"] == cid]:
            self.touch(app_id)

    def delete_candidate(self, cid: str) -> None:
        self.candidates.pop(cid)
        for app_id in [a for a, app in self.applications.items() if app["_candidate"] == cid]:
            self.applications.pop(app_id)

    def live_candidates(self) -> list[str]:
        """Candidates the API shows: those with at least one application (a row is an application)."""
        return sorted({app["_candidate"] for app in self.applications.values()})

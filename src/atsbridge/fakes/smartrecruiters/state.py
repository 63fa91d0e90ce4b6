"""The fake SmartRecruiters tenant: seeded data, mutations for tests, and the write logic.

No Customer-API payload was ever recorded, so records follow the vendor's documented models (``Candidate``,
``CandidateDetails``, ``Assignment``, ``Job``, ``HiringProcess``, ``Attachment``; camelCase, ISO timestamps).
The public postings are deep copies of the recorded Posting API list (``payloads/postings.posting-api.json``)
with only their values varied. Mutations move the candidate's ``updatedOn`` (SmartRecruiters' delta filter),
so a delta sync sees them. Generated dates lie in 2024-2025.
"""

from __future__ import annotations

import copy
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 2, 1, tzinfo=UTC)
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen")
TITLES = ("Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter")
ROLES = ("ADMINISTRATOR", "EXTENDED", "STANDARD", "RESTRICTED", "EMPLOYEE")
TEAM_ROLES = ("HIRING_MANAGER", "RECRUITER", "COORDINATOR", "INTERVIEWER")
STATUSES = ("NEW", "IN_REVIEW", "INTERVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "LEAD")
SUB_STATUSES = {"IN_REVIEW": ["Screening", "Hiring manager review"], "INTERVIEW": ["Phone screen", "Onsite"]}
COMPANY = "AcmeInc"


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


class SrError(VendorError):
    """A refusal, served in SmartRecruiters' shape (``simulate.errors``)."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message)


@dataclass
class FakeState(FakeBase):
    token: str = "sr_token"
    company: str = COMPANY
    users: list[Raw] = field(default_factory=list)
    processes: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    teams: dict[str, list[Raw]] = field(default_factory=dict)
    postings: list[Raw] = field(default_factory=list)
    reasons: list[Raw] = field(default_factory=list)
    candidates: dict[str, Raw] = field(default_factory=dict)
    #: (candidate id, job id) -> application (``/candidates/{id}/jobs/{jobId}``)
    applications: dict[tuple[str, str], Raw] = field(default_factory=dict)
    #: candidate id -> attachments (with the bytes under ``_content``, never served in JSON)
    attachments: dict[str, list[Raw]] = field(default_factory=dict)
    notes: list[Raw] = field(default_factory=list)
    #: Webhooks API subscriptions by id (``fakes.smartrecruiters.webhooks``)
    subscriptions: dict[str, Raw] = field(default_factory=dict)
    #: Documented concurrency: 8 requests in flight per credential, 1 for ``GET /candidates``.
    max_in_flight: int = 8
    max_candidates_in_flight: int = 1
    in_flight: int = 0
    candidates_in_flight: int = 0
    peak_in_flight: int = 0
    concurrency_429s: int = 0
    rng: random.Random = field(default_factory=random.Random)
    _clock: float = 0.0

    def __post_init__(self) -> None:
        FakeBase.__init__(self, HeaderKey(self.token, header="X-SmartToken", prefix=""))

    # ---------------------------------------------------------------------------------------- generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, token: str = "sr_token") -> FakeState:
        state = cls(token=token, rng=random.Random(seed))
        state.users = [state._make_user(n) for n in range(8)]
        state.processes = {
            "hp-default": {"id": "hp-default", "name": "Default", "active": True,
                           "subStatuses": {k: [{"id": state.uid(), "name": v} for v in names]
                                           for k, names in SUB_STATUSES.items()}},
            "hp-simple": {"id": "hp-simple", "name": "Simple", "active": True, "subStatuses": {}},
        }  # fmt: skip
        state.reasons = [{"id": state.uid(), "label": label} for label in ("Not qualified", "Position filled",
                                                                           "Salary expectations")]  # fmt: skip
        for n in range(max(3, records // 6)):
            state._add_job(n)
        while len(state.applications) < records:
            state._add_candidate(len(state.candidates))
        return state

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _make_user(self, n: int) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 2) % len(LAST)]
        return {"id": self.uid(), "email": f"{first}.{last}{n}@acme.example".lower(), "firstName": first,
                "lastName": last, "systemRole": {"id": ROLES[n % len(ROLES)]}, "active": n != 7,
                "updatedOn": iso(BASE)}  # fmt: skip

    def _add_job(self, n: int) -> None:
        jid = self.uid()
        status = ("SOURCING", "SOURCING", "INTERVIEW", "CREATED", "FILLED", "ON_HOLD")[n % 6]
        created = BASE + timedelta(days=n * 5)
        self.jobs[jid] = {
            "id": jid, "title": f"{TITLES[n % len(TITLES)]} {n}", "refNumber": f"REF{1000 + n}", "status": status,
            "postingStatus": "PUBLIC" if status in ("SOURCING", "INTERVIEW") else "NOT_PUBLISHED",
            "createdOn": iso(created), "updatedOn": iso(created + timedelta(days=1)),
            "lastActivityOn": iso(created + timedelta(days=2)),
            "department": {"id": str(8633151 + n % 2), "label": ("Business", "Tech")[n % 2]},
            "location": {"country": "Germany", "countryCode": "de", "city": "Hamburg", "region": "HH",
                         "regionCode": "HH", "remote": n % 3 == 0},
            "typeOfEmployment": {"id": ("permanent", "part_time", "intern")[n % 3],
                                 "label": ("Full-time", "Part-time", "Intern")[n % 3]},
            "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
            "function": {"id": "engineering", "label": "Engineering"},
            "hiringProcessId": "hp-simple" if n % 4 == 3 else "hp-default",
            "actions": {"details": {"url": f"https://api.smartrecruiters.com/jobs/{jid}"}},
        }  # fmt: skip
        self.teams[jid] = [{"id": u["id"], "role": TEAM_ROLES[(n + i) % len(TEAM_ROLES)]}
                           for i, u in enumerate(self.rng.sample(self.users[:7], 2))]  # fmt: skip
        if self.jobs[jid]["postingStatus"] == "PUBLIC":
            self._add_postings(self.jobs[jid], n)

    def _add_postings(self, job: Raw, n: int) -> None:
        recorded = json.loads((PAYLOADS / "postings.posting-api.json").read_text())["content"]
        for language in (0, 1) if n % 2 == 0 else (1,):  # some jobs have a German and an English ad
            posting = copy.deepcopy(recorded[language])
            posting.update(id=str(744000100000000 + n * 10 + language), uuid=self.uid(), name=job["title"],
                           refNumber=job["refNumber"], releasedDate=job["createdOn"])  # fmt: skip
            posting["company"]["identifier"] = self.company
            self.postings.append(posting)

    def _status_pair(self, job: Raw) -> tuple[str, str | None]:
        status = self.rng.choice(STATUSES)
        subs = self.processes[job["hiringProcessId"]]["subStatuses"].get(status) or []
        return status, (self.rng.choice(subs)["name"] if subs else None)

    def _add_candidate(self, n: int, *, email: str | None = None, when: datetime | None = None) -> Raw:
        cid = self.uid()
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3 + 1) % len(LAST)]
        created = when or BASE + timedelta(days=self.rng.randint(0, 500), minutes=n)
        open_jobs = [j for j in self.jobs.values() if j["status"] in ("SOURCING", "INTERVIEW")]
        jobs = self.rng.sample(open_jobs, 2 if n % 7 == 3 else 1)
        cand = {
            "id": cid, "internal": False, "firstName": first, "lastName": last,
            "email": email or f"{first}.{last}.{n}@mail.example".lower(),
            "phoneNumber": f"+49 40 555 {1000 + n}" if n % 3 else None,
            "location": {"country": "Germany", "countryCode": "de", "city": "Hamburg", "region": "HH"},
            "web": {"linkedin": f"https://linkedin.com/in/{first.lower()}{n}"} if n % 2 else {},
            "createdOn": iso(created), "updatedOn": iso(created + timedelta(days=1)),
            "tags": self.rng.sample(["fluent english", "java", "senior", "relocation"], n % 3),
            "averageRating": self.rng.choice((None, 3.0, 4.5)),
            "education": [], "experience": [{"title": "Engineer", "company": "Initech", "current": True}],
            "actions": {"details": {"url": f"https://api.smartrecruiters.com/candidates/{cid}"}},
        }  # fmt: skip
        self.candidates[cid] = cand
        for job in jobs:
            status, sub = self._status_pair(job) if when is None else ("NEW", None)
            self._put_application(cid, job, status, sub, created)
        self.attachments[cid] = []
        if when is None and self.rng.random() < 0.6:
            self.add_file(cid, None, "RESUME", f"{first}-{last}-cv.pdf", b"%PDF-1.4\n% fake cv\n", touch=False)
        return cand

    def _put_application(self, cid: str, job: Raw, status: str, sub: str | None, created: datetime) -> Raw:
        reason = self.rng.choice(self.reasons) if status == "REJECTED" else None
        app = {"applicationId": self.uid(), "status": status, "subStatus": sub, "startsOn": None,
               "source": "API", "reasonOfRejection": copy.deepcopy(reason),
               "reasonOfWithdrawal": {"id": "wd-1", "label": "Accepted another offer"} if status == "WITHDRAWN"
               else None, "createdOn": iso(created)}  # fmt: skip
        self.applications[(cid, job["id"])] = app
        return app

    # ------------------------------------------------------------------------------------------- reading
    def summary(self, cand: Raw) -> Raw:
        """The ``/candidates`` listing's shape: primary assignment plus secondary ones."""
        apps = [(jid, app) for (cid, jid), app in self.applications.items() if cid == cand["id"]]
        assignments = [{"job": {"id": jid, "title": self.jobs[jid]["title"]}, "status": app["status"],
                        "subStatus": app["subStatus"]} for jid, app in apps if jid in self.jobs]  # fmt: skip
        keys = ("id", "internal", "firstName", "lastName", "email", "createdOn", "updatedOn", "location",
                "averageRating", "tags", "actions")  # fmt: skip
        out = {k: copy.deepcopy(cand.get(k)) for k in keys}
        out["primaryAssignment"] = assignments[0] if assignments else None
        out["secondaryAssignments"] = assignments[1:]
        return out

    def details(self, cand: Raw) -> Raw:
        out = {**copy.deepcopy(cand), **self.summary(cand)}
        return out

    def files(self, cid: str) -> list[Raw]:
        return [{k: v for k, v in f.items() if not k.startswith("_")} for f in self.attachments.get(cid, [])]

    # ----------------------------------------------------------------------------------------- mutations
    def now(self) -> datetime:
        self._clock = max(time.time(), self._clock + 0.001)
        return datetime.fromtimestamp(self._clock, UTC)

    def touch(self, cid: str) -> Raw:
        cand = self.candidates[cid]
        cand["updatedOn"] = iso(self.now())
        return cand

    def edit_candidate(self, cid: str, **changes: Any) -> Raw:
        with self.lock:
            self.candidates[cid].update(copy.deepcopy(changes))
            return self.touch(cid)

    def set_status(self, cid: str, job_id: str, status: str, sub: str | None = None, reason: str | None = None) -> Raw:
        """``PUT /candidates/{id}/jobs/{jobId}/status``, validated like SmartRecruiters."""
        with self.lock:
            app = self.applications.get((cid, job_id))
            if app is None:
                raise SrError(404, f"Candidate {cid} has no application to job {job_id}")
            subs = [s["name"] for s in self.processes[self.jobs[job_id]["hiringProcessId"]]["subStatuses"]
                    .get(status) or []]  # fmt: skip
            if status not in ("LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN"):
                raise SrError(400, f"Invalid status {status}")
            if sub is not None and sub not in subs:
                raise SrError(400, f"Invalid subStatus {sub!r} for {status}")
            found = next((r for r in self.reasons if r["id"] == reason), None)
            if status == "REJECTED" and found is None:
                raise SrError(400, "A rejection needs a valid reason")
            app.update(status=status, subStatus=sub or (subs[0] if subs else None),
                       reasonOfRejection=copy.deepcopy(found))  # fmt: skip
            self.touch(cid)
            return app

    def hire(self, cid: str, job_id: str) -> Raw:
        return self.set_status(cid, job_id, "HIRED")

    def reject(self, cid: str, job_id: str) -> Raw:
        return self.set_status(cid, job_id, "REJECTED", reason=self.reasons[0]["id"])

    def delete_candidate(self, cid: str) -> None:
        with self.lock:
            del self.candidates[cid]
            for key in [k for k in self.applications if k[0] == cid]:
                del self.applications[key]
            self.attachments.pop(cid, None)

    def edit_job(self, job_id: str, **changes: Any) -> Raw:
        with self.lock:
            job = self.jobs[job_id]
            job.update(copy.deepcopy(changes))
            job["updatedOn"] = iso(self.now())
            return job

    def create_candidate(self, job_id: str, body: Raw) -> Raw:
        """``POST /jobs/{jobId}/candidates``: a new candidate with a NEW application to the job."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                raise SrError(404, f"Job {job_id} not found")
            if job["status"] not in ("SOURCING", "INTERVIEW"):
                raise SrError(400, f"Job {job_id} is not accepting candidates ({job['status']})")
            missing = [k for k in ("firstName", "lastName", "email") if not body.get(k)]
            if missing:
                raise SrError(400, f"Missing required fields: {', '.join(missing)}")
            now = self.now()
            cand = self._add_candidate(len(self.candidates), email=str(body["email"]), when=now)
            for key in [k for k in self.applications if k[0] == cand["id"]]:
                del self.applications[key]
            self._put_application(cand["id"], job, "NEW", None, now)
            known = ("firstName", "lastName", "phoneNumber", "location", "web", "experience", "tags")
            cand.update({k: copy.deepcopy(body[k]) for k in known if k in body})
            cand["phoneNumber"] = body.get("phoneNumber")
            self.touch(cand["id"])
            return self.details(cand)

    def add_file(
        self, cid: str, job_id: str | None, kind: str, name: str, content: bytes, *, touch: bool = True
    ) -> Raw:
        with self.lock:
            if cid not in self.candidates:
                raise SrError(404, f"Candidate {cid} not found")
            if kind not in ("RESUME", "COVER_LETTER", "GENERIC"):
                raise SrError(400, f"Invalid attachmentType {kind}")
            created = self.now() if touch else BASE
            file = {"id": self.uid(), "name": name, "type": kind, "contentType": "application/pdf"
                    if name.endswith(".pdf") else "text/plain", "jobId": job_id, "createdOn": iso(created),
                    "_content": content}  # fmt: skip
            self.attachments.setdefault(cid, []).append(file)
            if touch:
                self.touch(cid)
            return {k: v for k, v in file.items() if not k.startswith("_")}

    def set_tags(self, cid: str, tags: list[str]) -> Raw:
        with self.lock:
            if cid not in self.candidates:
                raise SrError(404, f"Candidate {cid} not found")
            self.candidates[cid]["tags"] = list(dict.fromkeys(tags))
            self.touch(cid)
            return {"tags": self.candidates[cid]["tags"]}

    def add_note(self, cid: str, content: str, share: Raw) -> Raw:
        with self.lock:
            if cid not in self.candidates:
                raise SrError(404, f"Candidate {cid} not found")
            note = {"id": self.uid(), "content": content, "correlationId": cid, "shareWith": share,
                    "createdOn": iso(self.now())}  # fmt: skip
            self.notes.append(note)
            return note

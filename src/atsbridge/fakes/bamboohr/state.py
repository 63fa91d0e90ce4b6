"""The fake BambooHR tenant: seeded data built from the recorded payloads, mutations, and the write logic.

Every record starts as a deep copy of a recorded one (``payloads/``, verbatim copies of
``vendor-payloads/bamboohr``) and only its values vary, so the fake serves exactly BambooHR's shapes. Each
application also has a hidden ``last updated`` clock (BambooHR sorts by it but never shows it): status changes,
applicant edits and comments move it. Generated dates lie in 2024-2025, well before any test run.
"""

from __future__ import annotations

import copy
import json
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from atsbridge.fakes.kit.auth import BasicAuth
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 3, 1, tzinfo=UTC)
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen")
TITLES = ("Financial Analyst", "Software Engineer", "Marketing Manager", "IT Security Engineer", "Videographer")
DEPARTMENTS = ((18259, "Finance"), (18264, "Product"), (18256, "Marketing"), (18251, "IT"))
#: Job opening statuses as ``/applicant_tracking/jobs`` labels them (id, label).
JOB_STATUSES = ((1, "Open"), (2, "Draft"), (3, "On Hold"), (4, "Filled"), (5, "Canceled"))
SOURCES = (None, "LinkedIn", "Indeed", "ZipRecruiter", "other")


@cache
def _payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def template(name: str) -> Any:
    return copy.deepcopy(_payload(name))


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass
class FakeState(FakeBase):
    """The tenant; auth (the key as Basic user name, any password), faults, log and pace come from FakeBase."""

    api_key: str = "bamboo_key"
    company_domain: str = "acme"
    users: dict[str, Raw] = field(default_factory=dict)
    statuses: list[Raw] = field(default_factory=list)
    jobs: dict[int, Raw] = field(default_factory=dict)
    #: application id -> detail record (the shape of ``GET /applications/{id}``)
    applications: dict[int, Raw] = field(default_factory=dict)
    #: application id -> hidden last-updated clock (what ``sortBy=last_updated`` sorts on)
    updated: dict[int, float] = field(default_factory=dict)
    comments: dict[int, list[Raw]] = field(default_factory=dict)
    #: The server's fixed page size for the applications listing (``per_page`` is ignored, as recorded).
    page_size: int = 100
    rng: random.Random = field(default_factory=random.Random)
    _clock: float = 0.0
    _ids: dict[str, int] = field(default_factory=lambda: {"application": 100, "applicant": 500, "event": 1000})

    def __post_init__(self) -> None:
        FakeBase.__init__(self, BasicAuth(self.api_key, None, realm="BambooHR"))

    # ---------------------------------------------------------------------------------------- generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, api_key: str = "bamboo_key") -> FakeState:
        state = cls(api_key=api_key, rng=random.Random(seed))
        state.statuses = template("statuses.json")
        for n in range(8):
            user = state._make_user(n)
            state.users[str(user["id"])] = user
        for n in range(max(3, records // 6)):
            job = state._make_job(n)
            state.jobs[job["id"]] = job
        open_jobs = [j for j in state.jobs.values() if j["status"]["label"] != "Draft"]
        for n in range(records):
            app = state._make_application(n, state.rng.choice(open_jobs))
            state.applications[app["id"]] = app
            state.updated[app["id"]] = datetime.fromisoformat(app["status"]["dateChanged"]).timestamp()
        return state

    def next_id(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    def _make_user(self, n: int) -> Raw:
        user: Raw = template("users.json")["2370"]
        first, last = FIRST[n % len(FIRST)], LAST[(n * 2) % len(LAST)]
        email = f"{first}.{last}{n}@example.com".lower()
        status = "disabled" if n == 7 else "enabled"
        user.update(id=3000 + n, employeeId=40 + n, firstName=first, lastName=last, email=email, status=status)
        return user

    def _make_job(self, n: int) -> Raw:
        job: Raw = template("jobs.json")[0]
        status = JOB_STATUSES[0] if n % 5 else JOB_STATUSES[1 + (n // 5) % 4]
        dept = DEPARTMENTS[n % len(DEPARTMENTS)]
        lead = self.rng.choice([u for u in self.users.values() if u["status"] == "enabled"])
        job.update(id=10 + n, postedDate=iso(BASE + timedelta(days=n * 3)),
                   postingUrl=f"https://{self.company_domain}.bamboohr.com/careers/{10 + n}")  # fmt: skip
        job["title"]["label"] = f"{TITLES[n % len(TITLES)]} {n}"
        job["status"] = {"id": status[0], "label": status[1]}
        job["department"] = {"id": dept[0], "label": dept[1]}
        job["location"]["label"] = "Salt Lake City, Utah" if n % 2 else "Remote"
        job["hiringLead"].update(employeeId=lead["employeeId"], firstName=lead["firstName"], lastName=lead["lastName"])
        return job

    def _status(self, code: str) -> Raw:
        return next(s for s in self.statuses if s["code"] == code)

    def _make_application(self, n: int, job: Raw, *, applied: datetime | None = None) -> Raw:
        app: Raw = template("application.json")
        applied = applied or BASE + timedelta(days=self.rng.randint(0, 400), minutes=n)
        code = self.rng.choice(("NEW", "NEW", "REVIEWED", "SCHEDINT", "INTERVIEW", "HIRED", "NOFIT", "NOQUAL"))
        status = self._status(code)
        changed = applied + timedelta(days=self.rng.randint(0, 20)) if code != "NEW" else applied
        first, last = FIRST[n % len(FIRST)], LAST[(n * 5 + 1) % len(LAST)]
        app.update(id=self.next_id("application"), appliedDate=iso(applied), rating=self.rng.choice((None, 3, 4, 5)))
        app["status"] = {"id": int(status["id"]), "label": status["name"], "dateChanged": iso(changed),
                         "changedByUser": None}  # fmt: skip
        applicant = app["applicant"]
        applicant.update(id=self.next_id("applicant"), firstName=first, lastName=last,
                         email=f"{first}.{last}.{n}@mail.example".lower(), source=self.rng.choice(SOURCES),
                         phoneNumber=f"+1 801 555 {1000 + n}" if n % 3 else None)  # fmt: skip
        address = {"addressLine1": f"{n} Main St", "addressLine2": None, "city": "Lindon", "state": "Utah",
                   "zipcode": "84042", "country": "United States"}  # fmt: skip
        applicant["address"] = address if n % 2 else None
        applicant["linkedinUrl"] = f"https://www.linkedin.com/in/{first.lower()}{n}" if n % 4 == 0 else None
        self._attach_job(app, job)
        app["questionsAndAnswers"] = template("application.2.json")["questionsAndAnswers"][: n % 3]
        return app

    @staticmethod
    def _attach_job(app: Raw, job: Raw) -> None:
        app["job"] = {
            "id": job["id"],
            "title": copy.deepcopy(job["title"]),
            "hiringLead": copy.deepcopy(job["hiringLead"]),
        }

    # ------------------------------------------------------------------------------------------- reading
    def row(self, app: Raw) -> Raw:
        """The listing's summary of an application (the recorded ``applications.json`` row shape)."""
        applicant = app["applicant"]
        return {
            "id": app["id"], "appliedDate": app["appliedDate"],
            "status": {"id": app["status"]["id"], "label": app["status"]["label"]}, "rating": app["rating"],
            "applicant": {k: applicant.get(k) for k in ("id", "firstName", "lastName", "avatar", "email", "source")},
            "job": {"id": app["job"]["id"], "title": copy.deepcopy(app["job"]["title"])},
        }  # fmt: skip

    def code_of(self, app: Raw) -> str:
        return next((s["code"] for s in self.statuses if int(s["id"]) == app["status"]["id"]), "")

    # ----------------------------------------------------------------------------------------- mutations
    def now(self) -> datetime:
        """Wall clock, strictly increasing in whole seconds (BambooHR timestamps have no fraction)."""
        self._clock = max(float(int(time.time())), self._clock + 1)
        return datetime.fromtimestamp(self._clock, UTC)

    def _touch(self, app_id: int) -> Raw:
        self.updated[app_id] = self.now().timestamp()
        return self.applications[app_id]

    def edit_applicant(self, app_id: int, **changes: Any) -> Raw:
        """An applicant edit: moves the hidden last-updated clock, not ``status.dateChanged``."""
        with self.lock:
            app = self._touch(app_id)
            app["applicant"].update(copy.deepcopy(changes))
            return app

    def set_status(self, app_id: int, status_id: int) -> Raw:
        """``POST /applications/{id}/status``: move, hire and reject are all a status change."""
        with self.lock:
            if app_id not in self.applications:
                raise VendorError(404, "Application not found")
            status = next((s for s in self.statuses if int(s["id"]) == int(status_id)), None)
            if status is None:
                raise VendorError(400, f"Invalid status id {status_id}")
            app = self._touch(app_id)
            app["status"] = {"id": int(status["id"]), "label": status["name"],
                             "dateChanged": iso(datetime.fromtimestamp(self.updated[app_id], UTC)),
                             "changedByUser": None}  # fmt: skip
            return app

    def move(self, app_id: int, code: str) -> Raw:
        return self.set_status(app_id, int(self._status(code)["id"]))

    def hire(self, app_id: int) -> Raw:
        return self.move(app_id, "HIRED")

    def reject(self, app_id: int, code: str = "NOFIT") -> Raw:
        return self.move(app_id, code)

    def delete_application(self, app_id: int) -> None:
        """Deleted applications vanish from the listing and their detail answers 404."""
        with self.lock:
            del self.applications[app_id]
            self.updated.pop(app_id, None)

    def add_comment(self, app_id: int, text: str) -> Raw:
        with self.lock:
            if app_id not in self.applications:
                raise VendorError(404, "Application not found")
            self._touch(app_id)
            comment = {"type": "comment", "id": self.next_id("event"), "comment": text}
            self.comments.setdefault(app_id, []).append(comment)
            self.applications[app_id]["commentCount"] = len(self.comments[app_id])
            return comment

    def edit_job(self, job_id: int, **changes: Any) -> Raw:
        with self.lock:
            self.jobs[job_id].update(copy.deepcopy(changes))
            return self.jobs[job_id]

    def delete_job(self, job_id: int) -> None:
        with self.lock:
            self.jobs[job_id]["status"] = {"id": 6, "label": "Deleted"}

    def create_application(self, form: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> int:
        """``POST /applicant_tracking/application``: validates like BambooHR, then stores a new application."""
        with self.lock:
            missing = [k for k in ("firstName", "lastName", "jobId") if not form.get(k)]
            if missing:
                raise VendorError(400, f"Missing required field(s): {', '.join(missing)}")
            job = self.jobs.get(int(form["jobId"])) if form["jobId"].isdigit() else None
            if job is None or job["status"]["label"] in ("Deleted", "Draft"):
                raise VendorError(400, f"Invalid jobId {form['jobId']}")
            now = self.now()
            app = self._make_application(len(self.applications), job, applied=now)
            new = self._status("NEW")
            app["status"] = {"id": int(new["id"]), "label": new["name"], "dateChanged": iso(now), "changedByUser": None}
            app["rating"], app["questionsAndAnswers"] = None, []
            applicant = app["applicant"]
            applicant.update(firstName=form["firstName"], lastName=form["lastName"], email=form.get("email"),
                             phoneNumber=form.get("phoneNumber"), source=form.get("source"),
                             linkedinUrl=form.get("linkedinUrl"), websiteUrl=form.get("websiteUrl"),
                             availableStartDate=form.get("dateAvailable"))  # fmt: skip
            applicant["address"] = None
            if form.get("city") or form.get("country"):
                applicant["address"] = {"addressLine1": form.get("address"), "addressLine2": None,
                                        "city": form.get("city"), "state": form.get("state"),
                                        "zipcode": form.get("zip"), "country": form.get("country")}  # fmt: skip
            app["desiredSalary"] = form.get("desiredSalary")
            app["resumeFileId"] = self.next_id("event") if "resume" in files else None
            app["coverLetterFileId"] = self.next_id("event") if "coverLetter" in files else None
            self.applications[app["id"]] = app
            self.updated[app["id"]] = now.timestamp()
            return int(app["id"])

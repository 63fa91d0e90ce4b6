"""The fake JazzHR's account: users, jobs, categories, applicants (kept as details), applicants2jobs, hires, and
the mutations tests, ``simulate`` and the write handlers make. Shapes are the SDK's fields (package docstring)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import QueryKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
#: The account's one workflow (JazzHR's default steps): step id -> name.
STEPS = {1001: "New", 1002: "Phone Screen", 1003: "Interview", 1004: "Offer", 1005: "Hired", 1006: "Not Hired"}
HIRED, NOT_HIRED = 1005, 1006
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")
APPLICANT_LIST = ("id", "first_name", "last_name", "prospect_phone", "apply_date", "job_id", "job_title")


@dataclass
class FakeState(FakeBase):
    api_key: str = "jazz_key"
    users: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    categories: dict[str, Raw] = field(default_factory=dict)
    applicants: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    hires: dict[str, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (100, 60.0)
    _serial: int = 0

    def __post_init__(self) -> None:
        FakeBase.__init__(self, QueryKey(self.api_key, "apikey"),
                          FixedWindow(*self.rate, announce=False) if self.rate else None)  # fmt: skip

    def uid(self, prefix: str, when: datetime) -> str:
        self._serial += 1
        return f"{prefix}_{when:%Y%m%d%H%M%S}_{self._serial:06d}{self.rng.choice('ABCDEFGHJK')}"

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (100, 60.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n, (kind, name) in enumerate((("super_admin", "Sam"), ("recruiting_user", "Robin"), ("employee", "Eli"))):
            uid = state.uid("usr", BASE + timedelta(days=n))
            state.users[uid] = {"id": uid, "first_name": name, "last_name": "Admin" if n == 0 else "Jazz",
                                "email": f"{name.lower()}@acme.example", "type": kind,
                                "date_created": f"{BASE.date() + timedelta(days=n)}"}  # fmt: skip
        for n, name in enumerate(("Referral", "Top talent")):
            cid = str(880 + n)
            state.categories[cid] = {"id": cid, "name": name, "status": "1", "created_by": next(iter(state.users)),
                                     "date_created": f"{BASE.date()}"}  # fmt: skip
        lead = next(iter(state.users))
        for n in range(max(3, records // 6)):
            opened = BASE + timedelta(days=n)
            jid = state.uid("job", opened)
            state.jobs[jid] = {
                "id": jid, "team_id": "", "title": f"Job {n}", "country_id": "US", "city": "Austin", "state": "TX",
                "zip": "73301", "department": ("Engineering", "Sales")[n % 2], "description": f"<p>Job {n}</p>",
                "minimum_salary": "", "maximum_salary": "", "notes": "", "original_open_date": f"{opened.date()}",
                "type": "Full Time", "status": "Closed" if n % 5 == 4 else "Open", "send_to_job_boards": "1",
                "hiring_lead": lead, "board_code": f"B{n:04d}", "internal_code": f"J-{n}", "questionnaire": "",
            }  # fmt: skip
        for n in range(records):
            job = state.rng.choice([j for j in state.jobs.values() if j["status"] == "Open"])
            first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
            applicant = state.add_applicant(first, last, f"{first}.{last}.{n}@mail.example".lower(),
                                            BASE + timedelta(days=state.rng.randint(0, 300), minutes=n))  # fmt: skip
            app = state.apply(applicant["id"], job["id"], state.rng.choice(list(STEPS)))
            if app["workflow_step_id"] == HIRED:
                state.hire(app["id"])
            if n % 4 == 0:
                state.comment(applicant["id"], lead, f"First call with {first}.")
            if n % 7 == 0:
                state.tag(applicant["id"], "880")
        return state

    def now(self) -> datetime:
        """A clock that only moves forward (creation stamps of new records)."""
        self._serial += 1
        return BASE + timedelta(days=600, seconds=self._serial)

    # ------------------------------------------------------------------------------------------ records
    def add_applicant(self, first: str, last: str, email: str, when: datetime, phone: str = "") -> Raw:
        aid = self.uid("prospect", when)
        self.applicants[aid] = {
            "id": aid, "first_name": first, "last_name": last, "email": email, "address": "", "location": "Austin, TX",
            "phone": phone or f"512555{self._serial:04d}", "linkedin_url": "", "website": "", "twitter_username": "",
            "desired_salary": "", "desired_start_date": "", "referrer": "", "apply_date": f"{when.date()}",
            "source": "Job board", "recruiter_id": "", "rating": "0", "resume_link": "", "comments_count": "0",
            "jobs": [], "comments": [], "feedback": [], "categories": [], "questionnaire": [], "evaluation": [],
        }  # fmt: skip
        return self.applicants[aid]

    def apply(self, applicant_id: str, job_id: str, step: int = 1001) -> Raw:
        applicant, job = self.applicants[applicant_id], self.jobs[job_id]
        pid = self.uid("projob", BASE)
        self.applications[pid] = {"id": pid, "applicant_id": applicant_id, "job_id": job_id, "rating": 0,
                                  "workflow_step_id": step, "date": "0000-00-00"}  # fmt: skip
        applicant["jobs"].append({"job_id": job_id, "job_title": job["title"], "workflow_step_id": str(step),
                                  "applicant_progress": STEPS[step], "hiring_lead_rating": "0",
                                  "average_rating": "0"})  # fmt: skip
        return self.applications[pid]

    def move(self, application_id: str, step: int) -> Raw:
        app = self.applications[application_id]
        app["workflow_step_id"] = step
        for entry in self.applicants[app["applicant_id"]]["jobs"]:
            if entry["job_id"] == app["job_id"]:
                entry.update(workflow_step_id=str(step), applicant_progress=STEPS[step])
        return app

    def hire(self, application_id: str) -> Raw:
        app = self.move(application_id, HIRED)
        when = BASE + timedelta(days=400, minutes=len(self.hires))
        hid = str(89_000_000 + self._serial)
        self._serial += 1
        self.hires[hid] = {"id": hid, "applicant_id": app["applicant_id"], "job_id": app["job_id"],
                           "workflow_step_id": str(HIRED), "workflow_step_name": STEPS[HIRED],
                           "hired_date": f"{when.date()}", "hired_time": f"{when:%H:%M:%S}"}  # fmt: skip
        return self.hires[hid]

    def comment(self, applicant_id: str, user_id: str, text: str) -> Raw:
        applicant = self.applicants[applicant_id]
        user = self.users[user_id]
        when = BASE + timedelta(days=500, seconds=self._serial)
        note = {"id": str(5_000_000 + self._serial), "author_id": user_id,
                "author_name": f"{user['first_name']} {user['last_name']}", "text": text,
                "date": f"{when.date()}", "time": f"{when:%H:%M:%S}"}  # fmt: skip
        self._serial += 1
        applicant["comments"].append(note)
        applicant["comments_count"] = str(len(applicant["comments"]))
        return note

    def tag(self, applicant_id: str, category_id: str) -> Raw:
        category = self.categories[category_id]
        link = {"category_id": category_id, "name": category["name"], "date_created": f"{BASE.date()}", "status": "1"}
        self.applicants[applicant_id]["categories"].append(link)
        return link

    def delete_applicant(self, applicant_id: str) -> None:
        self.applicants.pop(applicant_id)
        for table in (self.applications, self.hires):
            for key in [k for k, row in table.items() if row["applicant_id"] == applicant_id]:
                table.pop(key)

    # ---------------------------------------------------------------------------------------- rendering
    def applicant_row(self, applicant: Raw) -> Raw:
        """The list row: the applicant's latest job only."""
        row = {k: applicant.get(k, "") for k in APPLICANT_LIST if k in applicant}
        latest = applicant["jobs"][-1] if applicant["jobs"] else {}
        return {**row, "prospect_phone": applicant["phone"], "job_id": latest.get("job_id", ""),
                "job_title": latest.get("job_title", "")}  # fmt: skip

    def require(self, table: dict[str, Raw], key: Any, what: str) -> Raw:
        found = table.get(str(key or ""))
        if found is None:
            raise VendorError(400, f"Invalid {what}")
        return found

"""The fake Pinpoint tenant: users, rejection reasons, jobs with their stages, candidates, applications and
comments, kept as plain rows (attributes + related ids) and rendered as JSON:API resources on the way out.
The mutations are the ones ``simulate`` and the write handlers make (see the package docstring for shapes)."""

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
PIPELINE = (
    ("Applied", "applied"),
    ("Screening", "in_progress"),
    ("Interview", "in_progress"),
    ("Offer", "offer"),
    ("Hired", "hired"),
    ("Rejected", "rejected"),
    ("Withdrawn", "withdrawn"),
)
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton", "Ritchie")
#: relationship name -> (resource type, table) of every resource; a row keeps the related id(s) under the name.
RELATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "jobs": {"stages": ("stages", "stages")},
    "applications": {
        "candidate": ("candidates", "candidates"),
        "job": ("jobs", "jobs"),
        "stage": ("stages", "stages"),
        "rejection_reason": ("rejection_reasons", "rejection_reasons"),
        "comments": ("comments", "comments"),
    },
    "comments": {"commentable": ("applications", "applications")},
}


def stamp(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass
class FakeState(Seeded):
    api_key: str = "pinpoint_key"
    users: dict[str, Raw] = field(default_factory=dict)
    rejection_reasons: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    stages: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    comments: dict[str, Raw] = field(default_factory=dict)
    seq: int = 1000

    def __post_init__(self) -> None:
        self.serve(HeaderKey(self.api_key, header="X-API-KEY", prefix=""))

    def now(self) -> str:
        return stamp(self.tick())

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        old = stamp(BASE)
        for n in range(4):
            user = dict(first_name=FIRST[n], last_name=LAST[n], email=f"{FIRST[n].lower()}@acme.example")
            s.users[s.new_id()] = {"attributes": {**user, "created_at": old, "updated_at": old}}
        for name in ("Not enough experience", "Salary expectations", "Position filled"):
            s.rejection_reasons[s.new_id()] = {"attributes": {"name": name, "created_at": old, "updated_at": old}}
        for n in range(max(3, records // 8)):
            status, visibility = ("closed" if n % 6 == 5 else "open"), ("confidential" if n % 4 == 3 else "public")
            at, jid = stamp(BASE + timedelta(days=n)), s.new_id()
            posting = dict(title=f"Engineer {n}", description=f"<p>Job {n}</p>", department=("Tech", "Sales")[n % 2],
                          employment_type="full_time", status=status, visibility=visibility, opened_at=at,
                          closed_at=at if status == "closed" else None, url=f"https://acme.pinpointhq.com/jobs/{jid}",
                          created_at=at, updated_at=at)  # fmt: skip
            s.jobs[jid] = {"attributes": posting, "stages": []}
            for pos, (name, kind) in enumerate(PIPELINE):
                sid = s.new_id()
                stage = dict(name=name, stage_type=kind, position=pos, created_at=at, updated_at=at)
                s.stages[sid] = {"attributes": stage, "job": jid}
                s.jobs[jid]["stages"].append(sid)
        open_jobs = [j for j, job in s.jobs.items() if job["attributes"]["status"] == "open"]
        for n in range(records):
            when = stamp(BASE + timedelta(days=s.rng.randint(0, 300), minutes=n))
            first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
            person = dict(first_name=first, last_name=last, email=f"{first}.{last}.{n}@mail.example".lower(),
                          phone=f"+44 20 7946 {n:04d}" if n % 2 else None)  # fmt: skip
            job = s.rng.choice(open_jobs)
            s.add_application(person, job, s.rng.choice(s.jobs[job]["stages"]), when)
        return s

    # ------------------------------------------------------------------------------------------ rows
    def add_application(self, person: Raw, job: str, stage: str, when: str, extra: Raw | None = None) -> str:
        email = str(person["email"]).lower()
        cid = next((c for c, row in self.candidates.items() if row["attributes"]["email"] == email), None)
        if cid is None:
            cid = self.new_id()
            empty = dict.fromkeys(("linkedin_url", "address1", "town", "postcode", "country"))
            self.candidates[cid] = {"attributes": {**person, **empty, "email": email, "source": "Careers site",
                                                   "created_at": when, "updated_at": when}}  # fmt: skip
        aid = self.new_id()
        attributes = {**person, **(extra or {}), "email": email, "source": "Careers site", "tags": [],
                      "rejected_at": None, "created_at": when, "updated_at": when,
                      "admin_url": f"https://acme.pinpointhq.com/admin/applications/{aid}"}  # fmt: skip
        self.applications[aid] = {"attributes": attributes, "candidate": cid, "job": job, "stage": stage,
                                  "rejection_reason": None, "comments": []}  # fmt: skip
        if self.stages[stage]["attributes"]["stage_type"] in ("rejected", "withdrawn"):
            self.applications[aid]["rejection_reason"] = self.rng.choice(list(self.rejection_reasons))
            self.applications[aid]["attributes"]["rejected_at"] = when
        return aid

    def move(self, aid: str, sid: str, reason: str | None = None) -> None:
        with self.lock:
            app = self.applications[aid]
            if self.stages.get(sid, {}).get("job") != app["job"]:
                raise VendorError(422, "Stage must belong to the application's job", field="/data/relationships/stage")
            now = self.now()
            declined = self.stages[sid]["attributes"]["stage_type"] in ("rejected", "withdrawn")
            app.update(stage=sid, rejection_reason=(reason or app["rejection_reason"]) if declined else None)
            app["attributes"].update(updated_at=now, rejected_at=now if declined else None)

    def edit_candidate(self, cid: str, **changes: Any) -> None:
        with self.lock:
            self.candidates[cid]["attributes"].update(changes, updated_at=self.now())

    def delete_candidate(self, cid: str) -> None:
        with self.lock:
            self.candidates.pop(cid)
            for aid in [a for a, row in self.applications.items() if row["candidate"] == cid]:
                self.applications.pop(aid)

    def comment(self, aid: str, text: str) -> str:
        with self.lock:
            now = self.now()
            rid = self.new_id()
            self.comments[rid] = {
                "attributes": {"body_text": text, "created_at": now, "updated_at": now},
                "commentable": aid,
            }
            self.applications[aid]["comments"].append(rid)
            return rid

    def visible(self, aid: str, visibility: set[str]) -> bool:
        """Applications of confidential jobs are listed only when ``filter[job_visibility]`` names them."""
        job = self.jobs[self.applications[aid]["job"]]["attributes"]
        return job["visibility"] != "confidential" or "confidential" in visibility

"""The fake Umantis tenant: users, jobs, stages (the default pipeline and job-specific ones), persons and
applications, kept as plain rows (attributes + related ids) and rendered as JSON:API resources on the way out.
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
#: The tenant's default pipeline: (name, category); the status an application there has.
PIPELINE = (("Eingang", "new"), ("Vorauswahl", "screening"), ("Interview", "interview"), ("Angebot", "offer"),
            ("Eingestellt", "hired"), ("Absage", "rejected"))  # fmt: skip
STATUS_OF = {"hired": "hired", "rejected": "rejected"}
FIRST = ("Anna", "Lukas", "Mia", "Noah", "Lea", "Elias", "Sofia", "Jonas", "Laura")
LAST = ("Meier", "Keller", "Huber", "Brunner", "Frei", "Baumann", "Gerber", "Moser")
#: relationship name -> (resource type, table); a row keeps the related id under the name.
RELATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "stages": {"job": ("jobs", "jobs")},
    "applications": {"person": ("persons", "persons"), "job": ("jobs", "jobs"), "stage": ("stages", "stages")},
}


def stamp(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass
class FakeState(Seeded):
    api_key: str = "umantis_key"
    users: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    stages: dict[str, Raw] = field(default_factory=dict)
    persons: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    seq: int = 5000

    def __post_init__(self) -> None:
        self.serve(HeaderKey(self.api_key, header="Authorization", prefix="Bearer "))

    def now(self) -> str:
        return stamp(self.tick())

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        old = stamp(BASE)
        for n in range(4):
            user = dict(first_name=FIRST[n], last_name=LAST[n], email=f"{FIRST[n].lower()}@acme.example",
                        active=n != 3)  # fmt: skip
            s.users[s.new_id()] = {"attributes": {**user, "created_at": old, "updated_at": old}}
        for pos, (name, category) in enumerate(PIPELINE):
            s.stages[s.new_id()] = {"attributes": dict(name=name, category=category, position=pos, active=True),
                                    "job": None}  # fmt: skip
        for n in range(max(3, records // 8)):
            status = "closed" if n % 6 == 5 else "open"
            at, jid = stamp(BASE + timedelta(days=n)), s.new_id()
            posting = dict(title=f"Sachbearbeiter/in {n}", reference=f"J-{100 + n}", description=f"<p>Stelle {n}</p>",
                           department=("HR", "Finanzen")[n % 2], location=("Zürich", "Bern")[n % 2],
                           employment_type=("full_time", "part_time")[n % 2], status=status,
                           visibility=("public", "internal")[n % 3 == 2], published_at=at,
                           closed_at=at if status == "closed" else None,
                           url=f"https://acme.umantis.com/Vacancies/{jid}", created_at=at, updated_at=at)  # fmt: skip
            s.jobs[jid] = {"attributes": posting}
            if n % 4 == 1:  # a job-specific stage
                stage = dict(name="Assessment", category="interview", position=len(PIPELINE), active=True)
                s.stages[s.new_id()] = {"attributes": stage, "job": jid}
        open_jobs = [j for j, job in s.jobs.items() if job["attributes"]["status"] == "open"]
        for n in range(records):
            when = stamp(BASE + timedelta(days=s.rng.randint(0, 300), minutes=n))
            first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
            person = dict(first_name=first, last_name=last, email=f"{first}.{last}.{n}@mail.example".lower(),
                          phone=f"+41 44 555 {n:04d}" if n % 2 else None)  # fmt: skip
            job = s.rng.choice(open_jobs)
            pid = s.add_person(person, when)
            s.add_application(pid, job, s.rng.choice(s.pipeline(job)), when)
        return s

    # ------------------------------------------------------------------------------------------ rows
    def pipeline(self, job: str) -> list[str]:
        """The stages an application of ``job`` may be in: the default pipeline and the job's own stages."""
        return [sid for sid, row in self.stages.items() if row["job"] in (None, job)]

    def add_person(self, person: Raw, when: str) -> str:
        pid = self.new_id()
        empty = dict.fromkeys(("phone", "mobile", "street", "zip_code", "city", "country"))
        self.persons[pid] = {"attributes": {**empty, **person, "email": str(person["email"]).lower(),
                                            "created_at": when, "updated_at": when}}  # fmt: skip
        return pid

    def add_application(self, pid: str, job: str, stage: str, when: str, source: str | None = None) -> str:
        aid = self.new_id()
        category = self.stages[stage]["attributes"]["category"]
        status = STATUS_OF.get(category, "active")
        attributes = {"status": status, "source": source or "Karriereseite", "created_at": when, "updated_at": when,
                      "rejected_at": when if status == "rejected" else None,
                      "rejection_reason": "Profil passt nicht" if status == "rejected" else None}  # fmt: skip
        self.applications[aid] = {"attributes": attributes, "person": pid, "job": job, "stage": stage}
        return aid

    def move(self, aid: str, sid: str, status: str | None = None) -> None:
        with self.lock:
            app = self.applications[aid]
            if sid not in self.pipeline(app["job"]):
                raise VendorError(
                    422, "Stage does not belong to the application's job", field="/data/relationships/stage"
                )
            now = self.now()
            status = status or STATUS_OF.get(self.stages[sid]["attributes"]["category"], "active")
            declined = status in ("rejected", "withdrawn")
            app["stage"] = sid
            app["attributes"].update(status=status, updated_at=now, rejected_at=now if declined else None,
                                     rejection_reason="Andere Kandidatur bevorzugt" if declined else None)  # fmt: skip

    def edit_person(self, pid: str, **changes: Any) -> None:
        with self.lock:
            self.persons[pid]["attributes"].update(changes, updated_at=self.now())

    def delete_person(self, pid: str) -> None:
        """Umantis deletes a person with their applications (GDPR erasure)."""
        with self.lock:
            self.persons.pop(pid)
            for aid in [a for a, row in self.applications.items() if row["person"] == pid]:
                self.applications.pop(aid)

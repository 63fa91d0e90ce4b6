"""The OTYS tenant: vacancies, candidates, procedures (applications), three status levels and users, every
record soft-deletable (``isDeleted``) and stamped ``lastModified`` on each change, as ``getListEx`` filters them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.jsonrpc import OpenAuth, Sessions
from atsbridge.fakes.kit.seeded import Seeded
from atsbridge.fakes.kit.simulate import pick

Raw = dict[str, Any]
API_KEY = "otys_api_key"
BASE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
FIRST = ("Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess")
LAST = (("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("van den", "Berg"))
TITLES = ("Python-ontwikkelaar", "Recruiter", "Accountmanager", "Logistiek medewerker")
#: (level, uid, code): level 1 is the main procedure status, 2 and 3 refine it (tenant-defined).
STATUSES = ((1, "1", "Nieuw"), (1, "2", "Gesprek"), (1, "3", "Aanbieding"), (1, "4", "Geplaatst"),
            (1, "5", "Afgewezen"), (2, "11", "Eerste gesprek"), (2, "12", "Tweede gesprek"),
            (3, "21", "Referenties gecheckt"))  # fmt: skip
#: Records served per getListEx call at most; more needs ``excludeLimitCheck`` [conn].
LIMIT = 200


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeState(Seeded):
    vacancies: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    procedures: dict[str, Raw] = field(default_factory=dict)
    users: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (350, 60.0)
    seq: int = 5000
    sessions: Sessions = field(default_factory=Sessions)
    #: The clock of generated data; ``now()`` (real time) stamps later changes.
    clock: datetime = BASE

    def __post_init__(self) -> None:
        self.serve(OpenAuth())

    def uid(self) -> str:
        return self.new_id()

    def now(self) -> str:
        return stamp(datetime.now(UTC))

    def _tick(self) -> str:
        self.clock += timedelta(minutes=7)
        return stamp(self.clock)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (350, 60.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i, (first, last) in enumerate((("Anouk", "Visser"), ("Bram", "Smit"), ("Fleur", "Mulder"))):
            uid = str(100 + i)
            mail = f"{first.lower()}@bureau.example"
            s.users[uid] = {"uid": uid, "firstName": first, "lastName": last, "email": mail, "active": i < 2}
        for _ in range(max(2, records // 10)):
            s.add_vacancy()
        for _ in range(records):
            level1 = s.rng.choice([uid for lvl, uid, _ in STATUSES if lvl == 1])
            level2 = s.rng.choice([None, "11", "12"]) if level1 == "2" else None
            s.apply(
                pick(s.rng, s.vacancies) or "",
                s.add_candidate(s.new_person()),
                {"ProcedureStatus1": level1, "ProcedureStatus2": level2},
            )
        return s

    def new_person(self) -> Raw:
        infix, last = self.rng.choice(LAST)
        first = self.rng.choice(FIRST)
        return {"firstName": first, "infix": infix, "lastName": last,
                "emailPrimary": f"{first.lower()}.{self.seq}@mail.example", "phoneMobile": "+31612345678",
                "city": "Utrecht", "country": "NL"}  # fmt: skip

    def add_vacancy(self) -> Raw:
        uid, at = self.uid(), self._tick()
        row = {"uid": uid, "internalId": int(uid), "title": self.rng.choice(TITLES),
               "status": self.rng.choice(("Online", "Online", "Offline")), "referenceNr": f"VAC-{uid}",
               "location": "Utrecht", "category": {"uid": "7", "value": "ICT"}, "userEmail": "anouk@bureau.example",
               "entryDateTime": at, "lastModified": at, "textField_description": "<p>Wat ga je doen?</p>",
               "textField_requirements": "<p>Wie ben jij?</p>", "textField_salary": None,
               "relation": {"uid": "900", "name": "Acme B.V."}, "isDeleted": 0}  # fmt: skip
        self.vacancies[uid] = row
        return row

    def add_candidate(self, person: Raw, source: str | None = None, *, live: bool = False) -> str:
        if not isinstance(person, dict) or not person.get("lastName") or "@" not in str(person.get("emailPrimary")):
            raise VendorError(400, "Person.lastName and a valid Person.emailPrimary are required")
        uid, at = self.uid(), self.now() if live else self._tick()
        self.candidates[uid] = {"uid": uid, "internalId": int(uid), "statusId": 1, "source": source or "Website",
                                "entryDateTime": at, "lastModified": at, "isDeleted": 0,
                                "Person": {k: person.get(k) for k in ("firstName", "infix", "lastName",
                                                                       "emailPrimary", "phoneMobile", "city",
                                                                       "country")}}  # fmt: skip
        return uid

    def status(self, level: int, ref: Any) -> Raw | None:
        if ref is None:
            return None
        wanted = str(ref.get("uid") if isinstance(ref, dict) else ref)
        for lvl, uid, code in STATUSES:
            if lvl == level and wanted in (uid, f"{lvl}_{uid}"):
                return {"uid": f"{lvl}_{uid}", "code": code}
        raise VendorError(400, f"Unknown ProcedureStatus{level} {wanted}")

    def apply(self, vacancy: str, candidate: str, data: Raw | None = None, *, live: bool = False) -> str:
        data = data or {}
        if vacancy not in self.vacancies or self.vacancies[vacancy]["isDeleted"]:
            raise VendorError(404, f"Vacancy {vacancy} not found")
        if candidate not in self.candidates or self.candidates[candidate]["isDeleted"]:
            raise VendorError(404, f"Candidate {candidate} not found")
        if any(p["candidateUid"] == candidate and p["vacancyUid"] == vacancy and not p["isDeleted"]
               for p in self.procedures.values()):  # fmt: skip
            raise VendorError(409, "Candidate already has a procedure for this vacancy")
        uid = self.uid()
        at = self.now() if live else self._tick()
        row = {"uid": uid, "candidateUid": candidate, "vacancyUid": vacancy, "entryDateTime": at, "lastModified": at,
               "isDeleted": 0, "ProcedureStatus1": self.status(1, data.get("ProcedureStatus1") or "1"),
               "ProcedureStatus2": self.status(2, data.get("ProcedureStatus2")),
               "ProcedureStatus3": self.status(3, data.get("ProcedureStatus3"))}  # fmt: skip
        self.procedures[uid] = row
        return uid

    def update_procedure(self, uid: str, data: Raw) -> None:
        row = self.procedures.get(uid)
        if row is None or row["isDeleted"]:
            raise VendorError(404, f"Procedure {uid} not found")
        changes = {k: self.status(int(k[-1]), data[k]) for k in data if k in
                   ("ProcedureStatus1", "ProcedureStatus2", "ProcedureStatus3")}  # fmt: skip
        if not changes:
            raise VendorError(400, "Nothing to update")
        row.update(changes, lastModified=self.now())

    def delete_candidate(self, uid: str) -> None:
        at = self.now()
        self.candidates[uid].update(isDeleted=1, lastModified=at)
        for row in self.procedures.values():
            if row["candidateUid"] == uid and not row["isDeleted"]:
                row.update(isDeleted=1, lastModified=at)

    def live(self, table: dict[str, Raw]) -> list[str]:
        return [uid for uid, row in table.items() if not row["isDeleted"]]

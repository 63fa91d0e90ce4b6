"""The fake AFAS tenant: vacancies, applicants, applications and dossier items as GetConnector rows, and the
mutations tests, ``simulate`` and the UpdateConnector handlers make. Every date-time is written the AFAS way:
Amsterdam wall time with a ``Z`` (see the package docstring)."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: Generated data straddles both 2024 DST changes (31 March, 27 October).
BASE = datetime(2024, 3, 1, tzinfo=UTC)
FIRST = ("Jan", "Anna", "Pieter", "Sanne", "Daan", "Fleur", "Bram", "Eva")
LAST = ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer")
ACTIONS = ("0", "1", "2", "3", "4", "5", "6", "10", "11")
TOKEN = "<token><version>1</version><data>AFAS0123456789ABCDEF</data></token>"
NAMES = {"vacancies": "Recruitment_Vacancies", "applicants": "Recruitment_Applicants",
         "applications": "Recruitment_Applications", "subjects": "Profit_Subjects"}  # fmt: skip


def wall(ts: datetime) -> str:
    """AFAS's lie: Amsterdam local time labelled UTC."""
    return ts.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeState(Seeded):
    token: str = TOKEN
    vacancies: dict[str, Raw] = field(default_factory=dict)
    applicants: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    subjects: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (20, 1.0)
    seq: int = 1000
    TICK = 1.0

    def __post_init__(self) -> None:
        auth = HeaderKey(base64.b64encode(self.token.encode()).decode(), prefix="AfasToken ")
        self.serve(auth)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 6)):
            vid, created = str(n + 1), BASE + timedelta(days=n * 7, hours=n)
            state.vacancies[vid] = {"VacancyId": int(vid), "Title": f"Vacature {n}", "Closed": str(int(n % 5 == 4)),
                                    "Department": ("ICT", "HRM", "Finance")[n % 3], "Location": "Leusden",
                                    "CreatedAt": wall(created), "ModifiedAt": wall(created)}  # fmt: skip
        open_ids = [v for v, row in state.vacancies.items() if row["Closed"] == "0"]
        for n in range(records):
            when = BASE + timedelta(days=state.rng.randint(0, 300), minutes=n * 7)
            state.apply(state.rng.choice(open_ids), FIRST[n % len(FIRST)], LAST[n % len(LAST)],
                        f"{FIRST[n % len(FIRST)]}.{n}@example.com".lower(), when=when,
                        action=state.rng.choice(ACTIONS[:7]))  # fmt: skip
        return state

    def now(self) -> datetime:
        return self.tick()

    def next_id(self) -> str:
        return self.new_id()

    # ------------------------------------------------------------------ mutations (under the lock)
    def apply(self, vacancy: str, first: str | None, last: str, email: str, *, when: datetime | None = None,
              action: str = "0", person: str | None = None, phone: str | None = None) -> Raw:  # fmt: skip
        """``HrCreateApplicant``: a new applicant (or the person's existing one) and its application."""
        with self.lock:
            stamp = wall(when or self.now())
            applicant = next((a for a in self.applicants.values()
                              if (person and a["PersonId"] == person) or a["Email"] == email), None)  # fmt: skip
            if applicant is None:
                aid = self.next_id()
                applicant = {"ApplicantId": aid, "PersonId": person or f"1{aid}", "FirstName": first, "LastName": last,
                             "Email": email, "Phone": phone, "CreatedAt": stamp, "ModifiedAt": stamp}  # fmt: skip
                self.applicants[aid] = applicant
            app_id = self.next_id()
            self.applications[app_id] = {
                "ApplicationId": app_id, "ApplicantId": applicant["ApplicantId"], "VacancyId": int(vacancy),
                "EmployerId": "RIS", "Status": "1", "LastAction": action, "ApplicationDate": stamp, "ModifiedAt": stamp,
            }  # fmt: skip
            return self.applications[app_id]

    def edit_applicant(self, aid: str, **changes: Any) -> Raw:
        with self.lock:
            self.applicants[aid].update(changes, ModifiedAt=wall(self.now()))
            return self.applicants[aid]

    def update_application(self, applicant: str, vacancy: str, employer: str | None, fields: Raw) -> Raw:
        """``PUT HrApplicant`` with one ``HrApplication``: its ``StSo``/``ViAt`` change."""
        with self.lock:
            app = next((a for a in self.applications.values() if a["ApplicantId"] == applicant
                        and str(a["VacancyId"]) == vacancy and employer in (None, a["EmployerId"])), None)  # fmt: skip
            if app is None:
                raise VendorError(400, f"Sollicitatie voor vacature {vacancy} van {applicant} bestaat niet.")
            if "StSo" in fields and str(fields["StSo"]) not in ("1", "2", "3"):
                raise VendorError(400, f"Status '{fields['StSo']}' is niet toegestaan.")
            if "ViAt" in fields and str(fields["ViAt"]) not in ACTIONS:
                raise VendorError(400, f"Laatste actie '{fields['ViAt']}' is niet toegestaan.")
            status, action = fields.get("StSo", app["Status"]), fields.get("ViAt", app["LastAction"])
            app.update(Status=str(status), LastAction=str(action), ModifiedAt=wall(self.now()))
            return app

    def delete_applicant(self, aid: str) -> None:
        with self.lock:
            self.applicants.pop(aid)
            for app_id in [k for k, a in self.applications.items() if a["ApplicantId"] == aid]:
                self.applications.pop(app_id)

    def add_subject(self, applicant: str, application: str | None, subject: str, comment: str,
                    file: tuple[str, int] | None = None) -> Raw:  # fmt: skip
        with self.lock:
            if applicant not in self.applicants:
                raise VendorError(400, f"Sollicitant {applicant} bestaat niet.")
            if application is not None and self.applications.get(application, {}).get("ApplicantId") != applicant:
                raise VendorError(400, f"Sollicitatie {application} hoort niet bij sollicitant {applicant}.")
            sid = self.next_id()
            self.subjects[sid] = {"SubjectId": int(sid), "ApplicantId": applicant, "ApplicationId": application,
                                  "Subject": subject, "Comment": comment, "FileName": file[0] if file else None,
                                  "FileSize": file[1] if file else None, "CreatedAt": wall(self.now())}  # fmt: skip
            return self.subjects[sid]

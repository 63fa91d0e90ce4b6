"""Control-API hooks of the fake AFAS: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.afas.state import FIRST, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import Step, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"vacancies": len(fake.vacancies), "applicants": len(fake.applicants),
            "applications": len(fake.applications), "subjects": len(fake.subjects)}  # fmt: skip


def _set(fields: dict[str, str]) -> Step:
    def act(fake: FakeState, app_id: str, rnd: random.Random) -> None:
        app = fake.applications[app_id]
        chosen = {k: (rnd.choice(v.split("|"))) for k, v in fields.items()}
        fake.update_application(app["ApplicantId"], str(app["VacancyId"]), app["EmployerId"], chosen)

    return update_one(lambda f: [k for k, a in f.applications.items() if a["Status"] == "1"], act, "applications")


def _apply(fake: FakeState, vacancy: str, rnd: random.Random) -> object:
    return fake.apply(vacancy, rnd.choice(FIRST), "Sim", f"sim.{rnd.randrange(10**6)}@example.com")["ApplicationId"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applicants), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.applicants, lambda f, aid, rnd: f.edit_applicant(aid, FirstName=rnd.choice(FIRST)),
                   "applicants"),  # fmt: skip
        _set({"ViAt": "1|2|3|4|5"}), _set({"StSo": "2", "ViAt": "6"}), _set({"StSo": "3", "ViAt": "10|11"}),
        delete_one(lambda f: f.applicants, FakeState.delete_applicant, "applicants"),
        create_on(lambda f: [v for v, row in f.vacancies.items() if row["Closed"] == "0"], _apply, "applications"),
        refused=(VendorError, KeyError, StopIteration),
    ),
    truth,
    {"applicants": "candidates", "applications": "applications"},
)

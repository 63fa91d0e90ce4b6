"""Control-API hooks of the fake AFAS: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.afas.state import FIRST, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"vacancies": len(fake.vacancies), "applicants": len(fake.applicants),
            "applications": len(fake.applications), "subjects": len(fake.subjects)}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None:
        return None
    fake.edit_applicant(aid, FirstName=rnd.choice(FIRST))
    return Change("applicants", aid, "updated")


def _set(fields: dict[str, str]) -> Callable[[FakeState, random.Random], Change | None]:
    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        app_id = pick(rnd, [k for k, a in fake.applications.items() if a["Status"] == "1"])
        if app_id is None:
            return None
        app = fake.applications[app_id]
        chosen = {k: (rnd.choice(v.split("|"))) for k, v in fields.items()}
        fake.update_application(app["ApplicantId"], str(app["VacancyId"]), app["EmployerId"], chosen)
        return Change("applications", app_id, "updated")

    return step


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None or len(fake.applicants) < 2:
        return None
    fake.delete_applicant(aid)
    return Change("applicants", aid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    vacancy = pick(rnd, [v for v, row in fake.vacancies.items() if row["Closed"] == "0"])
    if vacancy is None:
        return None
    app = fake.apply(vacancy, rnd.choice(FIRST), "Sim", f"sim.{rnd.randrange(10**6)}@example.com")
    return Change("applications", app["ApplicationId"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applicants), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _set({"ViAt": "1|2|3|4|5"}), _set({"StSo": "2", "ViAt": "6"}),
              _set({"StSo": "3", "ViAt": "10|11"}), _delete, _apply, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"applicants": "candidates", "applications": "applications"},
)

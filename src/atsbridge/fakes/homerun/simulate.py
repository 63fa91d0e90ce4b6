"""Control-API hooks of the fake Homerun: counts, realistic changes, and the truth a full sync must match.
A candidate *is* its application (same id), so both models' truth is the applications' ids."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from atsbridge.fakes.homerun.state import FIRST, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    apps = fake.applications.values()
    return {"vacancies": len(fake.vacancies), "applications": len(apps), "notes": sum(len(a["notes"]) for a in apps),
            "files": sum(len(a["files"]) for a in apps)}  # fmt: skip


_edit = update_one(lambda f: f.applications,
                   lambda f, aid, rnd: f.edit(aid, {"first_name": rnd.choice(FIRST) + "-" + str(rnd.randrange(1000))}),
                   "candidates")  # fmt: skip


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, app in fake.applications.items() if app["vacancy_id"] and not app["hired_at"]])
    if aid is None:
        return None
    app = fake.applications[aid]
    names = fake.stage_names(app["vacancy_id"])  # forward only, as recruiters move (a move back could undo one)
    ahead = names[names.index(app["stage"]["name"]) + 1 :] if app["stage"]["name"] in names else names
    name = pick(rnd, ahead)
    if name is None:
        return None
    fake.edit(aid, {"stage": {"name": name}})
    return Change("applications", aid, "updated")


def _disqualify(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, app in fake.applications.items() if not app["disqualified"] and not app["hired_at"]])
    if aid is None:
        return None
    with fake.lock:
        fake.disqualify(aid)
    return Change("applications", aid, "updated")


#: An application past its GDPR retention period (or deleted) vanishes, its person with it.
_delete = delete_one(lambda f: f.applications, FakeState.delete, "applications")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    vacancy = pick(rnd, [v for v, vac in fake.vacancies.items() if vac["status"] == "public"])
    n = rnd.randrange(1_000_000)
    app = fake.create({"first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example",
                       "vacancy_id": vacancy})  # fmt: skip
    app["created_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Change("applications", app["id"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applications), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _disqualify, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

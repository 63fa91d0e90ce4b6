"""Control-API hooks of the fake Umantis: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import Step, choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.umantis.state import FIRST, FakeState

TABLES = ("users", "jobs", "stages", "persons", "applications")


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(getattr(fake, name)) for name in TABLES}


def _to(category: str | None, status: str | None = None) -> Step:
    """Move an application to another stage of its pipeline (``category``: hired, rejected... or any)."""

    def move(fake: FakeState, aid: str, rnd: random.Random) -> bool:
        app = fake.applications[aid]
        stages = [s for s in fake.pipeline(app["job"]) if s != app["stage"]
                  and (category is None or fake.stages[s]["attributes"]["category"] == category)]  # fmt: skip
        return choose(rnd, stages, lambda sid: fake.move(aid, sid, status))

    return update_one(lambda f: f.applications, move, "applications")


_delete = delete_one(lambda f: f.persons, FakeState.delete_person, "persons")


def _apply(fake: FakeState, job: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    with fake.lock:
        now = fake.now()
        pid = fake.add_person(
            {"first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example"}, now
        )
        aid = fake.add_application(pid, job, fake.pipeline(job)[0], now)
    return aid


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.persons), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.persons, lambda f, pid, rnd: f.edit_person(pid, first_name=rnd.choice(FIRST) + "a"),
                   "persons"),
        _to(None),
        _to("hired"),
        _to("rejected"),
        _delete,
        create_on(lambda f: [j for j, row in f.jobs.items() if row["attributes"]["status"] == "open"], _apply,
                  "applications"),
        _to(None, "withdrawn"),
        refused=(VendorError, KeyError, StopIteration),
    ),  # fmt: skip
    truth,
    {"persons": "candidates", "applications": "applications"},
)

"""Control-API hooks of the fake Umantis: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.umantis.state import FIRST, FakeState

TABLES = ("users", "jobs", "stages", "persons", "applications")


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(getattr(fake, name)) for name in TABLES}


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, fake.persons)
    if pid is None:
        return None
    fake.edit_person(pid, first_name=rnd.choice(FIRST) + "a")
    return Change("persons", pid, "updated")


def _to(category: str | None, status: str | None = None) -> Callable[[FakeState, random.Random], Change | None]:
    """Move an application to another stage of its pipeline (``category``: hired, rejected... or any)."""

    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        aid = pick(rnd, fake.applications)
        if aid is None:
            return None
        app = fake.applications[aid]
        stages = [s for s in fake.pipeline(app["job"]) if s != app["stage"]
                  and (category is None or fake.stages[s]["attributes"]["category"] == category)]  # fmt: skip
        sid = pick(rnd, stages)
        if sid is None:
            return None
        fake.move(aid, sid, status)
        return Change("applications", aid, "updated")

    return step


_delete = delete_one(lambda f: f.persons, FakeState.delete_person, "persons")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, row in fake.jobs.items() if row["attributes"]["status"] == "open"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    with fake.lock:
        now = fake.now()
        pid = fake.add_person(
            {"first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example"}, now
        )
        aid = fake.add_application(pid, job, fake.pipeline(job)[0], now)
    return Change("applications", aid, "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.persons), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        _edit,
        _to(None),
        _to("hired"),
        _to("rejected"),
        _delete,
        _apply,
        _to(None, "withdrawn"),
        refused=(VendorError, KeyError, StopIteration),
    ),  # fmt: skip
    truth,
    {"persons": "candidates", "applications": "applications"},
)

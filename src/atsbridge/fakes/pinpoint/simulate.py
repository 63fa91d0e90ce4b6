"""Control-API hooks of the fake Pinpoint: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import Step, choose, create_on, delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.pinpoint.state import FIRST, FakeState
from atsbridge.fakes.pinpoint.webhooks import WEBHOOKS

TABLES = ("users", "rejection_reasons", "jobs", "stages", "candidates", "applications", "comments")


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(getattr(fake, name)) for name in TABLES}


def _to(kind: str | None) -> Step:
    """Move an application to another stage of its job (``kind``: a stage type such as hired/rejected)."""

    def move(fake: FakeState, aid: str, rnd: random.Random) -> bool:
        app = fake.applications[aid]
        stages = [s for s in fake.jobs[app["job"]]["stages"] if s != app["stage"]
                  and (kind is None or fake.stages[s]["attributes"]["stage_type"] == kind)]  # fmt: skip
        return choose(rnd, stages, lambda sid: fake.move(aid, sid, pick(rnd, fake.rejection_reasons)))

    return update_one(lambda f: f.applications, move, "applications")


def _apply(fake: FakeState, job: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    person = {"first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example", "phone": None}
    with fake.lock:
        return fake.add_application(person, job, fake.jobs[job]["stages"][0], fake.now())


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates,
                   lambda f, cid, rnd: f.edit_candidate(cid, first_name=rnd.choice(FIRST) + "e"), "candidates"),
        _to(None),
        _to("hired"),
        _to("rejected"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        create_on(lambda f: [j for j, row in f.jobs.items() if row["attributes"]["status"] == "open"], _apply,
                  "applications"),
        create_on(lambda f: f.applications, lambda f, aid, _: f.comment(aid, "Simulated comment"), "comments"),
        refused=(VendorError, KeyError, StopIteration),
    ),  # fmt: skip
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

"""Control-API hooks of the fake Personio: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.personio.state import FakeState

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"categories": len(fake.categories), "jobs": len(fake.jobs), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "documents": len(fake.documents)}  # fmt: skip


def _move(fake: FakeState, aid: str, rnd: random.Random) -> bool:
    """Personio moves by stage type (the UI's stage change; custom stages share the type ``custom``)."""
    app = fake.applications[aid]
    types = {s["type"] for s in fake.stages_of(fake.jobs[app["job"]["id"]])}
    return choose(rnd, types - {app["current_stage"]["type"]}, lambda kind: fake.move(aid, kind))


def _apply(fake: FakeState, job: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    before = set(fake.applications)
    fake.create(
        {"job_position_id": job, "first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example"}
    )
    made = sorted(set(fake.applications) - before)
    return made[0] if made else None


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates, lambda f, cid, rnd: f.edit_candidate(cid, first_name=rnd.choice(FIRST)),
                   "candidates"),
        update_one(lambda f: f.applications, _move, "applications"),
        update_one(lambda f: f.applications, _move, "applications"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        create_on(lambda f: [j for j, job in f.jobs.items() if job.get("status") == "open"], _apply, "applications"),
        refused=(VendorError, KeyError, StopIteration),
    ),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

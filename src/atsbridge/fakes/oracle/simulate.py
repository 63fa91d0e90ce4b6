"""Control-API hooks of the fake Oracle: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.oracle.state import FIRST, FakeState


def counts(fake: FakeState) -> dict[str, int]:
    return {"phases": len(fake.phases), "requisitions": len(fake.requisitions), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "offers": len(fake.offers)}  # fmt: skip


def _move(fake: FakeState, aid: str, rnd: random.Random) -> None:
    phase, st = rnd.choice(fake.stages())
    fake.move(aid, {"phaseId": phase["PhaseId"], "stateId": st["StateId"]})


def _apply(fake: FakeState, req: str, rnd: random.Random) -> object:
    with fake.lock:
        n = rnd.randrange(1_000_000)
        app = fake.add(n, fake.requisitions[req], datetime.fromtimestamp(0, UTC), f"sim.{n}@mail.example")
        stamped = fake.now()
        app.update(CreationDate=stamped, LastUpdateDate=stamped, LastModifiedDate=stamped)
        fake.candidates[str(app["CandidatePersonId"])].update(CreationDate=stamped, LastUpdateDate=stamped)
        fake.simulated.add(str(app["CandidatePersonId"]))
        for offer in fake.offers.values():
            if offer["JobApplicationId"] == app["JobApplicationId"]:
                offer.update(CreationDate=stamped, LastUpdateDate=stamped)
    return app["JobApplicationId"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates, lambda f, pid, rnd: f.edit_candidate(pid, FirstName=rnd.choice(FIRST)),
                   "candidates"),
        update_one(lambda f: f.applications, _move, "applications"),
        update_one(lambda f: f.applications, _move, "applications"),
        # a purge takes the candidate's applications along: never one this run created (one change per step)
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates",
                   lambda f: [p for p in f.candidates if p not in f.simulated]),
        create_on(lambda f: f.requisitions, _apply, "applications"),
        refused=(VendorError, KeyError),
    ),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

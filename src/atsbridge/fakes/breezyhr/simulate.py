"""Control-API hooks of the fake Breezy HR: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.breezyhr.state import FIRST, LAST, FakeState
from atsbridge.fakes.breezyhr.webhooks import WEBHOOKS
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"pipelines": len(fake.pipelines), "positions": len(fake.positions), "candidates": len(fake.candidates),
            "notes": sum(len(s) for s in fake.streams.values())}  # fmt: skip


def _app(fake: FakeState, cid: str) -> str:
    return f"{fake.position_of[cid]}:{cid}"


def _move(fake: FakeState, cid: str, rnd: random.Random) -> bool:
    current = fake.candidates[cid]["stage"].get("id")
    stages = [s["id"] for s in fake.stages_of(fake.position_of[cid]) if s["id"] != current]
    return choose(rnd, stages, lambda stage: fake.set_stage(cid, stage))


def _apply(fake: FakeState, pid: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    made = fake.add_candidate(pid, {"name": f"{rnd.choice(FIRST)} Sim", "email_address": f"sim.{n}@mail.example"})
    return _app(fake, made["_id"])


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": [_app(fake, c) for c in fake.candidates]}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates,
                   lambda f, cid, rnd: f.edit_candidate(cid, name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"),
                   "candidates"),  # fmt: skip
        update_one(lambda f: f.candidates, _move, "applications", _app),
        update_one(lambda f: f.candidates, _move, "applications", _app),
        create_on(lambda f: f.candidates, lambda f, cid, _: f.add_note(cid, "Simulated note")["_id"], "notes"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        create_on(lambda f: [p for p, pos in f.positions.items() if pos["state"] == "published"], _apply,
                  "applications"),  # fmt: skip
        refused=(VendorError, KeyError),
    ),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    webhooks=WEBHOOKS,
)

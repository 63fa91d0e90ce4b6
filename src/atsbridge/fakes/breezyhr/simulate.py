"""Control-API hooks of the fake Breezy HR: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.breezyhr.state import FIRST, LAST, FakeState
from atsbridge.fakes.breezyhr.webhooks import WEBHOOKS
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"pipelines": len(fake.pipelines), "positions": len(fake.positions), "candidates": len(fake.candidates),
            "notes": sum(len(s) for s in fake.streams.values())}  # fmt: skip


def _app(fake: FakeState, cid: str) -> str:
    return f"{fake.position_of[cid]}:{cid}"


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}")
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    current = fake.candidates[cid]["stage"].get("id")
    stage = pick(rnd, [s["id"] for s in fake.stages_of(fake.position_of[cid]) if s["id"] != current])
    if stage is None:
        return None
    fake.set_stage(cid, stage)
    return Change("applications", _app(fake, cid), "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    return Change("notes", fake.add_note(cid, "Simulated note")["_id"], "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, [p for p, pos in fake.positions.items() if pos["state"] == "published"])
    if pid is None:
        return None
    n = rnd.randrange(1_000_000)
    made = fake.add_candidate(pid, {"name": f"{rnd.choice(FIRST)} Sim", "email_address": f"sim.{n}@mail.example"})
    return Change("applications", _app(fake, made["_id"]), "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": [_app(fake, c) for c in fake.candidates]}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _move, _note, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    webhooks=WEBHOOKS,
)

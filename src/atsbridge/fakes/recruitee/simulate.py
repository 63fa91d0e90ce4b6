"""Control-API hooks of the fake Recruitee: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.recruitee.state import FakeState
from atsbridge.fakes.recruitee.webhooks import WEBHOOKS

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Radia Perlman", "Barbara Liskov")


def counts(fake: FakeState) -> dict[str, int]:
    return {"admins": len(fake.admins), "disqualify_reasons": len(fake.reasons), "offers": len(fake.offers),
            "candidates": len(fake.candidates), "placements": len(fake.placements()),
            "notes": sum(len(n) for n in fake.notes.values()),
            "attachments": sum(len(a) for a in fake.attachments.values())}  # fmt: skip


def _open(fake: FakeState) -> list[int]:
    return [p["id"] for p in fake.placements() if not p.get("hired_at") and not p.get("disqualify_reason")]


def _note(fake: FakeState, cid: int, rnd: random.Random) -> object:
    return fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")["id"]


def _move(fake: FakeState, pid: int, rnd: random.Random) -> bool:
    _, placement = fake.placement(pid)
    stages = [s["id"] for s in fake.stages_of(placement["offer_id"]) if s.get("category") != "hire"]
    return choose(rnd, [s for s in stages if s != placement.get("stage_id")], lambda s: fake.move_stage(pid, s))


def truth(fake: FakeState) -> dict[str, list[str]]:
    """Placements in jobs are applications (talent-pool placements are not)."""
    return {"candidates": [str(c) for c in fake.candidates], "applications": [str(p["id"]) for p in fake.placements()]}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates, lambda f, cid, rnd: f.edit_candidate(cid, name=rnd.choice(NAMES)),
                   "candidates"),  # fmt: skip
        update_one(_open, _move, "placements"),
        update_one(_open, lambda f, pid, _: f.hire(pid), "placements"),
        update_one(_open, lambda f, pid, _: f.disqualify(pid), "placements"),
        create_on(lambda f: f.candidates, _note, "notes"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        refused=(KeyError, StopIteration),
    ),
    truth,
    {"candidates": "candidates", "placements": "applications"},
    WEBHOOKS,
)

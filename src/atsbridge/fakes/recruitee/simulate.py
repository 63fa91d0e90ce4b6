"""Control-API hooks of the fake Recruitee: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
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


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, name=rnd.choice(NAMES))
    return Change("candidates", str(cid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    _, placement = fake.placement(pid)
    stages = [s["id"] for s in fake.stages_of(placement["offer_id"]) if s.get("category") != "hire"]
    stage = pick(rnd, [s for s in stages if s != placement.get("stage_id")])
    if stage is None:
        return None
    fake.move_stage(pid, stage)
    return Change("placements", str(pid), "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    fake.hire(pid)
    return Change("placements", str(pid), "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    fake.disqualify(pid)
    return Change("placements", str(pid), "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    note = fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", str(cid), "deleted")


def truth(fake: FakeState) -> dict[str, list[str]]:
    """Placements in jobs are applications (talent-pool placements are not)."""
    return {"candidates": [str(c) for c in fake.candidates], "applications": [str(p["id"]) for p in fake.placements()]}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _reject, _note, _delete, refused=(KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "placements": "applications"},
    WEBHOOKS,
)

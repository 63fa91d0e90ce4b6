"""Control-API hooks of the fake Fountain: counts, realistic changes, and the truth a full sync must match.
An applicant is both a candidate and an application (same id): renames are candidate changes, stage moves
application changes, a deleted applicant removes both. Stage transitions (moves and new applicants) are pushed
as Fountain's webhooks (``webhooks.py``)."""

from __future__ import annotations

import random

from atsbridge.fakes.fountain.state import FIRST, FakeState
from atsbridge.fakes.fountain.webhooks import WEBHOOKS, StageTransition
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"funnels": len(fake.funnels), "applicants": len(fake.applicants),
            "notes": sum(len(n) for n in fake.notes.values())}  # fmt: skip


_rename = update_one(lambda f: f.applicants,
                     lambda f, aid, rnd: f.rename(aid, f"{rnd.choice(FIRST)} Renamed{rnd.randrange(1000)}"),
                     "candidates")  # fmt: skip


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    """A stage change, hires and rejections included (they are stages too)."""
    aid = pick(rnd, fake.applicants)
    if aid is None:
        return None
    applicant = fake.applicants[aid]
    stages = [s["id"] for s in fake.funnels[applicant["funnel"]["id"]]["stages"]]
    target = pick(rnd, [s for s in stages if s != applicant["stage"]["id"]])
    if target is None:
        return None
    return StageTransition.of(fake.move(aid, target), "updated")


_note = create_on(lambda f: f.applicants,
                  lambda f, aid, rnd: f.add_note(aid, f"Checked in with the applicant ({rnd.randrange(1000)})")["id"],
                  "notes")  # fmt: skip
_delete = delete_one(lambda f: f.applicants, FakeState.delete, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    funnel = pick(rnd, [f for f, raw in fake.funnels.items() if raw["active"]])
    if funnel is None:
        return None
    n = rnd.randrange(1_000_000)
    made = fake.create({"name": f"{rnd.choice(FIRST)} Sim", "email": f"sim.{n}@mail.example", "funnel_id": funnel,
                        "phone_number": f"+1415{n:07d}"})  # fmt: skip
    return StageTransition.of(made, "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applicants), "applications": list(fake.applicants)}


HOOKS = Hooks(
    counts,
    simulator(_rename, _move, _move, _note, _delete, _apply, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

"""Control-API hooks of the fake Personio: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.personio.state import FakeState

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"categories": len(fake.categories), "jobs": len(fake.jobs), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "documents": len(fake.documents)}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, first_name=rnd.choice(FIRST))
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    """Personio moves by stage type (the UI's stage change; custom stages share the type ``custom``)."""
    aid = pick(rnd, fake.applications)
    if aid is None:
        return None
    app = fake.applications[aid]
    types = {s["type"] for s in fake.stages_of(fake.jobs[app["job"]["id"]])}
    kind = pick(rnd, types - {app["current_stage"]["type"]})
    if kind is None:
        return None
    fake.move(aid, kind)
    return Change("applications", aid, "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, job in fake.jobs.items() if job.get("status") == "open"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    before = set(fake.applications)
    fake.create(
        {"job_position_id": job, "first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example"}
    )
    made = sorted(set(fake.applications) - before)
    return Change("applications", made[0], "created") if made else None


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

"""Control-API hooks of the fake Jobvite: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from datetime import timedelta

from atsbridge.fakes.jobvite.state import FIRST, STATES, FakeState, ms
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"requisitions": len(fake.jobs), "candidates": len(fake.live_candidates()),
            "applications": len(fake.applications), "workflow_states": len(fake.states)}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.live_candidates())
    if cid is None:
        return None
    fake.edit_candidate(cid, firstName=rnd.choice(FIRST), mobile=f"555-{rnd.randrange(10000):04d}")
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applications)
    state = pick(rnd, set(STATES) - {fake.applications[aid]["workflowState"]}) if aid else None
    if aid is None or state is None:
        return None
    fake.move(aid, state)
    return Change("applications", aid, "updated")


def _dormant(fake: FakeState) -> set[str]:
    """Applications with no activity in the last hour: what retention purges erase (so a deletion never hides
    an update the same simulate run reported)."""
    cutoff = ms(fake.now() - timedelta(hours=1))
    return {a for a, app in fake.applications.items() if app["lastUpdatedDate"] < cutoff}


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    """A candidate erased with all their applications."""
    dormant = _dormant(fake)
    active = {app["_candidate"] for a, app in fake.applications.items() if a not in dormant}
    cid = pick(rnd, set(fake.live_candidates()) - active)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _purge(fake: FakeState, rnd: random.Random) -> Change | None:
    """One application erased (a GDPR purge); a candidate left with none is no longer listed either."""
    aid = pick(rnd, _dormant(fake))
    if aid is None or len(fake.applications) < 2:
        return None
    cid = fake.applications.pop(aid)["_candidate"]
    if cid not in fake.live_candidates():
        fake.candidates.pop(cid)
    return Change("applications", aid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, job in fake.jobs.items() if job["jobState"] == "Open"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    person = {"email": f"sim.{n}@mail.example", "firstName": rnd.choice(FIRST), "lastName": "Sim"}
    app = fake.create({"candidate": {**person, "application": {"jobEId": job}}})
    return Change("applications", app["eId"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": fake.live_candidates(), "applications": sorted(fake.applications), "jobs": sorted(fake.jobs)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _move, _move, _delete, _purge, _apply, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "requisitions": "jobs"},
)

"""Control-API hooks of the fake Jobvite: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from datetime import timedelta

from atsbridge.fakes.jobvite.state import FIRST, STATES, FakeState, ms
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"requisitions": len(fake.jobs), "candidates": len(fake.live_candidates()),
            "applications": len(fake.applications), "workflow_states": len(fake.states)}  # fmt: skip


_edit = update_one(lambda f: f.live_candidates(),
                   lambda f, cid, rnd: f.edit_candidate(cid, firstName=rnd.choice(FIRST),
                                                        mobile=f"555-{rnd.randrange(10000):04d}"),
                   "candidates")  # fmt: skip


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


def _idle(fake: FakeState) -> set[str]:
    """Candidates with no application outside :func:`_dormant` (none this run touched)."""
    dormant = _dormant(fake)
    active = {app["_candidate"] for a, app in fake.applications.items() if a not in dormant}
    return set(fake.live_candidates()) - active


def _erase(fake: FakeState, aid: str) -> None:
    """One application erased (a GDPR purge); a candidate left with none is no longer listed either."""
    cid = fake.applications.pop(aid)["_candidate"]
    if cid not in fake.live_candidates():
        fake.candidates.pop(cid)


#: A candidate erased with all their applications.
_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates", among=_idle)
_purge = delete_one(lambda f: f.applications, _erase, "applications", among=_dormant)


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

"""Control-API hooks of the fake Zoho Recruit: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from datetime import timedelta

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.zohorecruit.state import BASE, FIRST, STATUSES, FakeState, stamp

#: Records created before this are the generated tenant's.
GENERATED = stamp(BASE + timedelta(days=402))


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "tags": len(fake.tags), "jobs": len(fake.jobs),
            "candidates": len(fake.candidates), "applications": len(fake.applications),
            "notes": len(fake.notes)}  # fmt: skip


_edit = update_one(lambda f: f.candidates, lambda f, cid, rnd: f.touch(f.candidates[cid], First_Name=rnd.choice(FIRST)),
                   "candidates")  # fmt: skip


def _status(fake: FakeState, rnd: random.Random) -> Change | None:
    """A recruiter changes an application's status (moves, hires, rejects)."""
    aid = pick(rnd, fake.applications)
    if aid is None:
        return None
    app = fake.applications[aid]
    status = pick(rnd, set(STATUSES) - {app["Application_Status"]})
    if status is None:
        return None
    fake.set_status(app["Candidate_Name"]["id"], app["Job_Opening_Name"]["id"], status)
    return Change("applications", aid, "updated")


#: A generated candidate goes to the recycle bin with its applications (not one ``_apply`` made: the change list
#: could not say that its new application went with it).
_delete = delete_one(lambda f: f.candidates, lambda f, cid: f.delete("Candidates", cid), "candidates",
                     among=lambda f: [c for c, raw in f.candidates.items() if raw["Created_Time"] < GENERATED])


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, raw in fake.jobs.items() if raw["Job_Opening_Status"] == "In-progress"])
    if job is None:
        return None
    cand = fake.add_candidate(len(fake.candidates) + rnd.randrange(1000), fake.now())
    app = fake.associate(cand["id"], job, status="New")
    return Change("applications", app["id"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications), "jobs": list(fake.jobs)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _status, _status, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "jobs": "jobs"},
)

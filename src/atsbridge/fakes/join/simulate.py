"""Control-API hooks of the fake JOIN: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.join.state import FIRST, STATUSES, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"jobs": len(fake.jobs), "candidates": len(fake.candidates), "applications": len(fake.applications)}


_edit = update_one(lambda f: f.candidates,
                   lambda f, cid, rnd: f.edit_candidate(cid, firstName=f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}"),
                   "candidates")  # fmt: skip


def _status(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, app in fake.applications.items() if app["status"] not in ("HIRED", "REJECTED")])
    if aid is None:
        return None
    current = STATUSES.index(fake.applications[aid]["status"])  # forward only: a move back could undo one
    fake.set_status(aid, rnd.choice(STATUSES[current + 1 :]))
    return Change("applications", str(aid), "updated")


_delete = delete_one(lambda f: f.applications, FakeState.delete_application, "applications")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, job in fake.jobs.items() if job["status"] == "ONLINE"])
    n = rnd.randrange(1_000_000)
    person = {"email": f"sim.{n}@mail.example", "firstName": rnd.choice(FIRST), "lastName": "Sim"}
    app = fake.create({"jobId": job, "source": "ORGANIC", "candidate": person})
    return Change("applications", str(app["id"]), "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": [str(c) for c in fake.candidates], "applications": [str(a) for a in fake.applications]}


HOOKS = Hooks(
    counts,
    simulator(_edit, _status, _delete, _apply, refused=(VendorError, KeyError, IndexError)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

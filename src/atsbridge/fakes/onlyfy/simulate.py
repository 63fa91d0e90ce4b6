"""Control-API hooks of the fake Onlyfy: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.onlyfy.state import FINAL, FIRST, FakeState


def counts(fake: FakeState) -> dict[str, int]:
    return {"jobs": len(fake.jobs), "candidates": len(fake.candidates), "applications": len(fake.applications),
            "users": len(fake.users), "candidate_tags": len(fake.tags), "status_sets": len(fake.status_sets),
            "recruiter_files": sum(len(a["recruiter_files"]) for a in fake.applications.values())}  # fmt: skip


def _open(fake: FakeState) -> list[int]:
    return [a for a, app in fake.applications.items() if app["current_job_application_status"]["name"] not in FINAL]


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, {"profile": {"firstname": f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}"}})
    return Change("candidates", str(cid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    """Forward to the next open status, as recruiters move (the final ones are hire and rejection)."""
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    app = fake.applications[aid]
    names = [s["name"] for s in fake.statuses(app["job_id"]) if s["name"] not in FINAL]
    current = app["current_job_application_status"]["name"]
    ahead = names[names.index(current) + 1 :] if current in names else []
    if not ahead:
        return None
    fake.set_status(aid, ahead[0])
    return Change("applications", str(aid), "updated")


def _finish(fake: FakeState, rnd: random.Random, index: int) -> Change | None:
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    final = [s["name"] for s in fake.statuses(fake.applications[aid]["job_id"]) if s["name"] in FINAL]
    fake.set_status(aid, final[index])
    return Change("applications", str(aid), "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    return _finish(fake, rnd, 0)


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    return _finish(fake, rnd, -1)


_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, job in fake.jobs.items() if job["status"] == "active"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    cand = fake.create_candidate({"email": f"sim.{n}@mail.example", "job_id": job,
                                  "profile": {"firstname": rnd.choice(FIRST), "lastname": "Sim"}})  # fmt: skip
    return Change("candidates", str(cand["id"]), "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": [str(c) for c in fake.candidates], "applications": [str(a) for a in fake.applications],
            "jobs": [str(j) for j in fake.jobs]}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _reject, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "jobs": "jobs"},
)

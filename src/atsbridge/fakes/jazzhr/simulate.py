"""Control-API hooks of the fake JazzHR: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.jazzhr.state import HIRED, NOT_HIRED, STEPS, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "jobs": len(fake.jobs), "categories": len(fake.categories),
            "applicants": len(fake.applicants), "applicants2jobs": len(fake.applications), "hires": len(fake.hires),
            "notes": sum(len(a["comments"]) for a in fake.applicants.values()),
            "category_links": sum(len(a["categories"]) for a in fake.applicants.values())}  # fmt: skip


def _open(fake: FakeState) -> list[str]:
    return [k for k, a in fake.applications.items() if a["workflow_step_id"] not in (HIRED, NOT_HIRED)]


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None:
        return None
    applicant = fake.applicants[aid]
    applicant["first_name"] = rnd.choice([f for f in FIRST if f != applicant["first_name"]])
    return Change("applicants", aid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    current = fake.applications[pid]["workflow_step_id"]
    fake.move(pid, rnd.choice([s for s in STEPS if s not in (current, HIRED, NOT_HIRED)]))
    return Change("applicants2jobs", pid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    fake.hire(pid)
    return Change("applicants2jobs", pid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, _open(fake))
    if pid is None:
        return None
    fake.move(pid, NOT_HIRED)
    return Change("applicants2jobs", pid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None:
        return None
    note = fake.comment(aid, next(iter(fake.users)), f"Follow-up {rnd.randrange(1000)}")
    return Change("notes", note["id"], "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applicants)
    if aid is None or len(fake.applicants) < 2:
        return None
    fake.delete_applicant(aid)
    return Change("applicants", aid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [k for k, j in fake.jobs.items() if j["status"] == "Open"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    applicant = fake.add_applicant(rnd.choice(FIRST), "Sim", f"sim.{n}@mail.example", fake.now())
    return Change("applicants2jobs", fake.apply(applicant["id"], job)["id"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applicants), "applications": list(fake.applications), "jobs": list(fake.jobs),
            "users": list(fake.users)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _reject, _note, _delete, _apply, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"applicants": "candidates", "applicants2jobs": "applications", "notes": "notes"},
)

"""Control-API hooks of the fake JazzHR: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.jazzhr.state import HIRED, NOT_HIRED, STEPS, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "jobs": len(fake.jobs), "categories": len(fake.categories),
            "applicants": len(fake.applicants), "applicants2jobs": len(fake.applications), "hires": len(fake.hires),
            "notes": sum(len(a["comments"]) for a in fake.applicants.values()),
            "category_links": sum(len(a["categories"]) for a in fake.applicants.values())}  # fmt: skip


def _open(fake: FakeState) -> list[str]:
    return [k for k, a in fake.applications.items() if a["workflow_step_id"] not in (HIRED, NOT_HIRED)]


def _edit(fake: FakeState, aid: str, rnd: random.Random) -> None:
    applicant = fake.applicants[aid]
    applicant["first_name"] = rnd.choice([f for f in FIRST if f != applicant["first_name"]])


def _move(fake: FakeState, pid: str, rnd: random.Random) -> None:
    current = fake.applications[pid]["workflow_step_id"]
    fake.move(pid, rnd.choice([s for s in STEPS if s not in (current, HIRED, NOT_HIRED)]))


def _note(fake: FakeState, aid: str, rnd: random.Random) -> object:
    return fake.comment(aid, next(iter(fake.users)), f"Follow-up {rnd.randrange(1000)}")["id"]


def _apply(fake: FakeState, job: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    applicant = fake.add_applicant(rnd.choice(FIRST), "Sim", f"sim.{n}@mail.example", fake.now())
    return fake.apply(applicant["id"], job)["id"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.applicants), "applications": list(fake.applications), "jobs": list(fake.jobs),
            "users": list(fake.users)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.applicants, _edit, "applicants"),
        update_one(_open, _move, "applicants2jobs"),
        update_one(_open, lambda f, pid, _: f.hire(pid), "applicants2jobs"),
        update_one(_open, lambda f, pid, _: f.move(pid, NOT_HIRED), "applicants2jobs"),
        create_on(lambda f: f.applicants, _note, "notes"),
        delete_one(lambda f: f.applicants, FakeState.delete_applicant, "applicants"),
        create_on(lambda f: [k for k, j in f.jobs.items() if j["status"] == "Open"], _apply, "applicants2jobs"),
        refused=(VendorError, KeyError, StopIteration),
    ),
    truth,
    {"applicants": "candidates", "applicants2jobs": "applications", "notes": "notes"},
)

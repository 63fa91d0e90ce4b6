"""Control-API hooks of the fake HR WORKS: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from atsbridge.fakes.hrworks.state import FIRST, OPEN, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"posts": len(fake.posts), "applicants": len(fake.applicants), "applications": len(fake.applications),
            "jobs": len(fake.jobs)}  # fmt: skip


_edit = update_one(lambda f: f.applicants,
                   lambda f, uid, rnd: f.applicants[uid].update(firstName=f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}"),
                   "candidates")  # fmt: skip


def _status(fake: FakeState, rnd: random.Random, targets: tuple[str, ...]) -> Change | None:
    aid = pick(rnd, [a for a, app in fake.applications.items() if app["statusIdentifier"] in OPEN])
    if aid is None:
        return None
    current = fake.applications[aid]["statusIdentifier"]
    fake.set_status(aid, rnd.choice([t for t in targets if t != current] or list(targets)))
    return Change("applications", aid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    return _status(fake, rnd, ("inProgress", "documentCreation"))


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    return _status(fake, rnd, ("employed",))


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    return _status(fake, rnd, ("notEmployed", "movedToTalentPool"))


_delete = delete_one(lambda f: f.applications, FakeState.delete_application, "applications")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    post = pick(rnd, [p for p, row in fake.posts.items() if row["isActive"]])
    if post is None:
        return None
    n = rnd.randrange(1_000_000)
    person = fake._applicant(n, {"email": f"sim.{n}@mail.example", "firstName": rnd.choice(FIRST), "lastName": "Sim"})
    app = fake._application(person["uuid"], post, "applied", datetime.now(UTC))
    return Change("applications", app["id"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    """Applicants are listed only while they have a job application (the fake drops them with their last)."""
    return {"jobs": list(fake.posts), "candidates": list(fake.applicants), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _reject, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "posts": "jobs"},
)

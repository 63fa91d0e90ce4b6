"""Control-API hooks of the fake BambooHR: counts, realistic changes (``simulate``), the truth a full sync
must produce, and which resources are which unified model."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.bamboohr.state import FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "statuses": len(fake.statuses), "jobs": len(fake.jobs),
            "applications": len(fake.applications),
            "comments": sum(len(c) for c in fake.comments.values())}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applications)
    if aid is None:
        return None
    app = fake.edit_applicant(aid, firstName=rnd.choice(FIRST))
    return Change("applicants", str(app["applicant"]["id"]), "updated")


def _status(kind: str) -> Callable[[FakeState, random.Random], Change | None]:
    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        aid = pick(rnd, fake.applications)
        if aid is None:
            return None
        if kind == "hire":
            fake.hire(aid)
        elif kind == "reject":
            fake.reject(aid)
        else:
            status = pick(rnd, [int(s["id"]) for s in fake.statuses])
            if status is None:
                return None
            fake.set_status(aid, status)
        return Change("applications", str(aid), "updated")

    return step


_note = create_on(lambda f: f.applications,
                  lambda f, aid, rnd: f.add_comment(aid, f"Call back ({rnd.randrange(1000)})")["id"], "comments")
_delete = delete_one(lambda f: f.applications, FakeState.delete_application, "applications")


def truth(fake: FakeState) -> dict[str, list[str]]:
    """Each application's applicant is a candidate."""
    apps = fake.applications.values()
    return {
        "candidates": sorted({str(a["applicant"]["id"]) for a in apps}),
        "applications": [str(a) for a in fake.applications],
    }


STEPS = (_edit, _status("move"), _status("hire"), _status("reject"), _note, _delete)
HOOKS = Hooks(
    counts,
    simulator(*STEPS, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"applicants": "candidates", "applications": "applications"},
)

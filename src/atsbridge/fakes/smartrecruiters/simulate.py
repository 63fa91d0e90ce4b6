"""The fake SmartRecruiters' error shape and control-API hooks (counts, simulate, truth) for the engine."""

from __future__ import annotations

import random
from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import Act, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.smartrecruiters.state import FakeState, SrError
from atsbridge.fakes.smartrecruiters.webhooks import WEBHOOKS

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")
MOVES = ("IN_REVIEW", "INTERVIEW", "OFFERED")


def errors(error: VendorError) -> Any:
    return {"message": error.message, "errors": [{"code": str(error.status), "message": error.message}]}


def counts(fake: FakeState) -> dict[str, int]:
    return {"users": len(fake.users), "jobs": len(fake.jobs), "postings": len(fake.postings),
            "candidates": len(fake.candidates), "applications": len(fake.applications), "notes": len(fake.notes),
            "attachments": sum(len(a) for a in fake.attachments.values())}  # fmt: skip


def _open(fake: FakeState) -> list[tuple[str, str]]:
    return [
        key for key, app in fake.applications.items() if app.get("status") not in ("HIRED", "REJECTED", "WITHDRAWN")
    ]


def _status(kind: str) -> Act:
    def act(fake: FakeState, key: tuple[str, str], rnd: random.Random) -> None:
        if kind == "hire":
            fake.hire(*key)
        elif kind == "reject":
            fake.reject(*key)
        else:
            fake.set_status(*key, rnd.choice([s for s in MOVES if s != fake.applications[key].get("status")]))

    return act


def _note(fake: FakeState, cid: str, rnd: random.Random) -> object:
    note = fake.add_note(cid, f"Call back ({rnd.randrange(1000)})", {"users": [], "hiringTeamOf": [], "everyone": True})
    return note["id"]


def _app(_: FakeState, key: tuple[str, str]) -> str:
    return f"{key[0]}:{key[1]}"


def truth(fake: FakeState) -> dict[str, list[str]]:
    """An application is a (candidate, job) pair, ``<candidate>:<job>``."""
    return {"candidates": list(fake.candidates), "applications": [f"{c}:{j}" for c, j in fake.applications]}


STEPS = (
    update_one(lambda f: f.candidates, lambda f, cid, rnd: f.edit_candidate(cid, firstName=rnd.choice(FIRST)),
               "candidates"),  # fmt: skip
    *(update_one(_open, _status(kind), "applications", _app) for kind in ("move", "move", "hire", "reject")),
    create_on(lambda f: f.candidates, _note, "notes"),
    delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
)
HOOKS = Hooks(
    counts,
    simulator(*STEPS, refused=(SrError, KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

"""The fake SmartRecruiters' error shape and control-API hooks (counts, simulate, truth) for the engine."""

from __future__ import annotations

import random
from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
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


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, firstName=rnd.choice(FIRST))
    return Change("candidates", cid, "updated")


def _status(kind: str) -> Any:
    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        key = pick(rnd, _open(fake))
        if key is None:
            return None
        if kind == "hire":
            fake.hire(*key)
        elif kind == "reject":
            fake.reject(*key)
        else:
            fake.set_status(*key, rnd.choice([s for s in MOVES if s != fake.applications[key].get("status")]))
        return Change("applications", f"{key[0]}:{key[1]}", "updated")

    return step


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    note = fake.add_note(cid, f"Call back ({rnd.randrange(1000)})", {"users": [], "hiringTeamOf": [], "everyone": True})
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def truth(fake: FakeState) -> dict[str, list[str]]:
    """An application is a (candidate, job) pair, ``<candidate>:<job>``."""
    return {"candidates": list(fake.candidates), "applications": [f"{c}:{j}" for c, j in fake.applications]}


STEPS = (_edit, _status("move"), _status("move"), _status("hire"), _status("reject"), _note, _delete)
HOOKS = Hooks(
    counts,
    simulator(*STEPS, refused=(SrError, KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

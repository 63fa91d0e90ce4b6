"""Control-API hooks of the fake Bullhorn: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.bullhorn.state import FIRST, STATUSES, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def _live(fake: FakeState, entity: str) -> list[int]:
    return [i for i, r in fake.of(entity).items() if not r.get("isDeleted")]


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(rows) for name, rows in fake.entities.items()}


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, _live(fake, "Candidate"))
    if cid is None:
        return None
    fake.touch("Candidate", cid, firstName=rnd.choice(FIRST))
    return Change("candidates", str(cid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    sid = pick(rnd, _live(fake, "JobSubmission"))
    if sid is None:
        return None
    status = pick(rnd, set(STATUSES) - {fake.of("JobSubmission")[sid]["status"], "Placed"})
    fake.set_status(sid, str(status))
    return Change("applications", str(sid), "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    """A Placement is made: the submission is not modified (its outcome changes all the same)."""
    placed = {p["jobSubmission"]["id"] for p in fake.of("Placement").values()}
    sid = pick(rnd, set(_live(fake, "JobSubmission")) - placed)
    if sid is None:
        return None
    fake.place(sid)
    return Change("applications", str(sid), "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, _live(fake, "Candidate"))
    if cid is None or len(_live(fake, "Candidate")) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", str(cid), "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, r in fake.of("JobOrder").items() if r["isOpen"]])
    if job is None:
        return None
    cand = fake.add_candidate(rnd.randrange(1000, 1_000_000))
    sub = fake.submit(cand, fake.of("JobOrder")[job], "New Lead")
    return Change("applications", str(sub["id"]), "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {
        "candidates": [str(i) for i in _live(fake, "Candidate")],
        "applications": [str(i) for i in _live(fake, "JobSubmission")],
    }


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
)

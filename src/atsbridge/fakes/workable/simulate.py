"""Control-API hooks of the fake Workable: counts, realistic changes, and the truth a full sync must produce."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.workable.state import FakeState, WorkableError
from atsbridge.fakes.workable.webhooks import WEBHOOKS

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Radia Perlman", "Barbara Liskov")


def counts(fake: FakeState) -> dict[str, int]:
    return {"members": len(fake.members), "disqualification_reasons": len(fake.reasons), "jobs": len(fake.jobs),
            "candidates": len(fake.candidates), "activities": sum(len(a) for a in fake.activities.values()),
            "events": len(fake.events), "offers": len(fake.offers)}  # fmt: skip


def _open(fake: FakeState) -> list[str]:
    return [c for c, cand in fake.candidates.items() if not cand.get("disqualified") and not cand.get("hired_at")]


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    name = rnd.choice(NAMES)
    first, last = name.split(" ")
    fake.edit_candidate(cid, name=name, firstname=first, lastname=last)
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, _open(fake))
    if cid is None:
        return None
    cand = fake.candidates[cid]
    stages = [s["slug"] for s in fake.job_stages.get(cand["job"]["shortcode"], []) if s.get("kind") != "hired"]
    slug = pick(rnd, [s for s in stages if s != cand.get("stage")])
    if slug is None:
        return None
    fake.move(cid, slug)
    return Change("candidates", cid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, _open(fake))
    if cid is None:
        return None
    fake.hire(cid)
    return Change("candidates", cid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, _open(fake))
    if cid is None:
        return None
    fake.disqualify(cid)
    return Change("candidates", cid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    comment = fake.add_comment(cid, f"Call back ({rnd.randrange(1000)})")
    return Change("comments", str(comment.get("id", cid)), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def truth(fake: FakeState) -> dict[str, list[str]]:
    """A Workable candidate is one application to one job: both share its id."""
    return {"candidates": list(fake.candidates), "applications": list(fake.candidates)}


STEPS = (_edit, _move, _hire, _reject, _note, _delete)
HOOKS = Hooks(
    counts, simulator(*STEPS, refused=(WorkableError, KeyError, StopIteration)), truth, {"candidates": "candidates"},
    WEBHOOKS,
)

"""Control-API hooks of the fake Workable: counts, realistic changes, and the truth a full sync must produce."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.workable.state import FakeState, WorkableError
from atsbridge.fakes.workable.webhooks import WEBHOOKS

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Radia Perlman", "Barbara Liskov")


def counts(fake: FakeState) -> dict[str, int]:
    return {"members": len(fake.members), "disqualification_reasons": len(fake.reasons), "jobs": len(fake.jobs),
            "candidates": len(fake.candidates), "activities": sum(len(a) for a in fake.activities.values()),
            "events": len(fake.events), "offers": len(fake.offers)}  # fmt: skip


def _open(fake: FakeState) -> list[str]:
    return [c for c, cand in fake.candidates.items() if not cand.get("disqualified") and not cand.get("hired_at")]


def _edit(fake: FakeState, cid: str, rnd: random.Random) -> None:
    name = rnd.choice(NAMES)
    first, last = name.split(" ")
    fake.edit_candidate(cid, name=name, firstname=first, lastname=last)


def _move(fake: FakeState, cid: str, rnd: random.Random) -> bool:
    cand = fake.candidates[cid]
    stages = [s["slug"] for s in fake.job_stages.get(cand["job"]["shortcode"], []) if s.get("kind") != "hired"]
    return choose(rnd, [s for s in stages if s != cand.get("stage")], lambda slug: fake.move(cid, slug))


def _note(fake: FakeState, cid: str, rnd: random.Random) -> object:
    return fake.add_comment(cid, f"Call back ({rnd.randrange(1000)})").get("id", cid)


def truth(fake: FakeState) -> dict[str, list[str]]:
    """A Workable candidate is one application to one job: both share its id."""
    return {"candidates": list(fake.candidates), "applications": list(fake.candidates)}


STEPS = (
    update_one(lambda f: f.candidates, _edit, "candidates"),
    update_one(_open, _move, "candidates"),
    update_one(_open, lambda f, cid, _: f.hire(cid), "candidates"),
    update_one(_open, lambda f, cid, _: f.disqualify(cid), "candidates"),
    create_on(lambda f: f.candidates, _note, "comments"),
    delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
)
HOOKS = Hooks(
    counts, simulator(*STEPS, refused=(WorkableError, KeyError, StopIteration)), truth, {"candidates": "candidates"},
    WEBHOOKS,
)

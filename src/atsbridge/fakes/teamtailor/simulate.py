"""Control-API hooks of the fake Teamtailor: counts, realistic changes, the truth a full sync must produce."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.webhooks import WEBHOOKS

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")
TYPES = ("users", "departments", "locations", "jobs", "stages", "candidates", "job-applications", "notes",
         "uploads", "answers", "reject-reasons", "custom-field-values")  # fmt: skip


def counts(fake: FakeState) -> dict[str, int]:
    return {t: len(fake.of(t)) for t in TYPES}


def _open(fake: FakeState) -> list[str]:
    return [a["id"] for a in fake.of("job-applications") if not a["attributes"].get("rejected-at")]


def _candidates(fake: FakeState) -> list[str]:
    return [c["id"] for c in fake.of("candidates")]


def _edit(fake: FakeState, cid: str, rnd: random.Random) -> None:
    fake.edit_candidate(cid, **{"first-name": rnd.choice(FIRST)})


def _move(fake: FakeState, aid: str, rnd: random.Random) -> bool:
    app = fake.get("job-applications", aid)
    stages = [s["id"] for s in fake.stages_of(app["rel"]["job"][1]) if s["attributes"].get("stage-type") != "Hired"]
    now = tuple(app["rel"].get("stage") or ())
    return choose(rnd, [s for s in stages if ("stages", s) != now], lambda stage: fake.move_stage(aid, stage))


def _note(fake: FakeState, cid: str, rnd: random.Random) -> object:
    return fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")["id"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {
        "candidates": _candidates(fake),
        "applications": [a["id"] for a in fake.of("job-applications")],
    }


STEPS = (
    update_one(_candidates, _edit, "candidates"),
    update_one(_open, _move, "job-applications"),
    update_one(_open, lambda f, aid, _: f.hire(aid), "job-applications"),
    update_one(_open, lambda f, aid, _: f.reject(aid), "job-applications"),
    create_on(_candidates, _note, "notes"),
    delete_one(_candidates, FakeState.delete_candidate, "candidates"),
)
MODELS = {"candidates": "candidates", "job-applications": "applications"}
HOOKS = Hooks(counts, simulator(*STEPS, refused=(KeyError, ValueError, StopIteration)), truth, MODELS, WEBHOOKS)

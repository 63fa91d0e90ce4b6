"""Control-API hooks of the fake Teamtailor: counts, realistic changes, the truth a full sync must produce."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.webhooks import WEBHOOKS

FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")
TYPES = ("users", "departments", "locations", "jobs", "stages", "candidates", "job-applications", "notes",
         "uploads", "answers", "reject-reasons", "custom-field-values")  # fmt: skip


def counts(fake: FakeState) -> dict[str, int]:
    return {t: len(fake.of(t)) for t in TYPES}


def _open(fake: FakeState) -> list[str]:
    return [a["id"] for a in fake.of("job-applications") if not a["attributes"].get("rejected-at")]


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, [c["id"] for c in fake.of("candidates")])
    if cid is None:
        return None
    fake.edit_candidate(cid, **{"first-name": rnd.choice(FIRST)})
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    app = fake.get("job-applications", aid)
    stages = [s["id"] for s in fake.stages_of(app["rel"]["job"][1]) if s["attributes"].get("stage-type") != "Hired"]
    stage = pick(rnd, [s for s in stages if ("stages", s) != tuple(app["rel"].get("stage") or ())])
    if stage is None:
        return None
    fake.move_stage(aid, stage)
    return Change("job-applications", aid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    fake.hire(aid)
    return Change("job-applications", aid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    fake.reject(aid)
    return Change("job-applications", aid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, [c["id"] for c in fake.of("candidates")])
    if cid is None:
        return None
    note = fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cands = [c["id"] for c in fake.of("candidates")]
    cid = pick(rnd, cands)
    if cid is None or len(cands) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {
        "candidates": [c["id"] for c in fake.of("candidates")],
        "applications": [a["id"] for a in fake.of("job-applications")],
    }


STEPS = (_edit, _move, _hire, _reject, _note, _delete)
MODELS = {"candidates": "candidates", "job-applications": "applications"}
HOOKS = Hooks(counts, simulator(*STEPS, refused=(KeyError, ValueError, StopIteration)), truth, MODELS, WEBHOOKS)

"""Control-API hooks (counts, simulate, truth) and the error shape of the fake Ashby."""

from __future__ import annotations

import random
from typing import Any

from atsbridge.fakes.ashby.state import AshbyError, FakeState
from atsbridge.fakes.ashby.webhooks import WEBHOOKS
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Radia Perlman", "Barbara Liskov")


def errors(error: VendorError) -> Any:
    """Ashby's RPC failure body (transport-level refusals keep their HTTP status)."""
    fallback = {401: "unauthenticated", 429: "rate_limit_exceeded"}
    code = error.code or fallback.get(error.status, "unavailable")
    return {"success": False, "errors": [code], "errorInfo": {"code": code, "message": error.message}}


def counts(fake: FakeState) -> dict[str, int]:
    return {
        "users": len(fake.users), "departments": len(fake.departments), "sources": len(fake.sources),
        "jobs": len(fake.jobs), "job_postings": len(fake.postings), "candidates": len(fake.candidates),
        "applications": len(fake.applications), "notes": sum(len(n) for n in fake.notes.values()),
        "interview_schedules": len(fake.schedules), "offers": len(fake.offers), "feedback": len(fake.feedback),
    }  # fmt: skip


def _active(fake: FakeState) -> list[str]:
    return [a for a, app in fake.applications.items() if app["status"] == "Active"]


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, name=rnd.choice(NAMES))
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _active(fake))
    if aid is None:
        return None
    current = fake.applications[aid]["currentInterviewStage"]
    stages = [s for s in fake.plans[current["interviewPlanId"]] if s["type"] not in ("Archived", "Hired", "Lead")]
    stage = pick(rnd, [s["id"] for s in stages if s["id"] != current["id"]])
    if stage is None:
        return None
    fake.change_stage(aid, stage)
    return Change("applications", aid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _active(fake))
    if aid is None:
        return None
    fake.hire(aid)
    return Change("applications", aid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, _active(fake))
    if aid is None:
        return None
    fake.archive(aid)
    return Change("applications", aid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    note = fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _hire, _reject, _note, _delete, refused=(AshbyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

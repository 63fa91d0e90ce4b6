"""Control-API hooks (counts, simulate, truth) and the error shape of the fake Ashby."""

from __future__ import annotations

import random
from typing import Any

from atsbridge.fakes.ashby.state import AshbyError, FakeState
from atsbridge.fakes.ashby.webhooks import WEBHOOKS
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import choose, create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks

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


def _edit(fake: FakeState, cid: str, rnd: random.Random) -> None:
    fake.edit_candidate(cid, name=rnd.choice(NAMES))


def _move(fake: FakeState, aid: str, rnd: random.Random) -> bool:
    current = fake.applications[aid]["currentInterviewStage"]
    stages = [s for s in fake.plans[current["interviewPlanId"]] if s["type"] not in ("Archived", "Hired", "Lead")]
    return choose(rnd, [s["id"] for s in stages if s["id"] != current["id"]], lambda s: fake.change_stage(aid, s))


def _note(fake: FakeState, cid: str, rnd: random.Random) -> object:
    return fake.add_note(cid, f"Call back ({rnd.randrange(1000)})")["id"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates, _edit, "candidates"),
        update_one(_active, _move, "applications"),
        update_one(_active, lambda f, aid, _: f.hire(aid), "applications"),
        update_one(_active, lambda f, aid, _: f.archive(aid), "applications"),
        create_on(lambda f: f.candidates, _note, "notes"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        refused=(AshbyError, StopIteration),
    ),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

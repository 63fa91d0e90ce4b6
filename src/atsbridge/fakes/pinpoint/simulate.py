"""Control-API hooks of the fake Pinpoint: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.pinpoint.state import FIRST, FakeState
from atsbridge.fakes.pinpoint.webhooks import WEBHOOKS

TABLES = ("users", "rejection_reasons", "jobs", "stages", "candidates", "applications", "comments")


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(getattr(fake, name)) for name in TABLES}


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, first_name=rnd.choice(FIRST) + "e")
    return Change("candidates", cid, "updated")


def _to(kind: str | None) -> Callable[[FakeState, random.Random], Change | None]:
    """Move an application to another stage of its job (``kind``: a stage type such as hired/rejected)."""

    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        aid = pick(rnd, fake.applications)
        if aid is None:
            return None
        app = fake.applications[aid]
        stages = [s for s in fake.jobs[app["job"]]["stages"] if s != app["stage"]
                  and (kind is None or fake.stages[s]["attributes"]["stage_type"] == kind)]  # fmt: skip
        sid = pick(rnd, stages)
        if sid is None:
            return None
        fake.move(aid, sid, pick(rnd, fake.rejection_reasons))
        return Change("applications", aid, "updated")

    return step


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, row in fake.jobs.items() if row["attributes"]["status"] == "open"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    person = {"first_name": rnd.choice(FIRST), "last_name": "Sim", "email": f"sim.{n}@mail.example", "phone": None}
    with fake.lock:
        aid = fake.add_application(person, job, fake.jobs[job]["stages"][0], fake.now())
    return Change("applications", aid, "created")


def _comment(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applications)
    return Change("comments", fake.comment(aid, "Simulated comment"), "created") if aid else None


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(
        _edit,
        _to(None),
        _to("hired"),
        _to("rejected"),
        _delete,
        _apply,
        _comment,
        refused=(VendorError, KeyError, StopIteration),
    ),  # fmt: skip
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

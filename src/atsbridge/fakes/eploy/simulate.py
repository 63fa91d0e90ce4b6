"""Control-API hooks of the fake Eploy: counts, realistic changes, and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.eploy.state import ACTION_TYPES, FIRST, STAGES, STATUSES, FakeState
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {name: len(fake.table(name)) for name in ("users", "vacancies", "candidates", "applications", "actions")}


def _open(fake: FakeState) -> list[int]:
    return [a for a, app in fake.applications.items()
            if not app["Placement"] and app["Workflow"]["Status"]["Id"] == STATUSES["progress"][0]]  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, sorted(fake.candidates))
    if cid is None:
        return None
    fake.edit_candidate(cid, f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}")
    return Change("candidates", str(cid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    """Forward only, as recruiters move (a move back could undo an earlier change)."""
    aid = pick(rnd, [a for a in _open(fake) if fake.applications[a]["Workflow"]["Stage"]["Id"] < 4])
    if aid is None:
        return None
    fake.move(aid, STAGES[fake.applications[aid]["Workflow"]["Stage"]["Id"]])
    return Change("applications", str(aid), "updated")


def _decide(fake: FakeState, rnd: random.Random) -> Change | None:
    """An open application is rejected, withdrawn or placed (a placement is what makes it hired)."""
    aid = pick(rnd, _open(fake))
    if aid is None:
        return None
    verdict = rnd.choice(("rejected", "withdrawn", "placed"))
    if verdict == "placed":
        fake.place(aid)
    else:
        fake.set_status(aid, STATUSES[verdict])
    return Change("applications", str(aid), "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, sorted(fake.applications))
    if aid is None:
        return None
    action = fake.insert_action({"ActionType": {"Id": ACTION_TYPES[0][0]}, "Application": {"Id": aid},
                                 "Notes": f"Follow-up {rnd.randrange(10_000)}"})  # fmt: skip
    return Change("actions", str(action["ActionId"]), "created")


_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    live = [v for v, vac in fake.vacancies.items() if vac["VacancyStatus"]["Description"] == "Live"]
    vid = pick(rnd, sorted(live))
    if vid is None:
        return None
    app = fake.apply(vid, {"FirstName": rnd.choice(FIRST), "Surname": "Sim"})
    return Change("applications", str(app["ApplicationId"]), "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": [str(c) for c in fake.candidates], "applications": [str(a) for a in fake.applications],
            "jobs": [str(v) for v in fake.vacancies], "users": [str(u) for u in fake.users]}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _decide, _note, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "vacancies": "jobs", "users": "users",
     "actions": "notes"},
)  # fmt: skip

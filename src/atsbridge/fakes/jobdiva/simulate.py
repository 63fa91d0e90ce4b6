"""Control-API hooks of the fake JobDiva: counts, realistic changes (pushed as JobDiva webhooks:
``webhooks.py``), and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.jobdiva.state import FIRST, STATUSES, FakeState, stamp
from atsbridge.fakes.jobdiva.webhooks import WEBHOOKS, note_added
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {kind: len(getattr(fake, kind)) for kind in ("users", "jobs", "candidates", "activities", "notes")}


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.touch("candidates", cid, FIRSTNAME=rnd.choice(FIRST) + "e")
    return Change("candidates", cid, "updated")


def _status(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, row in fake.activities.items() if row["HIREFLAG"] != "1"])
    if aid is None:
        return None
    fake.touch("activities", aid, STATUS=rnd.choice([s for s in STATUSES if s != fake.activities[aid]["STATUS"]]))
    return Change("activities", aid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, row in fake.activities.items() if row["HIREFLAG"] != "1"])
    if aid is None:
        return None
    fake.touch("activities", aid, HIREFLAG="1", STATUS="Placed", START_STATUS="Active", STARTDATE=stamp(fake.now()))
    return Change("activities", aid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, row in fake.activities.items() if not row["EXTERNALREJECTDATE"]])
    if aid is None:
        return None
    fake.touch("activities", aid, EXTERNALREJECTDATE=stamp(fake.now()), STATUS="Client Rejected")
    return Change("activities", aid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    nid = fake.create_note({"candidateid": cid, "note": "Checked references."})
    note_added(nid, cid)
    return Change("notes", nid, "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, row in fake.jobs.items() if row["JOBSTATUS"] == "OPEN"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    cid = fake.add_candidate(rnd.choice(FIRST), "Sim", f"sim.{n}@mail.example")["CANDIDATEID"]
    return Change("activities", fake.add_activity(cid, job)["ACTIVITYID"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.activities), "jobs": list(fake.jobs),
            "users": list(fake.users), "notes": list(fake.notes)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _status, _hire, _reject, _note, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "activities": "applications", "jobs": "jobs", "users": "users", "notes": "notes"},
    WEBHOOKS,
)

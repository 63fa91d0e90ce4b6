"""Control-API hooks of the fake JobDiva: counts, realistic changes (pushed as JobDiva webhooks:
``webhooks.py``), and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.jobdiva.state import FIRST, STATUSES, FakeState, stamp
from atsbridge.fakes.jobdiva.webhooks import WEBHOOKS, note_added
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {kind: len(getattr(fake, kind)) for kind in ("users", "jobs", "candidates", "activities", "notes")}


def _unhired(fake: FakeState) -> list[str]:
    return [a for a, row in fake.activities.items() if row["HIREFLAG"] != "1"]


def _status(fake: FakeState, aid: str, rnd: random.Random) -> None:
    fake.touch("activities", aid, STATUS=rnd.choice([s for s in STATUSES if s != fake.activities[aid]["STATUS"]]))


def _hire(fake: FakeState, aid: str, _: random.Random) -> None:
    fake.touch("activities", aid, HIREFLAG="1", STATUS="Placed", START_STATUS="Active", STARTDATE=stamp(fake.now()))


def _note(fake: FakeState, cid: str, _: random.Random) -> object:
    nid = fake.create_note({"candidateid": cid, "note": "Checked references."})
    note_added(nid, cid)
    return nid


def _apply(fake: FakeState, job: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    cid = fake.add_candidate(rnd.choice(FIRST), "Sim", f"sim.{n}@mail.example")["CANDIDATEID"]
    return fake.add_activity(cid, job)["ACTIVITYID"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.activities), "jobs": list(fake.jobs),
            "users": list(fake.users), "notes": list(fake.notes)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates,
                   lambda f, cid, rnd: f.touch("candidates", cid, FIRSTNAME=rnd.choice(FIRST) + "e"), "candidates"),
        update_one(_unhired, _status, "activities"),
        update_one(_unhired, _hire, "activities"),
        update_one(lambda f: [a for a, row in f.activities.items() if not row["EXTERNALREJECTDATE"]],
                   lambda f, aid, _: f.touch("activities", aid, EXTERNALREJECTDATE=stamp(f.now()),
                                             STATUS="Client Rejected"), "activities"),  # fmt: skip
        create_on(lambda f: f.candidates, _note, "notes"),
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates"),
        create_on(lambda f: [j for j, row in f.jobs.items() if row["JOBSTATUS"] == "OPEN"], _apply, "activities"),
        refused=(VendorError, KeyError),
    ),
    truth,
    {"candidates": "candidates", "activities": "applications", "jobs": "jobs", "users": "users", "notes": "notes"},
    WEBHOOKS,
)

"""The control API's hooks for the fake Lever: record counts, and one realistic change at a time (edit a
candidate, move a stage, hire, reject, add a note, delete a candidate, new application) through the same
state methods the write endpoints use."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.lever.state import SUBS, FakeState
from atsbridge.fakes.lever.webhooks import WEBHOOKS

NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Radia Perlman", "Barbara Liskov", "Ken Thompson")


def counts(fake: FakeState) -> dict[str, int]:
    out = {"users": len(fake.users), "stages": len(fake.stages), "archive_reasons": len(fake.archive_reasons),
           "postings": len(fake.postings), "opportunities": len(fake.opportunities)}  # fmt: skip
    for sub in SUBS:
        out[sub] = sum(len(rows) for rows in fake.subs[sub].values())
    for feed, rows in fake.deleted.items():
        out[f"{feed}_deleted"] = len(rows)
    return out


def _open(fake: FakeState) -> list[str]:
    return sorted(oid for oid, opp in fake.opportunities.items() if not opp["archived"])


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = sorted(fake.opportunities)
    if not opps:
        return None
    oid = rnd.choice(opps)
    fake.edit_opportunity(oid, name=rnd.choice(NAMES), headline=f"Engineer {rnd.randrange(99)}")
    return Change("opportunities", oid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = _open(fake)
    if not opps:
        return None
    oid = rnd.choice(opps)
    current = fake.stage_index(fake.opportunities[oid]["stage"])
    fake.move_stage(oid, fake.stages[(current + 1) % len(fake.stages)]["id"])
    return Change("opportunities", oid, "updated")


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = _open(fake)
    if not opps:
        return None
    oid = rnd.choice(opps)
    fake.hire(oid)
    return Change("opportunities", oid, "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = _open(fake)
    if not opps:
        return None
    oid = rnd.choice(opps)
    fake.reject(oid)
    return Change("opportunities", oid, "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = sorted(fake.opportunities)
    if not opps:
        return None
    note = fake.add_note(rnd.choice(opps), f"Call back ({rnd.randrange(1000)})")
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    opps = sorted(fake.opportunities)
    if len(opps) < 2:
        return None
    oid = rnd.choice(opps)
    fake.delete_opportunity(oid)
    return Change("opportunities", oid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    postings = sorted(pid for pid, p in fake.postings.items() if p.get("state") == "published")
    if not postings or not fake.users:
        return None
    n = rnd.randrange(1_000_000)
    body = {"name": rnd.choice(NAMES), "emails": [f"sim.{n}@example.com"], "postings": [rnd.choice(postings)]}
    opp, _deduped, _created = fake.create_opportunity(body, fake.users[0]["id"])
    return Change("opportunities", str(opp["id"]), "created")


STEPS = (_edit, _edit, _move, _move, _hire, _reject, _note, _delete, _apply)


def simulate(fake: FakeState, rnd: random.Random) -> Change | None:
    return rnd.choice(STEPS)(fake, rnd)


def truth(fake: FakeState) -> dict[str, list[str]]:
    """An opportunity is a candidate; each of its applications (one per posting) an application."""
    apps = [a["id"] for rows in fake.subs["applications"].values() for a in rows]
    return {"candidates": list(fake.opportunities), "applications": apps}


HOOKS = Hooks(counts, simulate, truth, {"opportunities": "candidates"}, WEBHOOKS)

"""The control API's hooks for the fake Greenhouse: record counts, and one realistic change at a time
(edit a candidate, move a stage, hire, reject, add a note, delete a candidate, new application), made with
the same state methods and write rules the API uses."""

from __future__ import annotations

import random

from atsbridge.fakes.greenhouse import writes
from atsbridge.fakes.greenhouse.generate import FIRST, LAST
from atsbridge.fakes.greenhouse.state import KINDS, FakeState
from atsbridge.fakes.kit.emit import WebhookStyle, hmac_body
from atsbridge.fakes.kit.spec import Change, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {kind: len(fake.tables[kind]) for kind in KINDS}


def _active(fake: FakeState) -> list[int]:
    rows = sorted(fake.tables["applications"].items())
    return [
        i for i, row in rows
        if row.data.get("status") == "active" and not row.data.get("prospect") and len(row.data.get("jobs") or []) == 1
    ]  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cands = sorted(fake.tables["candidates"])
    if not cands:
        return None
    cid = rnd.choice(cands)
    fake.edit_candidate(
        cid, first_name=rnd.choice(FIRST), last_name=rnd.choice(LAST), title=f"Engineer {rnd.randrange(99)}"
    )
    return Change("candidates", str(cid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    for app_id in rnd.sample(_active(fake), min(5, len(_active(fake)))):
        try:
            writes.move(fake, app_id, {})
        except writes.Refused:
            continue
        return Change("applications", str(app_id), "updated")
    return None


def _hire(fake: FakeState, rnd: random.Random) -> Change | None:
    apps = _active(fake)
    if not apps:
        return None
    app_id = rnd.choice(apps)
    fake.hire(app_id)
    return Change("applications", str(app_id), "updated")


def _reject(fake: FakeState, rnd: random.Random) -> Change | None:
    apps, reasons = _active(fake), sorted(set(fake.tables["rejection_reasons"]) - fake.default_reasons)
    if not apps or not reasons:
        return None
    app_id = rnd.choice(apps)
    fake.reject(app_id, rnd.choice(reasons))
    return Change("applications", str(app_id), "updated")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cands = sorted(fake.tables["candidates"])
    if not cands:
        return None
    note = writes.add_note(
        fake, {"candidate_id": rnd.choice(cands), "body": f"Call back ({rnd.randrange(1000)})"}, None
    )
    return Change("notes", str(note["id"]), "created")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    cands = sorted(fake.tables["candidates"])
    if len(cands) < 2:
        return None
    cid = rnd.choice(cands)
    fake.delete_candidate(cid)
    return Change("candidates", str(cid), "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    jobs = [j for j in sorted(fake.tables["jobs"]) if fake.get("jobs", j).get("status") == "open"]
    cands = sorted(fake.tables["candidates"])
    for _ in range(10):
        if not jobs or not cands:
            return None
        try:
            app = writes.create_application(fake, {"candidate_id": rnd.choice(cands), "job_id": rnd.choice(jobs)})
        except writes.Refused:
            continue
        return Change("applications", str(app["id"]), "created")
    return None


STEPS = (_edit, _edit, _move, _move, _hire, _reject, _note, _delete, _apply)


def simulate(fake: FakeState, rnd: random.Random) -> Change | None:
    return rnd.choice(STEPS)(fake, rnd)


def truth(fake: FakeState) -> dict[str, list[str]]:
    """Candidates, and every application but ``converted`` prospects (Greenhouse superseded those with the
    candidate application they became; open prospects are applications, possibly without a job)."""
    apps = [i for i, row in fake.tables["applications"].items() if row.data.get("status") != "converted"]
    return {"candidates": [str(i) for i in fake.tables["candidates"]], "applications": [str(i) for i in apps]}


#: (resource, kind) -> Greenhouse's webhook ``action`` [doc]. The payload carries only the changed record's id
#: (real payloads embed the whole application or candidate; atsbridge reads only ``action``).
ACTIONS = {
    ("applications", "created"): ("new_candidate_application", "application"),
    ("applications", "updated"): ("candidate_stage_change", "application"),
    ("candidates", "updated"): ("update_candidate", "candidate"),
    ("candidates", "deleted"): ("delete_candidate", "candidate"),
}


def webhook_body(change: Change) -> dict[str, object] | None:
    found = ACTIONS.get((change.resource, change.kind))
    if found is None:
        return None  # notes have no Greenhouse webhook
    action, key = found
    return {"action": action, "payload": {key: {"id": int(change.remote_id)}}}


WEBHOOKS = WebhookStyle(webhook_body, hmac_body("Signature", "sha256 "), delivery_header="Greenhouse-Event-ID")
HOOKS = Hooks(counts, simulate, truth, {"candidates": "candidates", "applications": "applications"}, WEBHOOKS)

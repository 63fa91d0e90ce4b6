"""Control-API hooks of the fake iCIMS: counts, realistic changes, and the truth a full sync must match.
Status moves and new applications are pushed as iCIMS Integration Events (``webhooks.py``)."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.icims.state import FIRST, STATUSES, FakeState
from atsbridge.fakes.icims.webhooks import WEBHOOKS, WorkflowEvent
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Change, ChangeKind, Hooks


def counts(fake: FakeState) -> dict[str, int]:
    return {"companies": len(fake.companies), "jobs": len(fake.jobs), "people": len(fake.people),
            "applicantworkflows": len(fake.applicantworkflows)}  # fmt: skip


_edit = update_one(lambda f: f.people, lambda f, pid, rnd: f.edit_person(pid, firstname=rnd.choice(FIRST) + "x"),
                   "people")  # fmt: skip


def _status(names: tuple[str, ...]) -> Callable[[FakeState, random.Random], Change | None]:
    """Move a workflow to a node: any other (a step), or Hired / Rejected."""

    def step(fake: FakeState, rnd: random.Random) -> Change | None:
        wid = pick(rnd, fake.applicantworkflows)
        if wid is None:
            return None
        current = (fake.applicantworkflows[wid].get("status") or {}).get("id")
        target = pick(rnd, [s for s, name in STATUSES if s != current and (not names or name in names)])
        if target is None:
            return None
        fake.set_status(wid, target)
        return _event(fake, wid, "updated", current)

    return step


def _event(fake: FakeState, wid: str, kind: ChangeKind, old: str | None) -> WorkflowEvent:
    wf = fake.applicantworkflows[wid]
    return WorkflowEvent("applicantworkflows", wid, kind, customer=fake.customer_id,
                         job=str(wf["baseprofile"]["id"]), person=str(wf["associatedprofile"]["id"]),
                         old_status=old, new_status=(wf.get("status") or {}).get("id"))  # fmt: skip


_delete = delete_one(lambda f: f.people, FakeState.delete_person, "people")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, sorted(fake.jobs))
    if job is None:
        return None
    wid = fake.apply(job, None, fake.now(), n=rnd.randrange(1_000_000), status=STATUSES[0])
    return _event(fake, wid, "created", None)


HOOKS = Hooks(
    counts,
    simulator(
        _edit,
        _status(()),
        _status(("Hired",)),
        _status(("Rejected",)),
        _delete,
        _apply,
        refused=(VendorError, KeyError),
    ),
    lambda fake: {"candidates": list(fake.people), "applications": list(fake.applicantworkflows)},
    {"people": "candidates", "applicantworkflows": "applications"},
    WEBHOOKS,
)

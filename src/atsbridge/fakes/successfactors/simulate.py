"""Control-API hooks of the fake SuccessFactors: counts, realistic changes (pushed as Intelligent Services
webhooks, ``webhooks.py``), and the truth a full sync must match."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.successfactors.state import SYSTEM, FakeState
from atsbridge.fakes.successfactors.webhooks import WEBHOOKS, Pushed

NAMES = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken")


def counts(fake: FakeState) -> dict[str, int]:
    return {"statuses": len(fake.statuses), "requisitions": len(fake.requisitions),
            "candidates": len(fake.candidates), "applications": len(fake.applications),
            "comments": len(fake.comments), "users": len(fake.users), "interviews": len(fake.interviews),
            "offers": len(fake.offers)}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, firstName=rnd.choice(NAMES))
    return Pushed.profile("candidates", cid, "updated", cid)


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, fake.applications)
    if aid is None:
        return None
    app = fake.applications[aid]
    choices = [s["appStatusId"] for s in fake.set_of(fake.requisitions[app["jobReqId"]])
               if s["appStatusName"] not in SYSTEM and s["appStatusId"] != app["appStatusSetItemId"]]  # fmt: skip
    target = pick(rnd, choices)
    if target is None:
        return None
    return Pushed.status_changed(fake.move(aid, target))


_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [j for j, r in fake.requisitions.items() if not r["closedDateTime"]])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    cand = fake.create_candidate({"primaryEmail": f"sim.{n}@mail.example", "firstName": rnd.choice(NAMES),
                                  "lastName": "Sim", "country": "SE"})  # fmt: skip
    app = fake.create_application({"candidateId": cand["candidateId"], "jobReqId": job})
    return Pushed.profile("applications", app["applicationId"], "created", cand["candidateId"])


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications)}


HOOKS = Hooks(
    counts,
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError, KeyError, StopIteration)),
    truth,
    {"candidates": "candidates", "applications": "applications"},
    WEBHOOKS,
)

"""Control-API hooks of the fake UKG Pro Recruiting: counts, realistic changes, and the truth a full sync must
match (every candidate has at least one application: deleting a candidate deletes its applications)."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.ukgpro.state import FIRST, STATUSES, FakeState


def counts(fake: FakeState) -> dict[str, int]:
    return {"opportunities": len(fake.opportunities), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "offers": len(fake.offers),
            "comments": sum(len(c["comments"]) for c in fake.candidates.values()),
            "documents": sum(len(d) for d in fake.documents.values())}  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.edit_candidate(cid, f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}")
    return Change("candidates", cid, "updated")


def _status(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, [a for a, app in fake.applications.items() if app["status"]["name"] not in ("Hired",)])
    if aid is None:
        return None
    current = fake.applications[aid]["status"]["name"]
    fake.set_status(aid, rnd.choice([s for s in STATUSES if s != current]))
    return Change("applications", aid, "updated")


def _comment(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    fake.add_comment(cid, {"comment": f"Call back in {rnd.randrange(2, 9)} days", "author": "Recruiter"})
    return Change("candidates", cid, "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    # a candidate imported moments ago is not deleted in the same breath (its application's creation is reported)
    cid = pick(rnd, [c for c, cand in fake.candidates.items() if not cand.get("_imported")])
    if cid is None or len(fake.candidates) < 2:
        return None
    fake.delete_candidate(cid)
    return Change("candidates", cid, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    opp = pick(rnd, [o for o, opp in fake.opportunities.items() if opp["status"] == "Open"])
    if opp is None:
        return None
    n = rnd.randrange(1_000_000)
    app = fake.import_application({"creation_method": "CandidateImport", "opportunity": {"id": opp},
                                   "candidate": {"name": {"first": rnd.choice(FIRST), "last": "Sim"},
                                                 "contact_info": {"email": f"sim.{n}@mail.example"}}})  # fmt: skip
    return Change("applications", app["id"], "created")


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications),
            "jobs": list(fake.opportunities), "offers": list(fake.offers)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(_edit, _status, _comment, _delete, _apply, refused=(VendorError, KeyError)),
    truth,
    {"candidates": "candidates", "applications": "applications", "opportunities": "jobs", "offers": "offers"},
)

"""Control-API hooks of the fake UKG Pro Recruiting: counts, realistic changes, and the truth a full sync must
match (every candidate has at least one application: deleting a candidate deletes its applications)."""

from __future__ import annotations

import random

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import create_on, delete_one, simulator, update_one
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.ukgpro.state import FIRST, STATUSES, FakeState


def counts(fake: FakeState) -> dict[str, int]:
    return {"opportunities": len(fake.opportunities), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "offers": len(fake.offers),
            "comments": sum(len(c["comments"]) for c in fake.candidates.values()),
            "documents": sum(len(d) for d in fake.documents.values())}  # fmt: skip


def _status(fake: FakeState, aid: str, rnd: random.Random) -> None:
    current = fake.applications[aid]["status"]["name"]
    fake.set_status(aid, rnd.choice([s for s in STATUSES if s != current]))


def _comment(fake: FakeState, cid: str, rnd: random.Random) -> None:
    fake.add_comment(cid, {"comment": f"Call back in {rnd.randrange(2, 9)} days", "author": "Recruiter"})


def _apply(fake: FakeState, opp: str, rnd: random.Random) -> object:
    n = rnd.randrange(1_000_000)
    app = fake.import_application({"creation_method": "CandidateImport", "opportunity": {"id": opp},
                                   "candidate": {"name": {"first": rnd.choice(FIRST), "last": "Sim"},
                                                 "contact_info": {"email": f"sim.{n}@mail.example"}}})  # fmt: skip
    return app["id"]


def truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.applications),
            "jobs": list(fake.opportunities), "offers": list(fake.offers)}  # fmt: skip


HOOKS = Hooks(
    counts,
    simulator(
        update_one(lambda f: f.candidates,
                   lambda f, cid, rnd: f.edit_candidate(cid, f"{rnd.choice(FIRST)}-{rnd.randrange(1000)}"),
                   "candidates"),  # fmt: skip
        update_one(lambda f: [a for a, app in f.applications.items() if app["status"]["name"] not in ("Hired",)],
                   _status, "applications"),  # fmt: skip
        update_one(lambda f: f.candidates, _comment, "candidates"),
        # a candidate imported moments ago is not deleted in the same breath (its application's creation is reported)
        delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates",
                   lambda f: [c for c, cand in f.candidates.items() if not cand.get("_imported")]),
        create_on(lambda f: [o for o, opp in f.opportunities.items() if opp["status"] == "Open"], _apply,
                  "applications"),  # fmt: skip
        refused=(VendorError, KeyError),
    ),
    truth,
    {"candidates": "candidates", "applications": "applications", "opportunities": "jobs", "offers": "offers"},
)

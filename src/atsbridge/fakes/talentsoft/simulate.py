"""Realistic changes, and what each API's full sync must produce. The FrontOffice view (``fo=True``) only
changes, and only states the truth of, what its client can see: the applications it created and their
applicants, and the published offers."""

from __future__ import annotations

import random
from collections.abc import Callable

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Change, Hooks
from atsbridge.fakes.talentsoft.state import EVENTS, FIRST, LAST, FakeState

Step = Callable[[FakeState, random.Random], Change | None]


def steps(fo: bool) -> tuple[Step, ...]:
    def candidates(fake: FakeState) -> set[str]:
        return fake.fo_candidates() if fo else set(fake.candidates)

    def application(fake: FakeState, rnd: random.Random) -> str | None:
        return fake.pick_fo_application(rnd) if fo else pick(rnd, fake.applications)

    def edit(fake: FakeState, rnd: random.Random) -> Change | None:
        cid = pick(rnd, candidates(fake))
        if cid is None:
            return None
        fake.touch_candidate(cid, rnd)
        return Change("candidates", cid, "updated")

    def move(fake: FakeState, rnd: random.Random) -> Change | None:
        aid = application(fake, rnd)
        if aid is None:
            return None
        current = fake.applications[aid]["applicationEvent"]["clientCode"]
        fake.set_event(aid, rnd.choice([c for c, _ in EVENTS if c != current]))
        return Change("applications", aid, "updated")

    def delete(fake: FakeState, rnd: random.Random) -> Change | None:
        cid = pick(rnd, candidates(fake))
        if cid is None or len(candidates(fake)) < 3:
            return None
        fake.delete_candidate(cid)
        return Change("candidates", cid, "deleted")

    def apply(fake: FakeState, rnd: random.Random) -> Change | None:
        job = pick(rnd, [r for r, v in fake.vacancies.items() if v["published"]])
        if job is None:
            return None
        cand = fake.add_candidate({"firstName": rnd.choice(FIRST), "lastName": rnd.choice(LAST),
                                   "email": f"sim{fake.seq}@mail.example"})  # fmt: skip
        origin = "frontoffice" if fo or rnd.random() < 0.5 else "backoffice"
        made = fake.add_application(cand["id"], job, origin)
        return Change("applications", made["id"], "created")

    return edit, move, move, delete, apply


def counts(fake: FakeState) -> dict[str, int]:
    return {"vacancies": len(fake.vacancies), "candidates": len(fake.candidates),
            "applications": len(fake.applications), "applicationevents": len(fake.events)}  # fmt: skip


MODELS = {"candidates": "candidates", "applications": "applications", "vacancies": "jobs"}

FRONTOFFICE = Hooks(
    counts,
    simulator(*steps(fo=True), refused=(VendorError,)),
    lambda f: {
        "candidates": sorted(f.fo_candidates()),
        "applications": [a["id"] for a in f.fo_applications()],
        "jobs": [r for r, v in f.vacancies.items() if v["published"]],
    },  # fmt: skip
    MODELS,
)
CUSTOMER = Hooks(
    counts,
    simulator(*steps(fo=False), refused=(VendorError,)),
    lambda f: {"candidates": list(f.candidates), "applications": list(f.applications), "jobs": list(f.vacancies)},
    MODELS,
)

"""``sandbox simulate``: the sandbox ATS changes its own data, as recruiters would, so syncs have work to do.

Each step picks a random action (move a candidate through the pipeline, hire, reject, schedule interviews,
edit or delete records, ...), reads the affected records' *current* vendor form (the overlay row if the
sandbox already changed it, else the generator's base record), changes them, stamps their vendor
``updated_at`` with the wall clock and writes full overlay rows (one transaction per action). The report
lists every record touched so tests can check the next sync reflects exactly those changes.

One simulation per integration at a time: new remote ids are allocated from what this run loaded.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine

from atsbridge.connectors.sandbox import state
from atsbridge.connectors.sandbox.generator import (
    APP_ATTACHMENTS,
    DEPARTMENTS,
    FIRST_NAMES,
    INTERVIEWS,
    KINDS,
    LAST_NAMES,
    NOTES,
    OFFERS,
    PREFIX,
    REJECTION_REASONS,
    SCORECARDS,
    WITHDRAWAL_REASONS,
    AppFacts,
    JobInfo,
    SandboxATS,
    sandbox,
)  # fmt: skip
from atsbridge.core.timeutil import utcnow

Record = dict[str, Any]
Key = tuple[str, str]
PENDING = ("active", "on_hold")
#: parent kind -> (child kind, field of the child naming the parent): what a deletion takes with it.
CASCADE: dict[str, tuple[tuple[str, str], ...]] = {
    "candidates": (("applications", "candidateId"), ("notes", "candidateId"), ("attachments", "candidateId"),
                   ("scorecards", "candidateId")),
    "applications": (("interviews", "applicationId"), ("offers", "applicationId"), ("notes", "applicationId"),
                     ("attachments", "applicationId"), ("scorecards", "applicationId")),
    "interviews": (("scorecards", "interviewId"),),
}  # fmt: skip


@dataclass
class ActionResult:
    action: str
    created: list[Key] = field(default_factory=list)
    updated: list[Key] = field(default_factory=list)
    deleted: list[Key] = field(default_factory=list)


@dataclass
class SimulationReport:
    integration_id: str
    #: Every overlay row this run wrote has ``updated_at >= started_at``.
    started_at: datetime
    actions: list[ActionResult] = field(default_factory=list)

    def __str__(self) -> str:
        counts: dict[str, int] = {}
        for action in self.actions:
            counts[action.action] = counts.get(action.action, 0) + 1
        net = self.net()
        done = ", ".join(f"{name} x{n}" for name, n in sorted(counts.items())) or "nothing"
        upserted = sum(1 for final in net.values() if final == "upserted")
        return (f"{len(self.actions)} changes ({done}); {upserted} records created or updated, "
                f"{len(net) - upserted} deleted. The next sync picks them up.")  # fmt: skip

    def net(self) -> dict[Key, str]:
        """(kind, remote id) -> "upserted" or "deleted": each touched record's final state."""
        out: dict[Key, str] = {}
        for action in self.actions:
            for key in action.created + action.updated:
                out[key] = "upserted"
            for key in action.deleted:
                out[key] = "deleted"
        return out

    def upserted(self) -> dict[str, set[str]]:
        return self._by_kind("upserted")

    def deleted(self) -> dict[str, set[str]]:
        return self._by_kind("deleted")

    def _by_kind(self, wanted: str) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for (kind, rid), final in self.net().items():
            if final == wanted:
                out.setdefault(kind, set()).add(rid)
        return out


class World:
    """The sandbox ATS's current state during a simulation: generator + overlay + this action's changes."""

    def __init__(self, engine: Engine, integration_id: str, gen: SandboxATS, rng: random.Random) -> None:
        self.engine, self.integration_id, self.gen, self.rng = engine, integration_id, gen, rng
        self.overlay: dict[str, dict[str, Record | None]] = {kind: {} for kind in KINDS}
        self.new_ids: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.seq = 0
        for row in state.load(engine, integration_id):
            self.overlay[row.kind][row.remote_id] = row.payload
            self.seq = max(self.seq, row.seq)
            if gen.index_of(row.kind, row.remote_id) is None:
                self.new_ids[row.kind].append(row.remote_id)
        self._serial = {kind: max([gen.count(kind)] + [_serial(kind, r) for r in self.new_ids[kind]]) for kind in KINDS}
        self.pending: list[state.Change] = []
        self.result = ActionResult("")
        self.now = utcnow()

    @property
    def now_ms(self) -> int:
        return int(self.now.timestamp() * 1000)

    def get(self, kind: str, rid: str) -> Record | None:
        """The record's current vendor form (a private copy), or None if deleted or unknown."""
        if rid in self.overlay[kind]:
            payload = self.overlay[kind][rid]
            return None if payload is None else _copy(payload)
        index = self.gen.index_of(kind, rid)
        return None if index is None else self.gen.record(kind, index)

    def pick(self, kind: str, accept: Callable[[Record], bool] | None = None, tries: int = 60) -> Record | None:
        """A random live record of ``kind`` (base or created later) that ``accept`` likes."""
        base, extra = self.gen.count(kind), self.new_ids[kind]
        if base + len(extra) == 0:
            return None
        for _ in range(tries):
            n = self.rng.randrange(base + len(extra))
            rec = self.get(kind, self.gen.remote_id(kind, n) if n < base else extra[n - base])
            if rec is not None and (accept is None or accept(rec)):
                return rec
        return None

    def new_rid(self, kind: str) -> str:
        self._serial[kind] += 1
        return f"{PREFIX[kind]}{self._serial[kind]}"

    # -------------------------------------------------------------------------------------- changes
    def begin(self, action: str) -> None:
        self.pending, self.result, self.now = [], ActionResult(action), utcnow()

    def create(self, kind: str, rec: Record) -> None:
        rec["created_at"] = rec["updated_at"] = self.now_ms
        self.new_ids[kind].append(rec["id"])
        self._put(kind, rec["id"], rec)
        self.result.created.append((kind, rec["id"]))

    def update(self, kind: str, rec: Record) -> None:
        rec["updated_at"] = self.now_ms
        self._put(kind, rec["id"], rec)
        self.result.updated.append((kind, rec["id"]))

    def delete(self, kind: str, rid: str) -> None:
        self._put(kind, rid, None)
        self.result.deleted.append((kind, rid))

    def _put(self, kind: str, rid: str, payload: Record | None) -> None:
        self.overlay[kind][rid] = payload
        self.pending.append(state.Change(kind, rid, payload))

    def commit(self) -> ActionResult:
        self.seq = state.write(self.engine, self.integration_id, self.pending, now=self.now, first_seq=self.seq + 1)
        self.pending = []
        return self.result

    # ------------------------------------------------------------------------------------- helpers
    def job_of(self, app: Record) -> JobInfo | None:
        return self.gen.job_by_rid(app.get("jobId", ""))

    def stage_pos(self, job: JobInfo, app: Record) -> int:
        index = self.gen.index_of("application_stages", (app.get("stage") or {}).get("id", ""))
        return job.active[0] if index is None else index - job.stage_base

    def children(self, parent_kind: str, parent_rid: str, child_kind: str, field_: str) -> list[str]:
        """Live children of a parent: base ones found arithmetically, later ones by scanning the overlay."""
        index = self.gen.index_of(parent_kind, parent_rid)
        found = {self.gen.remote_id(child_kind, i) for i in _base_children(self.gen, parent_kind, index, child_kind)}
        found |= {rid for rid, p in self.overlay[child_kind].items() if p is not None and p.get(field_) == parent_rid}
        return sorted(rid for rid in found if (rec := self.get(child_kind, rid)) and rec.get(field_) == parent_rid)

    def delete_tree(self, kind: str, rid: str) -> None:
        """Delete a record and what hangs off it (a candidate's applications, an application's interviews...)."""
        if self.get(kind, rid) is None:
            return
        self.delete(kind, rid)
        for child_kind, field_ in CASCADE.get(kind, ()):
            for child in self.children(kind, rid, child_kind, field_):
                self.delete_tree(child_kind, child)


def _serial(kind: str, rid: str) -> int:
    digits = rid[len(PREFIX[kind]) :]
    return int(digits) if digits.isdigit() else 0


def _copy(payload: Record) -> Record:
    out: Record = orjson.loads(orjson.dumps(payload))
    return out


def _base_children(gen: SandboxATS, parent_kind: str, index: int | None, child_kind: str) -> list[int]:
    """Base child indices of a base parent, by inverting the generator's fanouts."""
    if index is None:
        return []
    apps, n_int = gen.n_apps, gen.count("interviews")
    if parent_kind == "interviews":
        return list(SCORECARDS.children(index, n_int)) if child_kind == "scorecards" else []
    if parent_kind == "candidates":
        own = {"applications": gen.candidate_apps(index), "attachments": [index]}.get(child_kind, [])
        mine = gen.candidate_apps(index)
        return own + [i for app in mine for i in _base_children(gen, "applications", app, child_kind)]
    if parent_kind != "applications":
        return []
    interviews = list(INTERVIEWS.children(index, apps))
    return {
        "interviews": interviews, "offers": list(OFFERS.children(index, apps)),
        "notes": list(NOTES.children(index, apps)),
        "attachments": [gen.n_cands + j for j in APP_ATTACHMENTS.children(index, apps)],
        "scorecards": [s for k in interviews for s in SCORECARDS.children(k, n_int)],
    }.get(child_kind, [])  # fmt: skip


def _pending(rec: Record) -> bool:
    return rec.get("state") in PENDING


# ----------------------------------------------------------------------------------------------- actions
def move_stage(w: World) -> bool:
    app = w.pick("applications", _pending)
    job = w.job_of(app) if app else None
    if app is None or job is None:
        return False
    pos = w.stage_pos(job, app)
    choices = [p for p in job.active[:-1] if p != pos]
    forward = [p for p in choices if p > pos]
    target = forward[0] if forward and w.rng.random() < 0.75 else w.rng.choice(choices)
    app["stage"], app["state"] = w.gen.stage_ref(job, target), "active"
    w.update("applications", app)
    return True


def hire(w: World) -> bool:
    app = w.pick("applications", _pending)
    job = w.job_of(app) if app else None
    if app is None or job is None:
        return False
    app.update(stage=w.gen.stage_ref(job, job.active[-1]), state="hired", hiredAt=w.now_ms)
    w.update("applications", app)
    if w.rng.random() < 0.6:
        w.create("offers", w.gen.make_offer(w.rng, w.new_rid("offers"), app["id"], job, "accepted", w.now_ms))
    return True


def reject(w: World) -> bool:
    app = w.pick("applications", _pending)
    if app is None:
        return False
    r = w.rng.randrange(w.gen.n_reasons)
    app["state"] = "rejected"
    app["rejection"] = {"reasonId": w.gen.remote_id("rejection_reasons", r), "reason": REJECTION_REASONS[r][0],
                        "rejectedAt": w.now_ms}  # fmt: skip
    w.update("applications", app)
    return True


def withdraw(w: World) -> bool:
    app = w.pick("applications", _pending)
    if app is None:
        return False
    app.update(state="withdrawn", withdrawal={"reason": w.rng.choice(WITHDRAWAL_REASONS), "withdrawnAt": w.now_ms})
    w.update("applications", app)
    return True


def add_interview(w: World) -> bool:
    app = w.pick("applications", _pending)
    job = w.job_of(app) if app else None
    cand = w.get("candidates", app["candidateId"]) if app else None
    if app is None or job is None or cand is None:
        return False
    start = w.now_ms + w.rng.randint(1, 14) * 86_400_000
    name = (cand.get("firstName") or "", cand.get("lastName") or "")
    rec = w.gen.make_interview(w.rng, w.new_rid("interviews"), app["id"], job, w.stage_pos(job, app), name, start)
    rec["status"] = "scheduled"
    w.create("interviews", rec)
    return True


def add_offer(w: World) -> bool:
    app = w.pick("applications", _pending)
    job = w.job_of(app) if app else None
    if app is None or job is None:
        return False
    status = w.rng.choice(("draft", "approval_pending", "sent"))
    w.create("offers", w.gen.make_offer(w.rng, w.new_rid("offers"), app["id"], job, status, w.now_ms))
    app["stage"] = w.gen.stage_ref(job, job.active[-2])
    w.update("applications", app)
    return True


def change_offer(w: World) -> bool:
    offer = w.pick("offers")
    if offer is None:
        return False
    statuses = ("draft", "approval_pending", "approved", "sent", "accepted", "declined", "rescinded")
    offer["status"] = w.rng.choice([s for s in statuses if s != offer.get("status")])
    w.update("offers", offer)
    return True


def edit_candidate(w: World) -> bool:
    cand = w.pick("candidates")
    if cand is None:
        return False
    for what in w.rng.sample(("name", "title", "company", "phone"), w.rng.randint(1, 2)):
        if what == "name":
            cand["lastName"] = w.rng.choice(LAST_NAMES)
        elif what == "title":
            cand["headline"] = w.rng.choice(DEPARTMENTS[w.rng.randrange(len(DEPARTMENTS))][4])
        elif what == "company":
            cand["currentCompany"] = f"{w.rng.choice(FIRST_NAMES)} & {w.rng.choice(LAST_NAMES)} Ltd"
        else:
            country = (cand.get("address") or {}).get("country") or "US"
            phone = {"number": w.gen.phone(w.rng, country), "kind": "mobile"}
            cand["phones"] = [phone, *(cand.get("phones") or [])[1:]]
    w.update("candidates", cand)
    return True


def edit_job(w: World) -> bool:
    job = w.pick("jobs")
    if job is None:
        return False
    what = w.rng.choice(("name", "description", "status"))
    if what == "name":
        job["title"] = f"{job['title'].split(' (')[0]} ({w.rng.choice(('Remote', 'Hybrid', 'Contract', 'EMEA'))})"
        for posting in job.get("postings") or []:
            posting["title"] = job["title"]
    elif what == "description":
        job["descriptionHtml"] = f"{job.get('descriptionHtml') or ''}<p>Update: we now offer a relocation package.</p>"
    else:
        job["state"] = w.rng.choice([s for s in ("published", "on_hold", "closed", "filled", "archived")
                                     if s != job.get("state")])  # fmt: skip
        job["closedAt"] = None if job["state"] in ("published", "on_hold") else w.now_ms
        live = {"published": "live", "on_hold": "paused"}.get(job["state"], "closed")
        for posting in job.get("postings") or []:
            posting["status"] = live
    w.update("jobs", job)
    return True


def tag_candidate(w: World) -> bool:
    cand = w.pick("candidates")
    if cand is None:
        return False
    tags = list(cand.get("tags") or [])
    unused = [w.gen.remote_id("tags", t) for t in range(w.gen.n_tags) if w.gen.remote_id("tags", t) not in tags]
    if tags and (not unused or w.rng.random() < 0.4):
        tags.remove(w.rng.choice(tags))
    else:
        tags.append(w.rng.choice(unused))
    cand["tags"] = sorted(tags)
    w.update("candidates", cand)
    return True


def add_note(w: World) -> bool:
    cand = w.pick("candidates")
    if cand is None:
        return False
    apps = w.children("candidates", cand["id"], "applications", "candidateId")
    app = w.rng.choice(apps) if apps and w.rng.random() < 0.6 else None
    rid = w.new_rid("notes")
    w.create("notes", w.gen.make_note(w.rng, rid, cand["id"], cand.get("firstName") or "", app, w.now_ms))
    return True


def new_candidate(w: World) -> bool:
    job_rec = w.pick("jobs", lambda j: j.get("state") == "published")
    job = w.gen.job_by_rid(job_rec["id"]) if job_rec else None
    if job is None:
        return False
    name = (w.rng.choice(FIRST_NAMES), w.rng.choice(LAST_NAMES))
    cand = w.gen.make_candidate(w.rng, w.new_rid("candidates"), name, w.now_ms)
    facts = AppFacts(job.index, -1, w.now_ms, "active", job.active[0], None, None, None, w.now_ms)
    app = w.gen.make_application(w.rng, w.new_rid("applications"), cand["id"], facts)
    cv = w.gen.make_attachment(w.rng, w.new_rid("attachments"), cand["id"], name, None, "resume", w.now_ms)
    for kind, rec in (("candidates", cand), ("applications", app), ("attachments", cv)):
        w.create(kind, rec)
    return True


def delete_something(w: World) -> bool:
    kind = w.rng.choices(("candidates", "applications", "interviews", "job_postings", "notes", "attachments"),
                         (2, 2, 2, 1, 1, 1))[0]  # fmt: skip
    if kind == "job_postings":
        job = w.pick("jobs", lambda j: bool(j.get("postings")))
        if job is None:
            return False
        job["postings"].pop(w.rng.randrange(len(job["postings"])))
        w.update("jobs", job)
        return True
    rec = w.pick(kind)
    if rec is None:
        return False
    w.delete_tree(kind, rec["id"])
    return True


ACTIONS: dict[str, tuple[Callable[[World], bool], int]] = {
    "move_stage": (move_stage, 20), "hire": (hire, 5), "reject": (reject, 8), "withdraw": (withdraw, 3),
    "add_interview": (add_interview, 8), "add_offer": (add_offer, 4), "change_offer_status": (change_offer, 5),
    "edit_candidate": (edit_candidate, 8), "edit_job": (edit_job, 4), "tag_candidate": (tag_candidate, 6),
    "add_note": (add_note, 8), "new_candidate": (new_candidate, 10), "delete": (delete_something, 5),
}  # fmt: skip


def simulate(
    engine: Engine,
    integration_id: str,
    seed: int,
    size: str | int,
    steps: int,
    rng_seed: int | None = None,
) -> SimulationReport:
    """Advance the sandbox ATS of ``integration_id`` by ``steps`` random actions (deterministic with ``rng_seed``)."""
    rng = random.Random(rng_seed) if rng_seed is not None else random.Random()
    world = World(engine, integration_id, sandbox(seed, size), rng)
    report = SimulationReport(integration_id, utcnow())
    names, weights = list(ACTIONS), [weight for _, weight in ACTIONS.values()]
    for _ in range(steps):
        for _attempt in range(20):  # an action may not apply (nothing pending left): try another
            name = rng.choices(names, weights)[0]
            world.begin(name)
            if ACTIONS[name][0](world):
                report.actions.append(world.commit())
                break
    return report

"""The sandbox ATS: a seeded, deterministic generator of realistic ATS data in the sandbox vendor's format.

Every base record is a pure function of ``(seed, kind, index)``, so a 200,000-application sandbox is never
materialised and any record can be regenerated on demand. Links between kinds (application -> candidate,
interview -> application, ...) are arithmetic (:class:`Fanout`), so both directions cost O(1) without an
index. The only cached state is the job table (a few hundred jobs at most): pipelines, questions and
application routing depend on it.

Vendor format: camelCase keys, vendor status words (``published``, ``rejected``, ``approval_pending``),
ids like ``cand_12`` and epoch-millisecond timestamps in ``created_at``/``updated_at``. Timestamps are fixed
relative to :data:`EPOCH_MS`, never the wall clock, so generation is reproducible.
"""

from __future__ import annotations

import bisect
import math
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

Record = dict[str, Any]

KINDS: tuple[str, ...] = (
    "users", "roles", "tags", "rejection_reasons", "jobs", "application_stages", "candidates",
    "applications", "interviews", "offers", "notes", "scorecards", "attachments",
)  # fmt: skip
PREFIX: dict[str, str] = {
    "users": "usr_", "roles": "role_", "tags": "tag_", "rejection_reasons": "rr_", "jobs": "job_",
    "application_stages": "stg_", "candidates": "cand_", "applications": "app_", "interviews": "int_",
    "offers": "ofr_", "notes": "note_", "scorecards": "sc_", "attachments": "att_",
}  # fmt: skip
_KIND_NO = {kind: n + 1 for n, kind in enumerate(KINDS)}
_SALT_CORE, _SALT_CAND, _SALT_USER = 101, 102, 103

#: 2025-06-01T00:00:00Z: every base record was created and last updated before this instant.
EPOCH_MS = 1_748_736_000_000
HOUR = 3_600_000
DAY = 24 * HOUR
SPAN = 720 * DAY
BASE_URL = "https://app.sandbox-ats.example"
CAREERS_URL = "https://careers.sandbox-ats.example"
_M64 = (1 << 64) - 1

PRESETS: dict[str, int] = {"tiny": 20, "small": 300, "medium": 10_000, "large": 200_000}
#: (applications, jobs, users, tags, rejection reasons), log-log interpolated between anchors.
_ANCHORS = ((20, 3, 5, 10, 6), (300, 10, 15, 20, 8), (10_000, 60, 80, 40, 10), (200_000, 500, 300, 60, 12))
_CAPS = (100_000, 300, len(TAGS), len(REJECTION_REASONS))


def _mix(a: int, b: int, c: int) -> int:
    """splitmix64-style hash of three ints: cheap per-record seeds and draws without a Random object."""
    x = ((a & _M64) * 0x9E3779B97F4A7C15 + b * 0xC2B2AE3D27D4EB4F + c * 0x165667B19E3779F9) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _unit(h: int) -> float:
    return (h >> 11) / 9007199254740992.0


def scale(applications: int) -> tuple[int, int, int, int]:
    """(jobs, users, tags, rejection reasons) for a sandbox with this many applications."""
    a = max(applications, 1)
    first = _ANCHORS[0]
    if a <= first[0]:
        return max(1, math.ceil(first[1] * a / first[0])), first[2], first[3], first[4]
    pairs = list(zip(_ANCHORS, _ANCHORS[1:], strict=False))
    left, right = next(((lo, hi) for lo, hi in pairs if a <= hi[0]), pairs[-1])
    t = (math.log(a) - math.log(left[0])) / (math.log(right[0]) - math.log(left[0]))
    vals = [round(math.exp(math.log(lo) + t * (math.log(hi) - math.log(lo)))) for lo, hi in zip(left[1:], right[1:])]
    return tuple(min(v, cap) for v, cap in zip(vals, _CAPS, strict=True))  # type: ignore[return-value]


def resolve_size(size: str | int) -> int:
    """Number of applications for a size preset name or an explicit count."""
    if isinstance(size, int):
        return max(0, size)
    if size.isdigit():
        return int(size)
    if size not in PRESETS:
        raise ValueError(f"unknown sandbox size {size!r}: use one of {', '.join(PRESETS)} or a number")
    return PRESETS[size]


def iso_date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class Fanout:
    """Children spread over parents by arithmetic: parents ``p`` with ``p % step == phase`` have children,
    the m-th such parent has ``pattern[m % len(pattern)]`` of them. Both directions are O(1)."""

    step: int
    phase: int
    pattern: tuple[int, ...]

    @property
    def _prefix(self) -> tuple[int, ...]:
        out = [0]
        for n in self.pattern:
            out.append(out[-1] + n)
        return tuple(out)

    def ordinal(self, parent: int, n_parents: int) -> int | None:
        """m for the m-th parent that has children, else None."""
        if parent >= n_parents or parent < self.phase or (parent - self.phase) % self.step:
            return None
        return (parent - self.phase) // self.step

    def count(self, n_parents: int) -> int:
        eligible = 0 if n_parents <= self.phase else (n_parents - self.phase - 1) // self.step + 1
        full, rest = divmod(eligible, len(self.pattern))
        return full * self._prefix[-1] + self._prefix[rest]

    def parent(self, child: int) -> tuple[int, int]:
        """(parent index, position among its siblings)."""
        prefix = self._prefix
        full, r = divmod(child, prefix[-1])
        slot = bisect.bisect_right(prefix, r) - 1
        return (full * len(self.pattern) + slot) * self.step + self.phase, r - prefix[slot]

    def children(self, parent: int, n_parents: int) -> range:
        m = self.ordinal(parent, n_parents)
        if m is None:
            return range(0)
        full, slot = divmod(m, len(self.pattern))
        start = full * self._prefix[-1] + self._prefix[slot]
        return range(start, start + self.pattern[slot])


INTERVIEWS = Fanout(5, 1, (1, 2, 1, 3, 1, 1))  # ~0.3 per application
OFFERS = Fanout(24, 3, (1, 1, 2, 1, 1, 1))  # ~0.05 per application
NOTES = Fanout(5, 2, (1,))  # 0.2 per application
SCORECARDS = Fanout(2, 0, (1,))  # every other interview: ~0.15 per application
APP_ATTACHMENTS = Fanout(8, 5, (1, 1, 2))  # cover letters and other files, ~0.17 per application
#: Offer scenarios, cycled over applications with offers so every status exists in small sandboxes:
#: (application state, final offer status).
OFFER_SCENARIOS = (
    ("hired", "accepted"), ("active", "sent"), ("rejected", "declined"),
    ("active", "approved"), ("active", "approval_pending"), ("rejected", "rescinded"),
)  # fmt: skip


@dataclass(slots=True)
class JobInfo:
    """A job's vendor record plus what other kinds derive from it (pipeline, team, application window)."""

    index: int
    rid: str
    record: Record
    stage_base: int
    stages: list[tuple[str, str, bool]]  # (name, type, active)
    active: list[int]  # positions of active stages; first is "Applied", last two "Offer", "Hired"
    team: list[int]
    interviewers: list[int]
    window: tuple[int, int]
    weight: float


@dataclass(slots=True)
class AppFacts:
    """What children of an application need to know, without building the whole application."""

    job: int
    cand: int
    created: int
    state: str
    stage: int  # position in the job's pipeline
    decided: int | None
    reason: int | None
    scenario: int | None
    updated: int


class SandboxATS:
    """The sandbox vendor's base data set for one (seed, size)."""

    def __init__(self, seed: int, size: str | int = "small") -> None:
        self.seed = int(seed)
        self.size = size
        self.n_apps = resolve_size(size)
        self.n_jobs, self.n_users, self.n_tags, self.n_reasons = scale(self.n_apps)
        self.n_cands = math.ceil(self.n_apps * 0.8)
        self._extra = self.n_apps - self.n_cands
        self._stride = self.n_cands // self._extra if self._extra else 1
        self.company = COMPANIES[self.seed % len(COMPANIES)]
        self.domain = f"{slug(self.company)}.example"
        self._lock = threading.Lock()
        self._job_table: list[JobInfo] | None = None
        self._facts_memo: dict[int, AppFacts] = {}
        self._builders = {
            "users": self._user, "roles": self._role, "tags": self._tag,
            "rejection_reasons": self._reason, "jobs": self._job, "application_stages": self._stage,
            "candidates": self._candidate, "applications": self._application, "interviews": self._interview,
            "offers": self._offer, "notes": self._note, "scorecards": self._scorecard,
            "attachments": self._attachment,
        }  # fmt: skip

    # ------------------------------------------------------------------------------------ public surface
    def count(self, kind: str) -> int:
        a = self.n_apps
        counts = {
            "users": self.n_users, "roles": len(ROLES), "tags": self.n_tags,
            "rejection_reasons": self.n_reasons, "jobs": self.n_jobs, "candidates": self.n_cands,
            "applications": a, "interviews": INTERVIEWS.count(a), "offers": OFFERS.count(a),
            "notes": NOTES.count(a), "scorecards": SCORECARDS.count(INTERVIEWS.count(a)),
            "attachments": self.n_cands + APP_ATTACHMENTS.count(a),
        }  # fmt: skip
        if kind == "application_stages":
            last = self.jobs()[-1]
            return last.stage_base + len(last.stages)
        return counts[kind]

    def remote_id(self, kind: str, index: int) -> str:
        return f"{PREFIX[kind]}{index + 1}"

    def index_of(self, kind: str, remote_id: str) -> int | None:
        """The base index behind a remote id, or None for records the sandbox created later."""
        prefix = PREFIX[kind]
        if not remote_id.startswith(prefix) or not remote_id[len(prefix) :].isdigit():
            return None
        index = int(remote_id[len(prefix) :]) - 1
        return index if 0 <= index < self.count(kind) else None

    def record(self, kind: str, index: int) -> Record:
        """Base record ``index`` of ``kind``: a fresh dict, safe to mutate."""
        if not 0 <= index < self.count(kind):
            raise IndexError(f"{kind} {index} out of range")
        return self._builders[kind](index)

    def records(self, kind: str, start: int = 0, stop: int | None = None) -> Iterator[Record]:
        build = self._builders[kind]
        for index in range(start, min(self.count(kind), stop if stop is not None else 1 << 62)):
            yield build(index)

    def rng(self, kind: str, index: int) -> random.Random:
        return random.Random(_mix(self.seed, _KIND_NO[kind], index))

    def jobs(self) -> list[JobInfo]:
        if self._job_table is None:
            with self._lock:
                if self._job_table is None:
                    table: list[JobInfo] = []
                    for j in range(self.n_jobs):
                        table.append(self._build_job(j, table[-1].stage_base + len(table[-1].stages) if table else 0))
                    self._job_table = table
        return self._job_table

    def candidate_name(self, c: int) -> tuple[str, str]:
        h = _mix(self.seed, _SALT_CAND, c)
        return FIRST_NAMES[h % len(FIRST_NAMES)], LAST_NAMES[(h >> 24) % len(LAST_NAMES)]

    def candidate_apps(self, c: int) -> list[int]:
        """Base applications of base candidate ``c`` (its first, plus possibly one more)."""
        apps = [c]
        off = c - self._stride // 2
        if self._extra and off >= 0 and off % self._stride == 0 and off // self._stride < self._extra:
            apps.append(self.n_cands + off // self._stride)
        return apps

    def facts(self, i: int) -> AppFacts:
        """Memoised application facts (bounded), for children generated near their application."""
        found = self._facts_memo.get(i)
        if found is None:
            if len(self._facts_memo) > 4096:
                self._facts_memo.clear()
            found = self._facts_memo[i] = self._facts(i, self.rng("applications", i))
        return found

    # ------------------------------------------------------------------------------ small fixed kinds
    def _user(self, u: int) -> Record:
        h = _mix(self.seed, _SALT_USER, u)
        first, last = FIRST_NAMES[h % len(FIRST_NAMES)], LAST_NAMES[(h >> 24) % len(LAST_NAMES)]
        rng = self.rng("users", u)
        role = 0 if u == 0 else rng.choices((1, 2, 3, 4), (3, 3, 5, 2))[0]
        status = "active" if u < 3 else rng.choices(("active", "deactivated", "invited"), (90, 7, 3))[0]
        created = EPOCH_MS - SPAN - 60 * DAY + u * DAY // 3
        return {
            "id": self.remote_id("users", u), "firstName": first, "lastName": last,
            "email": f"{slug(first)}.{slug(last)}{u + 1}@{self.domain}", "status": status,
            "accountRoles": [self.role_ref(role)], "created_at": created,
            "updated_at": created + rng.randrange(SPAN),
        }  # fmt: skip

    def role_ref(self, r: int) -> Record:
        name, key, _ = ROLES[r]
        return {"id": self.remote_id("roles", r), "name": name, "key": key}

    def _role(self, r: int) -> Record:
        return {**self.role_ref(r), "level": ROLES[r][2], "created_at": EPOCH_MS - SPAN - 90 * DAY,
                "updated_at": EPOCH_MS - SPAN - 90 * DAY}  # fmt: skip

    def _tag(self, t: int) -> Record:
        name = TAGS[(t + self.seed) % len(TAGS)]
        created = EPOCH_MS - SPAN + t * 7 * DAY
        return {"id": self.remote_id("tags", t), "label": name, "color": COLORS[t % len(COLORS)],
                "created_at": created, "updated_at": created}  # fmt: skip

    def _reason(self, r: int) -> Record:
        name, category = REJECTION_REASONS[r]
        created = EPOCH_MS - SPAN - 30 * DAY
        return {"id": self.remote_id("rejection_reasons", r), "text": name, "category": category,
                "created_at": created, "updated_at": created}  # fmt: skip

    # ---------------------------------------------------------------------------------- jobs, stages
    def _build_job(self, j: int, stage_base: int) -> JobInfo:

        return build_job(self, j, stage_base)

    def _job(self, j: int) -> Record:
        copy: Record = orjson.loads(orjson.dumps(self.jobs()[j].record))
        return copy

    def _stage(self, s: int) -> Record:
        table = self.jobs()
        job = table[bisect.bisect_right([t.stage_base for t in table], s) - 1]
        pos = s - job.stage_base
        name, stype, active = job.stages[pos]
        created = job.record["created_at"]
        return {
            "id": self.remote_id("application_stages", s), "jobId": job.rid, "name": name, "position": pos,
            "type": stype, "archived": not active, "created_at": created,
            "updated_at": created + (0 if active else 30 * DAY),
        }  # fmt: skip

    def stage_ref(self, job: JobInfo, pos: int) -> Record:
        return {"id": self.remote_id("application_stages", job.stage_base + pos), "name": job.stages[pos][0]}

    # ------------------------------------------------------------------------- candidates, applications
    def _app_core(self, i: int) -> tuple[int, int, int]:
        """(job, created, candidate) of application ``i``, from hashes only (cheap, no Random)."""
        table = self.jobs()
        cum, eligible = self._routing()
        h = _mix(self.seed, _SALT_CORE, i)
        pos = bisect.bisect_right(cum, _unit(h) * cum[-1]) if eligible else 0
        pos = min(pos, len(eligible) - 1) if eligible else 0
        job = eligible[pos] if eligible else 0
        start, end = table[job].window
        created = start + int(_unit(_mix(h, 1, 2)) * (end - start))
        if i < self.n_cands:
            return job, created, i
        cand = (i - self.n_cands) * self._stride + self._stride // 2
        first_job, first_created, _ = self._app_core(cand)
        if job == first_job and len(eligible) > 1:
            job = eligible[(pos + 1) % len(eligible)]
        return job, min(max(created, first_created + 3 * DAY), EPOCH_MS - 2 * HOUR), cand

    def _routing(self) -> tuple[list[float], list[int]]:
        memo: tuple[list[float], list[int]] | None = getattr(self, "_routing_memo", None)
        if memo is None:
            cum: list[float] = []
            eligible: list[int] = []
            for job in self.jobs():
                if job.weight > 0:
                    cum.append((cum[-1] if cum else 0.0) + job.weight)
                    eligible.append(job.index)
            memo = (cum, eligible)
            self._routing_memo = memo
        return memo

    def cand_created(self, c: int) -> int:
        first_created = self._app_core(c)[1]
        return first_created - 1 - _mix(self.seed, _SALT_CAND + 7, c) % (72 * HOUR)

    def _candidate(self, c: int) -> Record:

        return build_candidate(self, self.rng("candidates", c), c, self.remote_id("candidates", c),
                               self.candidate_name(c), self.cand_created(c))  # fmt: skip

    def _facts(self, i: int, rng: random.Random) -> AppFacts:
        job_i, created, cand = self._app_core(i)
        job = self.jobs()[job_i]
        active, status = job.active, job.record["state"]
        m = OFFERS.ordinal(i, self.n_apps)
        scenario = None if m is None else (m + self.seed) % len(OFFER_SCENARIOS)
        if scenario is not None:
            state = OFFER_SCENARIOS[scenario][0]
            stage = active[-1] if state == "hired" else active[-2]
        else:
            odds = (4, 30, 6, 60) if status in ("published", "on_hold") else (8, 72, 10, 10)
            state = rng.choices(("hired", "rejected", "withdrawn", "active"), odds)[0]
            if state == "active" and rng.random() < 0.05:
                state = "on_hold"
            pos = min(int(rng.expovariate(0.8)), len(active) - 3)
            if INTERVIEWS.ordinal(i, self.n_apps) is not None:
                pos = max(pos, 1)
            stage = active[-1] if state == "hired" else active[pos]
        reason = None
        if state == "rejected":
            reason = 3 if scenario == 2 else 4 if scenario == 5 else rng.randrange(self.n_reasons)
        decided = None
        if state in ("hired", "rejected", "withdrawn"):
            decided = min(created + rng.randint(2, 60) * DAY + rng.randrange(DAY), EPOCH_MS - HOUR)
        updated = decided if decided is not None else min(created + rng.randrange(20 * DAY), EPOCH_MS - HOUR)
        return AppFacts(job_i, cand, created, state, stage, decided, reason, scenario, max(updated, created))

    def _application(self, i: int) -> Record:

        rng = self.rng("applications", i)
        facts = self._facts(i, rng)
        return build_application(self, rng, self.remote_id("applications", i), facts)

    # ------------------------------------------------------------------------------ application children
    def _interview(self, k: int) -> Record:

        app, pos = INTERVIEWS.parent(k)
        return build_interview(self, self.rng("interviews", k), self.remote_id("interviews", k), app, pos)

    def _offer(self, k: int) -> Record:

        app, pos = OFFERS.parent(k)
        last = pos == len(OFFERS.children(app, self.n_apps)) - 1
        return build_offer(self, self.rng("offers", k), self.remote_id("offers", k), app, pos, last)

    def _note(self, k: int) -> Record:

        app, _ = NOTES.parent(k)
        facts = self.facts(app)
        app_rid = None if k % 4 == 3 else self.remote_id("applications", app)
        return build_note(self, self.rng("notes", k), self.remote_id("notes", k),
                          facts.cand, app_rid, facts.created)  # fmt: skip

    def _scorecard(self, k: int) -> Record:

        interview = self._interview(SCORECARDS.parent(k)[0])
        return build_scorecard(self, self.rng("scorecards", k), self.remote_id("scorecards", k), interview)

    def _attachment(self, k: int) -> Record:

        rng = self.rng("attachments", k)
        rid = self.remote_id("attachments", k)
        if k < self.n_cands:
            return build_attachment(self, rng, rid, k, None, "resume", self.cand_created(k))
        app, pos = APP_ATTACHMENTS.parent(k - self.n_cands)
        facts = self.facts(app)
        category = "cover_letter" if pos == 0 else rng.choice(("portfolio", "other"))
        return build_attachment(self, rng, rid, facts.cand, self.remote_id("applications", app), category,
                                facts.created)  # fmt: skip

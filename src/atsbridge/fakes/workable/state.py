"""The fake Workable account: data and the mutations tests (and the write endpoints) apply.

Shared by the server thread and the test thread: every read and write holds ``lock`` (the engine's). Each mutation of a
candidate moves its ``updated_at`` (comments and ratings too: the assumption the connector documents), so a
delta sync with ``updated_after`` sees it. Timestamps are wall-clock, strictly increasing.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.state import FakeBase
from atsbridge.fakes.workable import generate as g

Raw = dict[str, Any]


#: An error answer in Workable's shape (``{"error": "..."}``), raised by handlers and write rules.
WorkableError = VendorError


@dataclass
class FakeState(FakeBase):
    """The account's records; auth, faults, the request log and the rate limit come from :class:`FakeBase`."""

    token: str = "workable_token"
    members: list[Raw] = field(default_factory=list)
    reasons: list[Raw] = field(default_factory=list)
    account_stages: list[Raw] = field(default_factory=list)
    jobs: dict[str, Raw] = field(default_factory=dict)
    job_stages: dict[str, list[Raw]] = field(default_factory=dict)
    questions: dict[str, list[Raw]] = field(default_factory=dict)
    job_members: dict[str, list[Raw]] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    activities: dict[str, list[Raw]] = field(default_factory=dict)
    events: dict[str, Raw] = field(default_factory=dict)
    offers: dict[str, Raw] = field(default_factory=dict)
    #: candidate id -> resume bytes; comment id -> (file name, bytes) of its attachment
    resumes: dict[str, bytes] = field(default_factory=dict)
    comment_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    #: Webhook subscriptions made through ``POST /subscriptions`` by id (receivers on ``webhooks``).
    subscriptions: dict[str, Raw] = field(default_factory=dict)
    subscription_seq: int = 104_692
    #: ("POST /spi/v3/...", JSON body) of every write received, in order.
    bodies: deque[tuple[str, Raw]] = field(default_factory=lambda: deque(maxlen=2_000))
    ids: g.Ids = field(default_factory=lambda: g.Ids(0))
    _clock: datetime = field(default_factory=lambda: g.BASE)

    def __post_init__(self) -> None:
        FakeBase.__init__(self, HeaderKey(self.token))

    # ------------------------------------------------------------------------------------------ generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, token: str = "workable_token") -> FakeState:
        """An account with about ``records`` candidates over ``records // 10`` jobs (at least 3)."""
        state = cls(token=token, ids=g.Ids(seed))
        ids = state.ids
        state.members = [g.make_member(ids, n) for n in range(6)]
        state.members[-1]["active"] = False
        state.reasons = g.template("disqualification_reasons.json")
        state.account_stages = g.template("stages.json")["stages"]
        for n in range(max(3, records // 10)):
            job = g.make_job(ids, n)
            sc = job["shortcode"]
            state.jobs[sc] = job
            state.job_stages[sc] = g.make_stages(n)
            state.questions[sc] = g.make_questions(ids, n)
            state.job_members[sc] = g.make_job_members(state.members, n)
        jobs = list(state.jobs.values())
        for n in range(records):
            state._populate(n, jobs[n % len(jobs)])
        return state

    def _populate(self, n: int, job: Raw) -> None:
        ids, sc = self.ids, job["shortcode"]
        stages = self.job_stages[sc]
        stage = stages[(n * 3) % len(stages)]
        cand = g.make_candidate(ids, n, job, stage)
        created = g.parse(cand["created_at"])
        if n % 6 == 4 and stage["kind"] not in ("hired",):
            reason = self.reasons[n % len(self.reasons)]
            cand.update(
                disqualified=True,
                disqualification_reason=reason["description"],
                withdrew=reason["candidate_withdrew"],
                disqualified_at=g.iso(created + timedelta(days=9), True),
            )
        cand["answers"] = g.answers_for(self.questions[sc]) if not cand["sourced"] else []
        self.candidates[cand["id"]] = cand
        if cand["resume_metadata"]:
            self.resumes[cand["id"]] = f"%PDF-1.4\n% resume of {cand['name']}\n".encode()
        member = self.members[n % 5]
        rows = [g.activity(ids, "applied" if not cand["sourced"] else "uploaded", created, stages[0], None, None)]
        for k in range(n % 3):
            rows.append(g.activity(ids, "comment", created + timedelta(days=k + 1), None, member, f"Note {k} on {n}."))
        if n % 4 == 1:
            rows.append(g.activity(ids, "rating", created + timedelta(days=5), None, member, "Good", g.thumb(n)))
        self.activities[cand["id"]] = rows
        if n % 2 == 0:
            event = g.make_event(ids, cand, self.members, created + timedelta(days=4), n)
            self.events[event["id"]] = event
        if stage["kind"] in ("offer", "hired"):
            state = "accepted" if stage["kind"] == "hired" else "sent"
            self.offers[cand["id"]] = g.make_offer(cand, created + timedelta(days=20), state)

    # --------------------------------------------------------------------------------------------- reading
    def stage(self, shortcode: str, slug: str) -> Raw:
        for stage in self.job_stages.get(shortcode, []):
            if stage["slug"] == slug:
                return stage
        raise WorkableError(422, f"Unknown stage: {slug}")

    def candidate(self, candidate_id: str) -> Raw:
        found = self.candidates.get(candidate_id)
        if found is None:
            raise WorkableError(404, "Not found")
        return found

    def member(self, member_id: object) -> Raw:
        for member in self.members:
            if member["id"] == member_id and member.get("active", True):
                return member
        raise WorkableError(422, f"Member {member_id!r} not found or inactive")

    def offer(self, candidate_id: str) -> Raw:
        return self.offers.get(candidate_id) or g.no_offer(self.candidate(candidate_id))

    # ------------------------------------------------------------------------------------------ mutations
    def now(self) -> datetime:
        """Wall-clock, strictly increasing by at least a millisecond."""
        self._clock = max(datetime.now(UTC), self._clock + timedelta(milliseconds=1))
        return self._clock

    def touch(self, candidate_id: str) -> Raw:
        cand = self.candidate(candidate_id)
        cand["updated_at"] = g.iso(self.now())
        return cand

    def _log(self, candidate_id: str, action: str, member: Raw | None, body: str | None,
             rating: str | None = None) -> Raw:  # fmt: skip
        row = g.activity(self.ids, action, self.now(), None, member, body, rating)
        self.activities.setdefault(candidate_id, []).append(row)
        return row

    def edit_candidate(self, candidate_id: str, **changes: Any) -> Raw:
        with self.lock:
            cand = self.candidate(candidate_id)
            unknown = set(changes) - set(cand)
            if unknown:
                raise KeyError(f"not candidate fields: {sorted(unknown)}")
            cand.update(copy.deepcopy(changes))
            return self.touch(candidate_id)

    def move(self, candidate_id: str, slug: str, member_id: str | None = None) -> Raw:
        with self.lock:
            cand = self.candidate(candidate_id)
            stage = self.stage(cand["job"]["shortcode"], slug)
            member = self.member(member_id) if member_id else self.members[0]
            cand = self.touch(candidate_id)
            cand.update(stage=stage["name"], stage_kind=stage["kind"])
            if stage["kind"] in ("offer", "hired") and not cand["moved_to_offer_at"]:
                cand["moved_to_offer_at"] = cand["updated_at"]
            if stage["kind"] == "hired":
                cand["hired_at"] = cand["updated_at"]
            self._log(candidate_id, slug, member, None)
            return cand

    def hire(self, candidate_id: str) -> Raw:
        shortcode = self.candidate(candidate_id)["job"]["shortcode"]
        hired = next(s for s in self.job_stages[shortcode] if s["kind"] == "hired")
        return self.move(candidate_id, hired["slug"])

    def disqualify(self, candidate_id: str, reason_id: str | None = None, note: str | None = None,
                   withdrew: bool = False, member_id: str | None = None) -> Raw:  # fmt: skip
        with self.lock:
            if note is not None and len(note) > 256:
                raise WorkableError(422, "disqualify_note is too long (maximum is 256 characters)")
            reason = next((r for r in self.reasons if r["id"] == reason_id), None)
            if reason_id is not None and reason is None:
                raise WorkableError(422, f"Unknown disqualification reason {reason_id}")
            member = self.member(member_id) if member_id else self.members[0]
            cand = self.touch(candidate_id)
            cand.update(disqualified=True, withdrew=withdrew, disqualified_at=g.iso(self.now(), True),
                        disqualification_reason=reason["description"] if reason else None)  # fmt: skip
            self._log(candidate_id, "disqualified", member, note)
            return cand

    def revert(self, candidate_id: str, member_id: str | None = None) -> Raw:
        with self.lock:
            member = self.member(member_id) if member_id else self.members[0]
            cand = self.touch(candidate_id)
            cand.update(disqualified=False, withdrew=False, disqualified_at=None, disqualification_reason=None)
            self._log(candidate_id, "reverted", member, None)
            return cand

    def add_comment(self, candidate_id: str, body: str, member_id: str | None = None,
                    attachment: tuple[str, bytes] | None = None) -> Raw:  # fmt: skip
        with self.lock:
            member = self.member(member_id) if member_id else self.members[0]
            self.touch(candidate_id)
            row = self._log(candidate_id, "comment", member, body)
            if attachment is not None:
                self.comment_files[row["id"]] = attachment
            return row

    def rate(self, candidate_id: str, member_id: str, comment: str | None, score: str) -> Raw:
        with self.lock:
            member = self.member(member_id)
            self.touch(candidate_id)
            return self._log(candidate_id, "rating", member, comment, score)

    def set_tags(self, candidate_id: str, tags: list[str]) -> Raw:
        with self.lock:
            cand = self.touch(candidate_id)
            cand["tags"] = list(dict.fromkeys(tags))
            return cand

    def delete_candidate(self, candidate_id: str) -> None:
        """Gone from every listing at once (Workable keeps no deletion feed)."""
        with self.lock:
            del self.candidates[candidate_id]
            for store in (self.activities, self.offers, self.resumes):
                store.pop(candidate_id, None)
            for eid in [e for e, ev in self.events.items() if ev["candidate"]["id"] == candidate_id]:
                del self.events[eid]

    def edit_job(self, shortcode: str, **changes: Any) -> Raw:
        with self.lock:
            job = self.jobs[shortcode]
            job.update(copy.deepcopy(changes))
            job["updated_at"] = g.iso(self.now())
            return job

    def delete_job(self, shortcode: str) -> None:
        with self.lock:
            del self.jobs[shortcode]

    def add_event(self, candidate_id: str) -> Raw:
        with self.lock:
            cand = self.candidate(candidate_id)
            event = g.make_event(self.ids, cand, self.members, self.now() + timedelta(days=2), len(self.events))
            self.events[event["id"]] = event
            return event

    # ---------------------------------------------------------------------------------- failure injection

"""The fake Ashby organisation: data, the mutations tests (and the write endpoints) apply, and faults.

Shared by the server thread and the test thread: everything holds ``lock``. Every change stamps the record
with a growing sequence number (``_seq``, never rendered): a ``syncToken`` remembers the sequence it was
issued at, so a list called with it returns exactly what changed since. A candidate's ``updatedAt`` moves
on its own edits, tags, files and notes; an application's on stage and source changes.
"""

from __future__ import annotations

import copy
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from atsbridge.fakes.ashby import generate as g
from atsbridge.fakes.kit.auth import Auth, Principal, basic_credentials
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]


class AshbyError(Exception):
    """An answer ``{"success": false, "errors": [code], "errorInfo": {"code", "message"}}``."""

    def __init__(self, code: str, message: str, status: int = 200):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class AnyBasicKey(Auth):
    """Basic with a key as user name: a missing key is refused (401) here, a wrong one by the handler (403
    ``invalid_api_key``, as Ashby answers)."""

    def check(self, request: Request) -> Principal | None:
        found = basic_credentials(request)
        if found is None:
            return None
        return Principal(found[0] if found[1] == "" else "")


@dataclass
class BodyFailure:
    """Ashby's own failure mode, beyond the engine's faults: ``{"success": false}`` with HTTP 200."""

    remaining: int
    code: str
    message: str
    status: int = 200
    path: str | None = None


@dataclass
class FakeState(FakeBase):
    api_key: str = "ashby_key"
    users: dict[str, Raw] = field(default_factory=dict)
    departments: list[Raw] = field(default_factory=list)
    sources: list[Raw] = field(default_factory=list)
    tags: dict[str, Raw] = field(default_factory=dict)
    reasons: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    plans: dict[str, list[Raw]] = field(default_factory=dict)
    postings: dict[str, Raw] = field(default_factory=dict)
    interviews: list[Raw] = field(default_factory=list)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, list[Raw]] = field(default_factory=dict)
    schedules: dict[str, Raw] = field(default_factory=dict)
    offers: dict[str, Raw] = field(default_factory=dict)
    feedback: dict[str, Raw] = field(default_factory=dict)
    #: Webhooks made through ``webhook.create`` by id (their receivers are on ``webhooks``).
    webhook_records: dict[str, Raw] = field(default_factory=dict)
    #: file handle token -> (file name, content type, bytes); pending uploads by handle token
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    uploads: dict[str, Raw] = field(default_factory=dict)
    body_failures: list[BodyFailure] = field(default_factory=list)
    #: syncTokens issued before the current epoch are expired.
    token_epoch: int = 0
    seq: int = 0
    #: (method, JSON body) of every call with a valid key, in order.
    bodies: deque[tuple[str, Raw]] = field(default_factory=lambda: deque(maxlen=20_000))
    ids: g.Ids = field(default_factory=lambda: g.Ids(0))
    _clock: datetime = field(default_factory=lambda: g.BASE)

    def __post_init__(self) -> None:
        # A wrong key passes the engine's check and is refused by the handler: Ashby answers 403 for it
        FakeBase.__init__(self, AnyBasicKey())

    @property
    def requests(self) -> list[str]:
        """``POST /<method> <body>`` of every request (the engine's log), for assertions on what was sent."""
        return [f"{e.method} {e.path} {e.body.decode(errors='replace')[:300]}" for e in self.log.entries()]

    # ------------------------------------------------------------------------------------------ generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, api_key: str = "ashby_key") -> FakeState:
        """An organisation with about ``records`` applications over ``records // 10`` jobs (at least 3)."""
        s = cls(api_key=api_key, ids=g.Ids(seed))
        ids = s.ids
        for n in range(6):
            user = s.stamp(g.make_user(ids, n))
            s.users[user["id"]] = user
        s.departments = [s.stamp({**g.results("departments.json")[0], "id": ids.uuid(), "name": "Engineering"})]
        s.sources = g.results("sources.json")
        for n, title in enumerate(g.TAGS):
            tag = s.stamp({"id": ids.uuid(), "title": title, "isArchived": n == len(g.TAGS) - 1})
            s.tags[tag["id"]] = tag
        for n, (text, kind) in enumerate(g.REASONS):
            reason = {**g.shape("applications.json")["archiveReason"], "id": ids.uuid(), "text": text,
                      "reasonType": kind, "isArchived": n == len(g.REASONS) - 1}  # fmt: skip
            s.reasons[reason["id"]] = s.stamp(reason)
        s.interviews = g.results("interviews.json")[:4]
        users = list(s.users.values())
        for n in range(max(3, records // 10)):
            plan = ids.uuid()
            s.plans[plan] = [g.make_stage(ids, plan, i, t, k) for i, (t, k) in enumerate(g.PLAN)]
            job = g.make_job(ids, n, users, s.departments[0], plan)
            for listed in (True, False)[: 1 + (n == 1)] if job["status"] == "Open" else ():
                posting = g.make_posting(ids, job, listed)
                s.postings[posting["id"]] = posting
            s.jobs[job["id"]] = s.stamp(job)
        s._populate(records)
        return s

    def _populate(self, records: int) -> None:
        ids, jobs, users = self.ids, list(self.jobs.values()), list(self.users.values())
        reasons = [r for r in self.reasons.values() if not r["isArchived"]]
        tags = [t for t in self.tags.values() if not t["isArchived"]]
        apps, n = 0, 0
        while apps < records:
            cand = g.make_candidate(ids, n)
            cand["tags"] = [{"id": t["id"], "title": t["title"]} for t in tags[: n % 3]]
            if n % 4 != 3:
                cand["resumeFileHandle"] = g.file_handle(ids, cand["id"], f"cv_{n}.pdf")
                cand["fileHandles"] = [copy.deepcopy(cand["resumeFileHandle"])]
                self.files[cand["resumeFileHandle"]["handle"]] = (f"cv_{n}.pdf", "application/pdf", b"%PDF-1.4 cv\n")
            for k in range(2 if n % 7 == 3 else 1):
                job = jobs[(n + k) % len(jobs)]
                stage = self.plans[job["defaultInterviewPlanId"]][(n * 3 + k) % len(g.PLAN)]
                app = g.make_application(ids, cand, job, stage, self.sources[n % len(self.sources)])
                if stage["type"] == "Archived":
                    app.update(archiveReason=copy.deepcopy(reasons[n % len(reasons)]), archivedAt=app["updatedAt"])
                self.applications[app["id"]] = self.stamp(app)
                self._children(app, stage, users, n)
                apps += 1
            created = g.parse(cand["createdAt"])
            self.notes[cand["id"]] = [
                self.stamp(g.make_note(ids, users[k % 5], f"Note {k} on {n}", created + timedelta(days=k + 1)))
                for k in range(n % 3)
            ]
            self.candidates[cand["id"]] = self.stamp(cand)
            n += 1

    def _children(self, app: Raw, stage: Raw, users: list[Raw], n: int) -> None:
        ids, when = self.ids, g.parse(app["createdAt"]) + timedelta(days=5)
        if stage["type"] in ("Active", "Offer", "Hired") and n % 2 == 0:
            status = "Complete" if stage["type"] != "Active" else ("Scheduled", "Cancelled")[n % 4 == 0]
            schedule = g.make_schedule(ids, app, self.interviews[n % len(self.interviews)], users, when, status)
            self.schedules[schedule["id"]] = self.stamp(schedule)
            if status == "Complete":
                fb = g.make_feedback(ids, app, users[n % 5], when + timedelta(hours=2), n)
                self.feedback[fb["id"]] = self.stamp(fb)
        if stage["type"] in ("Offer", "Hired"):
            offer = g.make_offer(ids, app, users[0], when + timedelta(days=3), stage["type"] == "Hired")
            self.offers[offer["id"]] = self.stamp(offer)

    # ---------------------------------------------------------------------------------------------- helpers
    def stamp(self, record: Raw) -> Raw:
        """Mark a record changed now (for sync tokens)."""
        self.seq += 1
        record["_seq"] = self.seq
        return record

    def now(self) -> datetime:
        self._clock = max(datetime.now(UTC), self._clock + timedelta(milliseconds=1))
        return self._clock

    def touch(self, record: Raw) -> Raw:
        record["updatedAt"] = g.iso(self.now())
        return self.stamp(record)

    def get(self, table: dict[str, Raw], record_id: object, what: str) -> Raw:
        found = table.get(str(record_id)) if record_id else None
        if found is None:
            raise AshbyError(f"{what}_not_found", f"No {what} with id {record_id!r}")
        return found

    def stage(self, stage_id: object) -> Raw:
        for stages in self.plans.values():
            for stage in stages:
                if stage["id"] == stage_id:
                    return stage
        raise AshbyError("interview_stage_not_found", f"No interview stage with id {stage_id!r}")

    # ------------------------------------------------------------------------------------------- mutations
    def edit_candidate(self, candidate_id: str, **changes: Any) -> Raw:
        with self.lock:
            cand = self.get(self.candidates, candidate_id, "candidate")
            cand.update(copy.deepcopy(changes))
            return self.touch(cand)

    def change_stage(self, application_id: str, stage_id: str, reason_id: str | None = None) -> Raw:
        """``application.changeStage``: an Archived stage needs an archive reason, other stages clear it."""
        with self.lock:
            app = self.get(self.applications, application_id, "application")
            stage = self.stage(stage_id)
            if stage["interviewPlanId"] != app["currentInterviewStage"]["interviewPlanId"]:
                raise AshbyError("invalid_input", "The stage is not in the application's interview plan")
            if stage["type"] == "Archived" and not reason_id:
                raise AshbyError("invalid_input", "An archive reason is required to archive an application")
            reason = self.get(self.reasons, reason_id, "archive_reason") if stage["type"] == "Archived" else None
            app = self.touch(app)
            status = {"Archived": "Archived", "Hired": "Hired", "Lead": "Lead"}.get(stage["type"], "Active")
            app.update(currentInterviewStage=copy.deepcopy(stage), status=status,
                       archiveReason=copy.deepcopy(reason) if reason else None,
                       archivedAt=app["updatedAt"] if reason else None)  # fmt: skip
            return app

    def stage_of_type(self, application_id: str, kind: str) -> Raw:
        plan = self.applications[application_id]["currentInterviewStage"]["interviewPlanId"]
        return next(s for s in self.plans[plan] if s["type"] == kind)

    def hire(self, application_id: str) -> Raw:
        return self.change_stage(application_id, self.stage_of_type(application_id, "Hired")["id"])

    def archive(self, application_id: str, reason_id: str | None = None) -> Raw:
        reason = reason_id or next(r["id"] for r in self.reasons.values() if not r["isArchived"])
        return self.change_stage(application_id, self.stage_of_type(application_id, "Archived")["id"], reason)

    def add_note(self, candidate_id: str, content: str, author_id: str | None = None) -> Raw:
        with self.lock:
            cand = self.get(self.candidates, candidate_id, "candidate")
            author = self.users.get(author_id or "") or next(iter(self.users.values()))
            note = self.stamp(g.make_note(self.ids, author, content, self.now()))
            self.notes.setdefault(candidate_id, []).append(note)
            self.touch(cand)
            return note

    def delete_candidate(self, candidate_id: str) -> None:
        """Gone from every listing (Ashby has no deletion feed; a webhook would tell)."""
        with self.lock:
            cand = self.candidates.pop(candidate_id)
            self.notes.pop(candidate_id, None)
            for app_id in cand["applicationIds"]:
                self.applications.pop(app_id, None)
                for table in (self.schedules, self.offers, self.feedback):
                    for rid in [r for r, rec in table.items() if rec["applicationId"] == app_id]:
                        del table[rid]

    def edit_job(self, job_id: str, **changes: Any) -> Raw:
        with self.lock:
            job = self.get(self.jobs, job_id, "job")
            job.update(copy.deepcopy(changes))
            return self.touch(job)

    def expire_sync_tokens(self) -> None:
        """Every syncToken issued so far is refused from now on."""
        with self.lock:
            self.token_epoch += 1

    # ---------------------------------------------------------------------------------- failure injection
    def fail_body_next(self, n: int, code: str, message: str = "", path: str | None = None,
                       status: int = 200) -> None:  # fmt: skip
        """The next ``n`` matching requests answer ``{"success": false}`` with ``code`` (HTTP ``status``)."""
        with self.lock:
            self.body_failures.append(BodyFailure(n, code, message or code, status, path))

    def take_body_failure(self, path: str) -> BodyFailure | None:
        with self.lock:
            for failure in self.body_failures:
                if failure.remaining > 0 and (failure.path is None or failure.path in path):
                    failure.remaining -= 1
                    return failure
            return None

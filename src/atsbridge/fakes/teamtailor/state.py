"""The fake Teamtailor company: its resources and mutations for tests (each bumps ``updated-at`` as Teamtailor
does, so delta syncs see it). Faults, the request log and the rate-limit window are the engine's
(:class:`~atsbridge.fakes.kit.state.FakeBase`).

Shared by the server thread and the test thread: every read and write holds ``lock``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.state import FakeBase
from atsbridge.fakes.teamtailor import generate as g
from atsbridge.fakes.teamtailor.store import Store

Raw = dict[str, Any]


@dataclass
class FakeState(FakeBase):
    api_key: str = "teamtailor_key"
    store: Store = field(default_factory=Store)
    ids: g.Ids = field(default_factory=lambda: g.Ids(0))
    _clock: datetime = g.BASE

    def __post_init__(self) -> None:
        FakeBase.__init__(self, HeaderKey(self.api_key, prefix="Token token="))

    # ------------------------------------------------------------------------------------- generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, api_key: str = "teamtailor_key") -> FakeState:
        """A company with about ``records`` job applications over ``records // 6`` jobs."""
        state = cls(api_key=api_key, ids=g.Ids(seed))
        s, ids = state.store, state.ids
        users = [s.put(g.make_user(ids, n)) for n in range(6)]
        for res in g.recorded("reject-reasons.json", "reject-reasons"):  # the candidate-side reasons
            s.put(res)
        company = g.recorded("reject-reasons.docs.json", "reject-reasons")[0]  # "Not a fit", by the company
        s.put({**company, "id": "11"})
        departments = [s.put(d) for d in g.recorded("departments.json", "departments")]
        locations = [
            s.put(g.make_location(ids, "Stockholm", "Sweden")),
            s.put(g.make_location(ids, "Berlin", "Germany")),
        ]
        fields = [s.put(f) for f in g.recorded("custom-fields.json", "custom-fields")[:2]]
        questions = [s.put(g.make_question(ids, n)) for n in range(len(g.QUESTIONS))]
        for n in range(max(3, records // 6)):
            state._populate_job(n, departments, locations, users, questions)
        apps, n = 0, 0
        while apps < records:
            apps += state._populate_candidate(n, users, fields)
            n += 1
        return state

    def _populate_job(self, n: int, deps: list[Raw], locs: list[Raw], users: list[Raw], qs: list[Raw]) -> None:
        s, ids = self.store, self.ids
        job = s.put(g.make_job(ids, n, deps[n % len(deps)], locs[n % len(locs)], users[n % len(users)]))
        for i in range(len(g.STAGES)):
            s.put(g.make_stage(ids, job, i))
        for q in ids.rng.sample(qs, n % 4):
            s.put(g.make_picked(ids, job, q, ids.chance(0.5)))

    def _open_jobs(self) -> list[Raw]:
        return [j for j in self.store.all("jobs") if j["attributes"]["status"] != "draft"]

    def _populate_candidate(self, n: int, users: list[Raw], fields: list[Raw]) -> int:
        s, ids = self.store, self.ids
        created = g.BASE + timedelta(days=30 + n % 200, minutes=n)
        cand = s.put(g.make_candidate(ids, n, created))
        count = 0 if n % 13 == 5 else 2 if n % 11 == 3 else 1
        reasons = s.all("reject-reasons")
        for job in ids.rng.sample(self._open_jobs(), count):
            stages = self.stages_of(job["id"])
            stage = ids.rng.choice(stages)
            hired = stage["attributes"]["stage-type"] == "Hired"
            reason = ids.rng.choice(reasons) if not hired and ids.chance(0.25) else None
            s.put(g.make_application(ids, cand, job, stage, reason, created))
            self._answer(cand, job, g.stamp(created))
        if ids.chance(0.3):
            s.put(g.make_custom_value(ids, cand, fields[1], f"https://github.com/user{cand['id']}"))
        if ids.chance(0.3):
            s.put(g.make_custom_value(ids, cand, fields[0], ids.chance(0.5)))
        for _ in range(ids.rng.choice((0, 1, 1, 2))):
            author = ids.rng.choice(users)["id"]
            s.put(g.make_note(ids, cand["id"], author, "Spoke on the phone.", g.stamp(created + timedelta(days=2))))
        if ids.chance(0.25):
            s.put(g.make_upload(ids, cand, ids.rng.choice(["portfolio.pdf", "cover_letter.pdf", "references.docx"])))
        return count

    def _answer(self, cand: Raw, job: Raw, at: str) -> None:
        answered = {a["rel"]["question"][1] for a in self.store.related(cand, "answers")}
        for picked in self.store.related(job, "picked-questions"):
            question = self.store.get("questions", picked["rel"]["question"][1])
            if question is not None and question["id"] not in answered:
                values = g.answer_attributes(question, self.ids.rng)
                self.store.put(g.make_answer(self.ids, cand, question, values, at))

    # ---------------------------------------------------------------------------------------- reading
    def of(self, type_: str) -> list[Raw]:
        with self.lock:
            return self.store.all(type_)

    def get(self, type_: str, id_: object) -> Raw:
        found = self.store.get(type_, id_)
        if found is None:
            raise KeyError(f"{type_} {id_}")
        return found

    def stages_of(self, job_id: str) -> list[Raw]:
        job = self.get("jobs", job_id)
        return sorted(self.store.related(job, "stages"), key=lambda st: st["attributes"]["row-order"])

    def applications_of(self, candidate_id: str) -> list[Raw]:
        return self.store.related(self.get("candidates", candidate_id), "job-applications")

    # -------------------------------------------------------------------------------------- mutations
    def now(self) -> str:
        """Wall-clock time, strictly increasing (two mutations never share an ``updated-at``)."""
        self._clock = max(datetime.now(g.TZ), self._clock + timedelta(milliseconds=1))
        return g.stamp(self._clock)

    def touch(self, res: Raw) -> Raw:
        res["attributes"]["updated-at"] = self.now()
        return res

    def edit_candidate(self, candidate_id: str, **attributes: Any) -> Raw:
        """Change attributes by their Teamtailor names (``**{"first-name": "Ada"}``)."""
        with self.lock:
            cand = self.get("candidates", candidate_id)
            unknown = set(attributes) - set(cand["attributes"])
            if unknown:
                raise KeyError(f"not candidate attributes: {sorted(unknown)}")
            cand["attributes"].update(attributes)
            return self.touch(cand)

    def move_stage(self, application_id: str, stage_id: str) -> Raw:
        with self.lock:
            app = self.get("job-applications", application_id)
            stage = self.get("stages", stage_id)
            if stage["rel"]["job"] != app["rel"]["job"]:
                raise ValueError(f"stage {stage_id} is not a stage of the application's job")
            app["rel"]["stage"] = ("stages", stage_id)
            self.touch(app)
            app["attributes"]["changed-stage-at"] = app["attributes"]["updated-at"]
            return app

    def hire(self, application_id: str) -> Raw:
        """Move to the job's ``Hired`` stage: Teamtailor's way of recording a hire."""
        with self.lock:
            job_id = self.get("job-applications", application_id)["rel"]["job"][1]
            hired = next(st for st in self.stages_of(job_id) if st["attributes"]["stage-type"] == "Hired")
            return self.move_stage(application_id, hired["id"])

    def reject(self, application_id: str, reason_id: str | None = None) -> Raw:
        with self.lock:
            app = self.get("job-applications", application_id)
            reason = self.get("reject-reasons", reason_id or self.of("reject-reasons")[0]["id"])
            app["rel"]["reject-reason"] = ("reject-reasons", reason["id"])
            app["attributes"]["rejected-at"] = self.now()
            return self.touch(app)

    def delete_candidate(self, candidate_id: str) -> None:
        """Remove it with its applications, answers, files, notes and custom field values (no tombstone)."""
        with self.lock:
            cand = self.get("candidates", candidate_id)
            for name in ("job-applications", "answers", "uploads", "custom-field-values"):
                for child in self.store.related(cand, name):
                    self.store.remove(child["type"], child["id"])
            for note in [n for n in self.of("notes") if str(n["attributes"]["candidate-id"]) == candidate_id]:
                self.store.remove("notes", note["id"])
            self.store.remove("candidates", candidate_id)

    def add_note(self, candidate_id: str, text: str, user_id: str | None = None) -> Raw:
        with self.lock:
            self.get("candidates", candidate_id)
            author = user_id or self.of("users")[0]["id"]
            return self.store.put(g.make_note(self.ids, candidate_id, author, text, self.now()))

    def edit_job(self, job_id: str, **attributes: Any) -> Raw:
        """Jobs have no ``updated-at`` in this API version: the change shows on the next full listing."""
        with self.lock:
            job = self.get("jobs", job_id)
            job["attributes"].update(attributes)
            return job

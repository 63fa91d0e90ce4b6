"""The fake Welcome to the Jungle tenant: one organization's jobs (each with its own stages), candidates (one
per person and job), comments, and the mutations tests, ``simulate`` and the write handlers make. Records are
deep copies of the documentation examples in ``payloads/`` with varied values."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 4, 1, tzinfo=UTC)
ORG = "Pg4eV6k"
#: A job's pipeline: (name, reference). WTTJ names the special stages by ``reference`` [doc: initial, refused,
#: to_meet, interviewed, and a hidden archived stage; "hired" is the fake's guess].
PIPELINE = (("Nouveau", "initial"), ("À rencontrer", "to_meet"), ("Entretien", "interviewed"), ("Offre", None),
            ("Embauché", "hired"), ("Refusé", "refused"), ("Archived", "archived"))  # fmt: skip
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton")
TAGS = ("ruby", "react", "go", "elixir", "senior", "remote")
STATUSES = ("published", "published", "published", "draft", "archived")


def template(name: str) -> Raw:
    body = json.loads((PAYLOADS / name).read_text())
    return dict(body[0] if isinstance(body, list) else body)


def stamp(ts: datetime) -> str:
    """``2016-08-23T12:55:27.206+02:00``: WTTJ's local-offset timestamps (the fake answers in UTC)."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}+00:00"


@dataclass
class FakeState(Seeded):
    token: str = "wttj_token"
    organization: str = ORG
    jobs: dict[str, Raw] = field(default_factory=dict)
    stages: dict[str, list[Raw]] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    comments: dict[str, Raw] = field(default_factory=dict)
    offices: dict[int, Raw] = field(default_factory=dict)
    departments: dict[int, Raw] = field(default_factory=dict)
    seq: int = 14600

    def __post_init__(self) -> None:
        self.serve(HeaderKey(self.token))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n, (city, zip_code, country) in enumerate((("Paris", "75002", "FR"), ("Lyon", "69002", "FR"))):
            state.offices[42 + n] = {**template("offices_list.json"), "id": 42 + n, "name": city, "city": city,
                                     "zip_code": zip_code, "country_code": country, "is_headquarter": n == 0}
        for n, name in enumerate(("Tech", "Sales")):
            state.departments[42 + n] = {**template("departments_list.json"), "id": 42 + n, "name": name,
                                         "slug": name.lower()}
        for n in range(max(3, records // 6)):
            state.add_job(n)
        open_jobs = [j for j in state.jobs.values() if j["status"] != "archived"]
        for n in range(records):
            when = BASE + timedelta(days=state.rng.randint(0, 300), minutes=n)
            state.add_candidate(state.rng.choice(open_jobs)["reference"], when=when, n=n)
        return state

    # ------------------------------------------------------------------------------------------- records
    def next_id(self) -> int:
        return self.serial()

    def now(self) -> str:
        """Real time, strictly increasing: WTTJ filters ``updated_after`` by date, so changes must be today."""
        return stamp(self.tick())

    def ref(self, prefix: str, length: int) -> str:
        return prefix + "".join(self.rng.choice("0123456789abcdef") for _ in range(length))

    def add_job(self, n: int) -> Raw:
        job = template("jobs_list.json")
        created = stamp(BASE + timedelta(days=n))
        ref = self.ref("WTTJ_", 7)
        status = STATUSES[n % len(STATUSES)]
        job.update(reference=ref, name=f"Fake Job {n}", external_reference=f"PROVIDER_REFERENCE{n}",
                   organization_reference=self.organization, status=status, office_id=42 + n % 2,
                   department_id=None if n % 3 == 2 else 42 + n % 2, created_at=created, updated_at=created,
                   published_at=created if status != "draft" else None,
                   archived_at=created if status == "archived" else None)  # fmt: skip
        self.jobs[ref] = job
        self.stages[ref] = [{"id": self.next_id(), "name": name, "reference": reference,
                             "visible": reference != "archived"}
                            for name, reference in PIPELINE]  # fmt: skip
        return job

    def stage(self, job_ref: str, *, stage_id: object = None, reference: str | None = None) -> Raw:
        for stage in self.stages[job_ref]:
            if (stage_id is not None and str(stage["id"]) == str(stage_id)) or (
                reference is not None and stage["reference"] == reference
            ):
                return stage
        raise VendorError(422, f"job_stage_id {stage_id} is not a stage of job {job_ref}", code="validation_failed")

    def add_candidate(self, job_ref: str, *, when: datetime | None = None, n: int = 0, body: Raw | None = None) -> Raw:
        body = body or {}
        cand = template("candidate_single.json")
        ref = self.ref("wttj-", 24)
        stamped = stamp(when) if when else self.now()
        stage = self.stage(job_ref, stage_id=body["job_stage_id"]) if body.get("job_stage_id") else (
            self.rng.choice(self.stages[job_ref]) if when else self.stage(job_ref, reference="initial"))  # fmt: skip
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        profile = cand["profile"]
        profile.update(firstname=body.get("firstname", first), lastname=body.get("lastname", last),
                       email=body.get("email", f"{first}.{last}.{n}@mail.example".lower()),
                       phone=body.get("phone", f"+33 6 00 00 {n:04d}" if n % 2 else None),
                       subtitle=body.get("subtitle"), city="Paris" if n % 3 else None)  # fmt: skip
        tags = body["tag_list"].split(",") if body.get("tag_list") else self.rng.sample(TAGS, self.rng.randint(0, 2))
        cand.update(reference=ref, job_reference=job_ref, created_at=stamped, updated_at=stamped,
                    modal_path=f"/dashboard/o/{self.organization}/jobs/{job_ref}/card/{ref}",
                    stage_id=stage["id"], stage=copy.deepcopy(stage), tags=[t.strip() for t in tags if t.strip()],
                    origin=body.get("origin", "external"), archived=bool(body.get("archived", False)),
                    resume_url=body.get("remote_resume_url") or (f"/files/{ref}/resume" if n % 2 else None),
                    portfolio_url=f"/files/{ref}/portfolio" if when and n % 5 == 0 else None)  # fmt: skip
        cand.update(resume_size=4242 if cand["resume_url"] else None, portfolio_size=4242 if cand["portfolio_url"]
                    else None, resume_content_type="application/pdf" if cand["resume_url"] else None)  # fmt: skip
        self.candidates[ref] = cand
        return cand

    # ----------------------------------------------------------------------------------------- mutations
    def update(self, ref: str, changes: Raw) -> Raw:
        """``PUT /candidates/:reference``: ``job_stage_id`` moves, ``tag_list`` replaces, ``archived``."""
        cand = self.candidates.get(ref)
        if cand is None:
            raise VendorError(404, "Candidate not found", code="not_found")
        if "job_stage_id" in changes:
            stage = self.stage(cand["job_reference"], stage_id=changes["job_stage_id"])
            cand.update(stage_id=stage["id"], stage=copy.deepcopy(stage))
        if "tag_list" in changes:
            cand["tags"] = [t.strip() for t in str(changes["tag_list"] or "").split(",") if t.strip()]
        if "archived" in changes:
            cand["archived"] = changes["archived"] in (True, "true")
        for key in ("firstname", "lastname", "phone", "subtitle"):
            if key in changes:
                cand["profile"][key] = changes[key]
        cand["updated_at"] = self.now()
        return cand

    def create(self, body: Raw) -> Raw:
        """``POST /candidates``, validated like WTTJ (required fields, a known job and stage)."""
        missing = [k for k in ("organization_reference", "job_reference", "email", "firstname", "lastname")
                   if not body.get(k)]  # fmt: skip
        if missing:
            raise VendorError(422, f"{missing[0]} can't be blank", code="validation_failed")
        if body["organization_reference"] != self.organization:
            raise VendorError(401, "You are not member of this organization", code="unauthorized")
        job = self.jobs.get(str(body["job_reference"]))
        if job is None:
            raise VendorError(404, "Job not found", code="not_found")
        email = str(body["email"]).lower()
        if any(c["job_reference"] == job["reference"] and c["profile"]["email"] == email
               for c in self.candidates.values()):  # fmt: skip
            raise VendorError(422, "Email has already been taken for this job", code="validation_failed")
        return self.add_candidate(job["reference"], n=len(self.candidates), body={**body, "email": email})

    def comment(self, body: Raw) -> Raw:
        ref, content = body.get("candidate_reference"), body.get("content")
        if not isinstance(content, str) or not content.strip():
            raise VendorError(422, "content can't be blank", code="validation_failed")
        if ref not in self.candidates:
            raise VendorError(404, "Candidate not found", code="not_found")
        made = {"id": self.next_id(), "content": f"<p>{content}</p>\n", "raw_content": content}
        self.comments[str(made["id"])] = {**made, "candidate_reference": ref}
        return made

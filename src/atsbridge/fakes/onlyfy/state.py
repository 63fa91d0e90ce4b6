"""The fake Onlyfy tenant: users, candidate tags, status sets (the pipelines), jobs, candidates and their
applications, and the mutations tests, ``simulate`` and the write handlers make. Shapes: see the package docstring
(what the known clients read and send [conn], the rest a named guess [gap])."""

from __future__ import annotations

import base64
import binascii
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
API_KEY = "onlyfy_key"
BASE = datetime(2024, 3, 1, tzinfo=UTC)
FIRST = ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Sophie")
LAST = ("Müller", "Schmidt", "Huber", "Wagner", "Gruber", "Bauer", "Steiner")
#: Two tenant pipelines, as customers name them (the last status of each is the rejection).
STATUS_SETS = (
    ("Standard", ("New", "Screening", "Interview", "Offer", "Hired", "Rejected")),
    ("Technik (DE)", ("Neu", "Telefoninterview", "Vorstellungsgespräch", "Eingestellt", "Abgesagt")),
)
FINAL = {"Hired", "Rejected", "Eingestellt", "Abgesagt"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@dataclass
class FakeState(Seeded):
    users: dict[int, Raw] = field(default_factory=dict)
    tags: dict[int, Raw] = field(default_factory=dict)
    status_sets: dict[int, Raw] = field(default_factory=dict)
    jobs: dict[int, Raw] = field(default_factory=dict)
    candidates: dict[int, Raw] = field(default_factory=dict)
    applications: dict[int, Raw] = field(default_factory=dict)
    seq: int = 1000
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(HeaderKey(API_KEY, "apikey", ""))

    def next_id(self) -> int:
        return self.serial()

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i, (name, role) in enumerate((("Admin", "Administrator"), ("Recruiter", "Recruiter"),
                                          ("Hiring", "Hiring Manager"))):  # fmt: skip
            uid = s.next_id()
            s.users[uid] = {"id": uid, "email": f"{name.lower()}@acme.example", "firstname": name, "lastname": LAST[i],
                            "is_active": i != 2 or seed % 2 == 0, "access_group": {"id": 10 + i, "name": role},
                            "created_at": iso(BASE)}  # fmt: skip
        for name in ("Talent Pool", "Senior", "Relocation", "Referral"):
            tid = s.next_id()
            s.tags[tid] = {"id": tid, "name": name}
        for name, statuses in STATUS_SETS:
            sid = s.next_id()
            rows = [{"id": s.next_id(), "name": n, "position": p} for p, n in enumerate(statuses)]
            s.status_sets[sid] = {"id": sid, "name": name, "statuses": rows}
        for n in range(max(3, records // 8)):
            s._job(n)
        open_jobs = [j for j, job in s.jobs.items() if job["status"] == "active"]
        people = max(1, records * 3 // 4)
        for n in range(people):
            s._candidate(n, BASE + timedelta(days=s.rng.randint(0, 200), minutes=n))
        cands = list(s.candidates)
        for n in range(records):
            cid = cands[n] if n < len(cands) else s.rng.choice(cands)
            taken = {a["job_id"] for a in s.applications.values() if a["candidate_id"] == cid}
            free = [j for j in open_jobs if j not in taken]
            if free:
                s._application(cid, s.rng.choice(free), n)
        return s

    def _job(self, n: int) -> Raw:
        jid = self.next_id()
        when = BASE - timedelta(days=30 - n)
        sets = list(self.status_sets)
        self.jobs[jid] = {
            "id": jid, "title": f"Job {n}", "handle": f"job-{n}", "short_handle": f"J{n:04d}",
            "description": f"<p>We are hiring for job {n}.</p>",
            "job_contents": [{"title": "Your tasks", "content": f"<ul><li>Task {n}</li></ul>"}],
            "main_contact": {"id": next(iter(self.users)), "email": "admin@acme.example"},
            "custom_fields": [], "status": ("active", "active", "active", "inactive", "archived")[n % 5],
            "is_published_on_widget": n % 5 < 2, "department": {"id": 50 + n % 3,
                                                                "title": ("IT", "Sales", "HR")[n % 3]},
            "city": {"id": 70, "title": "Wien", "country": "Austria", "country_code": "AT"},
            "position_type": {"id": 80, "title": "Full-time"}, "seniority": {"id": 90, "title": "Professional"},
            "status_set": {"id": sets[n % len(sets)]}, "created_at": iso(when), "updated_at": iso(when),
        }  # fmt: skip
        return self.jobs[jid]

    def _candidate(self, n: int, when: datetime, body: Raw | None = None) -> Raw:
        cid = self.next_id()
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        profile = {"firstname": first, "lastname": last, "phone": f"+43 660 {n:06d}" if n % 3 else None,
                   "gender": "f" if n % 2 else "m", "birthday": None, "street": None, "zip_code": "1010",
                   "city_name": "Wien" if n % 2 else None, "country_of_residence": "AT",
                   "nationality": "AT"}  # fmt: skip
        tags = [t for i, t in enumerate(self.tags.values()) if (n + i) % 5 == 0]
        self.candidates[cid] = {
            "id": cid, "email": f"{first}.{n}@mail.example".lower(), "profile": profile,
            "candidate_tags": [{"id": t["id"], "name": t["name"]} for t in tags],
            "source": {"id": 60, "title": "Karriereseite" if n % 2 else "LinkedIn"}, "custom_fields": [],
            "cv_file": None, "created_at": iso(when), "updated_at": iso(when),
        }  # fmt: skip
        return self.candidates[cid]

    def statuses(self, job_id: int) -> list[Raw]:
        set_id = self.jobs[job_id]["status_set"]["id"]
        return list(self.status_sets[set_id]["statuses"])

    def _application(self, cid: int, jid: int, n: int, stamp: str | None = None) -> Raw:
        aid = self.next_id()
        when = stamp or self.candidates[cid]["created_at"]
        statuses = self.statuses(jid)
        status = statuses[0] if stamp else statuses[self.rng.randrange(len(statuses))]
        self.applications[aid] = {
            "id": aid, "candidate_id": cid, "job_id": jid, "is_finished": True,
            "motivational_letter": None if n % 3 else "I would love to join.",
            "current_job_application_status": self._status(status, jid),
            "status_logs": [{"status_id": status["id"], "created_at": when}],
            "ratings": [], "recruiter_files": [], "created_at": when, "updated_at": when,
        }  # fmt: skip
        return self.applications[aid]

    def _status(self, status: Raw, jid: int) -> Raw:
        return {"id": status["id"], "name": status["name"], "status_set_id": self.jobs[jid]["status_set"]["id"]}

    # ------------------------------------------------------------------------------------------ mutations
    def now(self) -> str:
        return iso(self.tick())

    def candidate(self, cid: object) -> Raw:
        found = self.candidates.get(int(str(cid))) if str(cid).isdigit() else None
        if found is None:
            raise VendorError(404, "Candidate not found")
        return found

    def application(self, aid: object) -> Raw:
        found = self.applications.get(int(str(aid))) if str(aid).isdigit() else None
        if found is None:
            raise VendorError(404, "Application not found")
        return found

    def job(self, jid: object) -> Raw:
        found = self.jobs.get(int(str(jid))) if str(jid).isdigit() else None
        if found is None:
            raise VendorError(404, "Job not found")
        return found

    def set_status(self, aid: int, name: str) -> Raw:
        with self.lock:
            app = self.application(aid)
            status = next(s for s in self.statuses(app["job_id"]) if s["name"] == name)
            stamp = self.now()
            app["current_job_application_status"] = self._status(status, app["job_id"])
            app["status_logs"].append({"status_id": status["id"], "created_at": stamp})
            app["updated_at"] = stamp
            return app

    def edit_candidate(self, cid: object, body: Raw) -> Raw:
        """``PATCH /candidate/{id}``: ``profile`` keys merge; ``candidate_tag_ids`` replaces the tags (unknown
        ids refused)."""
        with self.lock:
            cand = self.candidate(cid)
            profile = body.get("profile")
            if profile is not None and not isinstance(profile, dict):
                raise VendorError(400, "profile: This value should be of type object.", field="profile")
            ids = body.get("candidate_tag_ids")
            if ids is not None:
                if not isinstance(ids, list) or any(not isinstance(i, int) or i not in self.tags for i in ids):
                    raise VendorError(400, "candidate_tag_ids: unknown candidate tag", field="candidate_tag_ids")
                cand["candidate_tags"] = [{"id": i, "name": self.tags[i]["name"]} for i in dict.fromkeys(ids)]
            cand["profile"].update({k: v for k, v in (profile or {}).items() if k in cand["profile"]})
            cand["updated_at"] = self.now()
            return cand

    def create_candidate(self, body: Raw) -> Raw:
        """``POST /candidate``: ``email`` and ``profile.firstname``/``lastname`` required, one candidate per e-mail;
        ``job_id`` also applies it (to an active job), ``cv_file`` must be base64."""
        with self.lock:
            email = body.get("email")
            if not isinstance(email, str) or not EMAIL.match(email.strip()):
                raise VendorError(400, "email: This value is not a valid email address.", field="email")
            if any(c["email"].lower() == email.strip().lower() for c in self.candidates.values()):
                raise VendorError(400, "email: A candidate with this email address already exists.", field="email")
            given = body.get("profile")
            profile: Raw = given if isinstance(given, dict) else {}
            for key in ("firstname", "lastname"):
                if not isinstance(profile.get(key), str) or not profile[key].strip():
                    raise VendorError(400, f"profile.{key}: This value should not be blank.", field=f"profile.{key}")
            job = self._open_job(body.get("job_id")) if body.get("job_id") is not None else None
            cv = self._decoded(body.get("cv_file"), "cv_file") if body.get("cv_file") is not None else None
            stamp = self.now()
            cand = self._candidate(len(self.candidates), datetime.fromisoformat(stamp))
            cand.update(email=email.strip(), candidate_tags=[], source=None, created_at=stamp, updated_at=stamp)
            cand["profile"] = {k: profile.get(k) for k in cand["profile"]}
            if cv is not None:
                cand["cv_file"] = {"filename": cv["filename"], "file_type": cv["file_type"]}
            if job is not None:
                self._application(cand["id"], job["id"], 0, stamp)
            return cand

    def create_application(self, body: Raw) -> Raw:
        with self.lock:
            cand = self.candidate(body.get("candidate_id"))
            job = self._open_job(body.get("job_id"))
            if any(a["candidate_id"] == cand["id"] and a["job_id"] == job["id"] for a in self.applications.values()):
                raise VendorError(400, "The candidate already applied for this job.", field="job_id")
            app = self._application(cand["id"], job["id"], 0, self.now())
            app["is_finished"] = body.get("is_finished") is not False
            return app

    def edit_application(self, aid: object, body: Raw) -> Raw:
        """``PATCH /application/{id}``: ``recruiter_files`` are added (base64 decoded), ``is_finished`` set."""
        with self.lock:
            app = self.application(aid)
            files = body.get("recruiter_files")
            if files is not None:
                if not isinstance(files, list):
                    raise VendorError(400, "recruiter_files: This value should be of type array.")
                decoded = [self._decoded(f, "recruiter_files") for f in files]
                for f in decoded:
                    app["recruiter_files"].append({
                        "id": self.next_id(), "filename": f["filename"], "file_type": f["file_type"],
                        "source": f.get("source") or "recruiter", "upload_context": f.get("upload_context"),
                        "is_visible_for_candidate": bool(f.get("is_visible_for_candidate")),
                        "size": len(f["_content"]), "created_at": self.now(),
                    })  # fmt: skip
            if isinstance(body.get("is_finished"), bool):
                app["is_finished"] = body["is_finished"]
            app["updated_at"] = self.now()
            return app

    def delete_candidate(self, cid: int) -> None:
        """A candidate deleted (or anonymised after the retention period) takes its applications with it."""
        with self.lock:
            self.candidate(cid)
            del self.candidates[cid]
            for aid in [a for a, app in self.applications.items() if app["candidate_id"] == cid]:
                del self.applications[aid]

    def _open_job(self, jid: object) -> Raw:
        job = self.job(jid) if jid is not None else None
        if job is None or job["status"] != "active":
            raise VendorError(400, "job_id: The job is not active.", field="job_id")
        return job

    @staticmethod
    def _decoded(value: Any, name: str) -> Raw:
        if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) and value[k] for k in ("filename", "file_type", "base64_content")
        ):
            raise VendorError(400, f"{name}: filename, file_type and base64_content are required.", field=name)
        try:
            content = base64.b64decode(value["base64_content"], validate=True)
        except (binascii.Error, ValueError):
            raise VendorError(400, f"{name}: base64_content is not valid base64.", field=name) from None
        return {**value, "_content": content}

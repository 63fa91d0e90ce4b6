"""The fake Homerun tenant: vacancies (with their named stages) and job applications (the person inside, notes,
files), and the mutations tests, ``simulate`` and the write handlers make. Shapes: the documented samples in
``payloads/`` (see the package docstring)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 2, 1, tzinfo=UTC)
STAGES = ("New", "Phone screen", "Interview", "Offer", "Hired")
TYPES = ("Full-time", "Part-time", "Internship", "Contracted")
FIRST = ("Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Finn")
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer")
#: Only on ``GET /job-applications/{id}`` [doc].
DETAIL = ("education", "experience", "pronouns", "skype", "facebook", "twitter", "linkedin", "github", "website",
          "assignment", "files", "custom_data")  # fmt: skip
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeState(Seeded):
    api_key: str = "homerun_key"
    vacancies: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (60, 60.0)
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(HeaderKey(self.api_key))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (60, 60.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 8)):
            status = ("public", "public", "private", "closed", "draft")[n % 5]
            state._vacancy(n, status, BASE + timedelta(days=n))
        open_ids = [v for v, vac in state.vacancies.items() if vac["status"] in ("public", "private")]
        for n in range(records):
            vacancy = None if n % 17 == 16 else state.rng.choice(open_ids)  # some talent-pool applications
            state._application(n, vacancy, BASE + timedelta(days=state.rng.randint(0, 300), minutes=n))
        return state

    def uid(self, prefix: str) -> str:
        return prefix + "".join(self.rng.choice(ALPHABET) for _ in range(20))

    def _vacancy(self, n: int, status: str, when: datetime) -> Raw:
        vid = self.uid("job_")
        stages = list(STAGES[:3]) + (["Assessment"] if n % 2 else []) + list(STAGES[3:])
        self.vacancies[vid] = {
            "id": vid, "application_form_url": f"https://acme.homerun.co/{vid}/apply",
            "job_url": f"https://acme.homerun.co/{vid}", "share_image_url": f"https://cdn.homerun.co/{vid}.png",
            "status": status, "title": f"Vacancy {n}", "description": f"<p>Join us as vacancy {n}.</p>",
            "page_content": f"<h2>Vacancy {n}</h2>", "type": TYPES[n % len(TYPES)],
            "expires_at": iso(when + timedelta(days=90)), "is_remote": n % 3 == 0,
            "location_type": "remote" if n % 3 == 0 else "on-site",
            "location": {"name": "HQ", "country": "Netherlands", "address": "Keizersgracht 1", "postal_code": "1015 CJ",
                         "city": "Amsterdam", "region": "Noord-Holland"},
            "department": {"name": ("Engineering", "Sales", "Design")[n % 3]},
            "stages": [{"name": s} for s in stages], "created_at": iso(when),
        }  # fmt: skip
        return self.vacancies[vid]

    def _application(self, n: int, vacancy: str | None, when: datetime, person: Raw | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        aid = self.uid("ap_")
        stage = self.rng.choice(self.stage_names(vacancy)[:-1]) if vacancy and person is None else "New"
        info = {"first_name": first, "last_name": last, "email": f"{first}.{n}@mail.example".lower(),
                "city": "Utrecht" if n % 2 else None, "country": "Netherlands", "date_of_birth": None,
                "phone_number": f"+31 6 1234 {n:04d}" if n % 3 else None, "photo": None}  # fmt: skip
        info.update({k: v for k, v in (person or {}).items() if k in info})
        app: Raw = {
            "id": aid, "rating": float(n % 5), "retention_period_ends_at": iso(when + timedelta(days=730)),
            "sourced": n % 7 == 0, "total_votes": n % 4, "homerun_url": f"https://app.homerun.co/candidates/{aid}",
            "created_at": iso(when), "disqualified": False, "hired_at": None, "first_reply_at": None,
            "personal_info": info, "vacancy_id": vacancy, "stage": {"name": stage}, "notes": [],
            "sources": [{"name": "Homerun Career Page" if n % 3 else "LinkedIn"}], "disqualification_reason": None,
            "question_answers": [], **{k: None for k in DETAIL}, "files": [], "custom_data": {},
        }  # fmt: skip
        if person is None and n % 9 == 3:
            self.disqualify(aid, app)
        if person is None and n % 4 == 1:
            stamp = iso(when + timedelta(days=2))
            app["notes"].append({"display_name": "Recruiter", "is_sensitive": n % 8 == 1, "created_at": stamp,
                                 "note": f"Spoke with {first}: motivated.", "updated_at": stamp})  # fmt: skip
        if person is None and vacancy and n % 11 == 5 and not app["disqualified"]:
            app.update(stage={"name": "Hired"}, hired_at=iso(when + timedelta(days=30)))
        self.applications[aid] = app
        return app

    def stage_names(self, vacancy: str | None) -> list[str]:
        return [s["name"] for s in self.vacancies[vacancy]["stages"]] if vacancy in self.vacancies else ["New"]

    # ------------------------------------------------------------------------------------------ mutations
    def now(self) -> str:
        return iso(self.tick())

    def get(self, aid: str) -> Raw:
        app = self.applications.get(aid)
        if app is None:
            raise VendorError(404, "Job application not found.")
        return app

    def disqualify(self, aid: str, app: Raw | None = None) -> None:
        app = app or self.get(aid)
        app.update(disqualified=True, disqualification_reason={"name": ("Too junior", "No work permit")[len(aid) % 2]})

    def edit(self, aid: str, changes: Raw) -> Raw:
        """``PATCH``: only the sent properties change; ``custom_data`` merges; a stage must exist by name."""
        with self.lock:
            app = self.get(aid)
            vacancy = changes.get("vacancy_id", app["vacancy_id"])
            if vacancy is not None and vacancy not in self.vacancies:
                raise VendorError(422, "The selected vacancy id is invalid.")
            stage = changes.get("stage")
            if stage is not None:
                name = stage.get("name") if isinstance(stage, dict) else None
                if name not in self.stage_names(vacancy):
                    raise VendorError(404, "Stage not found.")
                app["stage"] = {"name": name}
                app["hired_at"] = self.now() if name == "Hired" else None
            app["vacancy_id"] = vacancy
            app["personal_info"].update({k: v for k, v in changes.items() if k in app["personal_info"]})
            app.update({k: v for k, v in changes.items() if k in DETAIL and k not in ("files", "custom_data")})
            if isinstance(changes.get("custom_data"), dict):
                app["custom_data"] = {**app["custom_data"], **changes["custom_data"]}
            return app

    def create(self, body: Raw) -> Raw:
        """``POST /job-applications``: first/last name and e-mail required; an open or private vacancy, or none
        (the candidate page)."""
        with self.lock:
            for key in ("first_name", "last_name", "email"):
                if not isinstance(body.get(key), str) or not body[key].strip():
                    raise VendorError(422, f"The {key.replace('_', ' ')} field is required.", field=key)
            vacancy = body.get("vacancy_id")
            if vacancy is not None and self.vacancies.get(vacancy, {}).get("status") not in ("public", "private"):
                raise VendorError(422, "The selected vacancy id is invalid.", field="vacancy_id")
            app = self._application(len(self.applications), vacancy, datetime.now(UTC), body)
            app["personal_info"]["email"] = body["email"].strip()
            app.update({k: body[k] for k in DETAIL if k in body and k != "files"})
            app["sourced"] = bool(body.get("sourced"))
            app["sources"] = [{"name": str(s)} for s in body.get("sources") or []] or app["sources"]
            return app

    def add_note(self, aid: str, body: Raw) -> Raw:
        with self.lock:
            app = self.get(aid)
            for key in ("note", "display_name"):
                if not isinstance(body.get(key), str) or not body[key].strip():
                    raise VendorError(422, f"The {key.replace('_', ' ')} field is required.", field=key)
            stamp = self.now()
            note = {"display_name": body["display_name"], "is_sensitive": bool(body.get("is_sensitive")),
                    "note": body["note"], "created_at": stamp, "updated_at": stamp}  # fmt: skip
            app["notes"].append(note)
            return note

    def add_file(self, aid: str, kind: str, name: str, content: bytes) -> Raw:
        with self.lock:
            app = self.get(aid)
            if kind not in ("resume", "assignment"):
                raise VendorError(422, "The selected type is invalid.", field="type")
            if len(content) > 25 * 1024 * 1024:
                raise VendorError(422, "The file may not be greater than 25 MB.", field="file")
            entry = {"name": name, "type": kind, "temporary_download_url": f"https://files.homerun.co/{aid}/{name}"}
            app["files"].append(entry)
            return entry

    def delete(self, aid: str) -> None:
        with self.lock:
            self.get(aid)
            del self.applications[aid]

"""The fake Flatchr company: vacancies (hash ``id`` + integer ``vacancy_id`` + slug), company-wide pipeline
columns, and applicants (a candidate in a vacancy, in a column), with the mutations tests, ``simulate`` and the
write handlers make. The vacancy template is the recorded careers listing's ``vacancy`` (``payloads/``), widened
with the documented list fields; applicants and columns follow the documented/[conn] shapes."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
API_KEY = "flatchr_key"
COMPANY = "rV41QG9eKXdK6Xev"
SLUG = "acme"
PAYLOADS = Path(__file__).parent / "payloads"
COLUMNS = ("Nouveau", "Présélectionné", "Entretien RH", "Entretien manager", "Refusé", "Embauché")
FIRST = ("Camille", "Léa", "Hugo", "Manon", "Louis", "Chloé", "Jules", "Inès")
LAST = ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard")
TITLES = ("Account Executive SaaS H/F", "Développeur Python H/F", "Chargé de recrutement H/F", "Comptable H/F")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789"
EPOCH = 1_700_000_000


def template() -> Raw:
    listing: Raw = json.loads((PAYLOADS / "careers_company_active_listings.json").read_text())["items"][0]
    return listing


class FlatchrKey(Auth):
    """``Authorization: Bearer <key>`` or ``?token=<key>`` [doc]."""

    def check(self, request: Request) -> Principal | None:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else request.query_params.get("token", "")
        return Principal(API_KEY) if given == API_KEY else None

    def describe(self) -> dict[str, str]:
        return {"header": "Authorization", "value": f"Bearer {API_KEY}"}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class FakeState(Seeded):
    vacancies: dict[str, Raw] = field(default_factory=dict)  # hash id -> vacancy
    columns: dict[int, Raw] = field(default_factory=dict)
    applicants: dict[str, Raw] = field(default_factory=dict)  # applicant id -> applicant (+ ``candidate``)
    listings: dict[str, Raw] = field(default_factory=dict)  # vacancy hash id -> careers listing
    seq: int = 84500
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(FlatchrKey())

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i, title in enumerate(COLUMNS):
            s.columns[13131 + i] = {"id": 13131 + i, "title": title}
        for n in range(max(3, records // 10)):
            s.add_vacancy(n, status=(1, 1, 1, 2, 0)[n % 5])
        open_ids = [v for v, vac in s.vacancies.items() if vac["status"] == 1]
        for n in range(records):
            app = s.apply(s.rng.choice(open_ids), {"firstname": FIRST[n % len(FIRST)], "lastname": LAST[n % 6],
                                                   "email": f"c{n}.{seed}@mail.example"}, EPOCH + n * 3600)  # fmt: skip
            app["column_id"] = 13131 + s.rng.randrange(len(COLUMNS) - 1)
            if n % 13 == 7:
                app.update(column_id=13136, hired=True)
        return s

    def uid(self) -> str:
        return "".join(self.rng.choice(ALPHABET) for _ in range(16))

    def now(self) -> float:
        return self.advance()

    def add_vacancy(self, n: int, status: int = 1) -> Raw:
        base = template()
        self.seq += 1
        vid, title = self.uid(), TITLES[n % len(TITLES)]
        vacancy: Raw = copy.deepcopy(base["vacancy"])
        vacancy.pop("questions", None)
        slug = f"{vid.lower()}-{title.lower().replace(' ', '-').replace('/', '')}"
        vacancy.update(id=vid, vacancy_id=self.seq, slug=slug, title=title, reference=f"REF-{self.seq}", status=status,
                       description="<p>Description</p>", mission="<p>Missions</p>", profile="<p>Profil</p>",
                       experience=(1, 2, 4, 6)[n % 4], salary=str(30000 + n * 1000), salary_max=None,
                       mensuality="y", apply_url=f"https://{SLUG}.flatchr.io/fr/company/{SLUG}/vacancy/{slug}",
                       currency="EUR", created_at=iso(EPOCH + n * 86400), updated_at=iso(EPOCH + n * 86400),
                       start_date=None, end_date=None, remote=("notime", "parttime", "fulltime")[n % 3],
                       address={"formatted_address": "10 rue de Rivoli, 75004 Paris, France", "locality": "Paris",
                                "country": "France"}, tags=[])  # fmt: skip
        self.vacancies[vid] = vacancy
        if status == 1:  # only published vacancies are listed on the careers host
            listing = copy.deepcopy(base)
            listing.update(id=self.uid(), vacancy_id=self.seq, created_at=vacancy["created_at"])
            listing["vacancy"] = {k: vacancy[k] for k in base["vacancy"] if k in vacancy} | {"questions": []}
            self.listings[vid] = listing
        return vacancy

    def apply(self, vacancy_id: str, body: Raw, when: float | None = None) -> Raw:
        """The careers apply: a new applicant in the vacancy's first column (the candidate reused by e-mail)."""
        for key in ("firstname", "lastname", "email"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                raise VendorError(400, f"{key} is required")
        if "@" not in body["email"]:
            raise VendorError(400, "email is invalid")
        if vacancy_id not in self.vacancies:
            raise VendorError(404, "Vacancy not found")
        stamp = when if when is not None else self.now()
        email = body["email"].strip()
        known = next((a["candidate"] for a in self.applicants.values() if a["candidate"]["email"].lower() ==
                      email.lower()), None)  # fmt: skip
        candidate = copy.deepcopy(known) if known else {
            "id": self.uid(), "email": email, "firstname": body["firstname"], "lastname": body["lastname"],
            "urls": [], "created_at": iso(stamp), "phone": body.get("phone"), "consent": True}  # fmt: skip
        aid = self.uid()
        self.applicants[aid] = {
            "id": aid, "vacancy": vacancy_id, "column_id": min(self.columns), "score": 0, "comment": None,
            "created_at": int(stamp), "updated_at": int(stamp), "status": 1, "view": False, "anonym": False,
            "external_id": None, "candidate": candidate, "foreigner": False, "hired": False,
            "source": body.get("source") or "Flatchr",
        }  # fmt: skip
        return self.applicants[aid]

    def applicant(self, vacancy_id: str, aid: str) -> Raw:
        app = self.applicants.get(aid)
        if app is None or app["vacancy"] != vacancy_id:
            raise VendorError(404, "Applicant not found")
        return app

    def move(self, vacancy_id: str, aid: str, column_id: Any) -> Raw:
        app = self.applicant(vacancy_id, aid)
        if not isinstance(column_id, int) or column_id not in self.columns:
            raise VendorError(400, "column_id is invalid")
        app.update(column_id=column_id, updated_at=int(self.now()))
        return app

    def archive(self, vacancy_id: str, aid: str) -> None:
        self.applicant(vacancy_id, aid)
        del self.applicants[aid]

    def search_row(self, app: Raw) -> Raw:
        vacancy, cand = self.vacancies[app["vacancy"]], app["candidate"]
        return {"applicant": app["id"], "vacancy": vacancy["title"], "column": self.columns[app["column_id"]]["title"],
                "vacancy_id": vacancy["vacancy_id"], "external_id": app["external_id"], "status": app["status"],
                "score": app["score"], "hired": app["hired"], "firstname": cand["firstname"],
                "lastname": cand["lastname"], "email": cand["email"], "phone": cand["phone"],
                "created_at": iso(app["created_at"]), "source": app["source"]}  # fmt: skip

    def detail(self, app: Raw) -> Raw:
        """The applicant as the column move answers it [doc]."""
        vacancy = self.vacancies[app["vacancy"]]
        out = {k: v for k, v in app.items() if k not in ("vacancy", "hired", "source")}
        return {**out, "vacancy_id": vacancy["vacancy_id"], "column": self.columns[app["column_id"]]["title"],
                "vacancy": vacancy["title"], "applies": []}  # fmt: skip

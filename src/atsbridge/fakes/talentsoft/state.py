"""One Talentsoft Recruiting tenant, seen through both of its APIs: the back office's vacancies, candidates,
applications and status referential (``applicationevents``). Every application remembers who made it
(``_origin``: ``"frontoffice"`` when the FrontOffice API client applied, ``"backoffice"`` otherwise), because
the FrontOffice API shows a client only the applications it created.

No payload was ever recorded: records are built field by field from the documented names (reference §3) and
the connector-independent choices named in this package's docstring. Timestamps are the real clock (ISO 8601
UTC with milliseconds), so ``modifiedSince`` deltas see exactly what changed after a sync.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded
from atsbridge.fakes.kit.simulate import pick

Raw = dict[str, Any]
CLIENT_ID, CLIENT_SECRET = "ts_client", "ts_secret"
FIRST = ("Camille", "Léa", "Hugo", "Manon", "Louis", "Chloé", "Jules")
LAST = ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard")
TITLES = ("Développeur Python (H/F)", "Chargé de recrutement (H/F)", "Comptable (H/F)", "Commercial terrain (H/F)")
CONTRACTS = (("CDI", "Permanent contract"), ("CDD", "Fixed-term contract"), ("INTERNSHIP", "Internship"))
#: The status referential: client codes and labels, as a customer would name them.
EVENTS = (("01", "Application received"), ("02", "Phone screen"), ("03", "Interview"), ("04", "Hired"),
          ("05", "Refused"))  # fmt: skip


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ref(code: str, label: str) -> Raw:
    return {"clientCode": code, "label": label}


@dataclass
class FakeState(Seeded):
    vacancies: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    events: list[Raw] = field(default_factory=list)
    rate: tuple[int, float] | None = (20, 1.0)
    seq: int = 5000

    def __post_init__(self) -> None:
        self.serve(OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET, path="/api/token", ttl=1199))

    def next_id(self) -> str:
        return self.new_id()

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        s.events = [{**ref(c, label), "active": True} for c, label in EVENTS]
        s.events.append({**ref("99", "Archived status"), "active": False})
        for i in range(max(3, records // 8)):
            s.add_vacancy(published=i % 4 != 3)
        for i in range(records):
            cand = s.add_candidate()
            job = s.rng.choice([v for v in s.vacancies.values() if v["published"]])
            # about half were applied through the FrontOffice API client, the rest came in through the back office
            s.add_application(cand["id"], job["reference"], "frontoffice" if i % 2 == 0 else "backoffice")
        return s

    # ------------------------------------------------------------------------------------------- records
    def add_vacancy(self, *, published: bool = True) -> Raw:
        n = self.next_id()
        reference = f"2026-{n}"
        code, label = self.rng.choice(CONTRACTS)
        stamp = now()
        self.vacancies[reference] = {
            "reference": reference, "title": self.rng.choice(TITLES),
            "status": ref("OPEN" if published else "DRAFT", "Open" if published else "Draft"),
            "published": published, "confidential": False,
            "organisation": {"clientCode": "ORG1", "label": "Acme France", "name": "Acme France"},
            "contractType": ref(code, label), "experienceLevel": ref("SENIOR", "3 to 5 years"),
            "location": {"city": "Lyon", "postalCode": "69002", "country": ref("FR", "France")},
            "description1": "<p>Vos missions</p>", "description2": "<p>Votre profil</p>",
            "customFields": {"offer": {"shortText1": f"Team {n}", "longText1": None}},
            "offerUrl": f"https://acme-careers.talent-soft.com/offre-de-emploi/emploi-{reference}.aspx",
            "creationDate": stamp, "modificationDate": stamp, "startPublicationDate": stamp if published else None,
        }  # fmt: skip
        return self.vacancies[reference]

    def add_candidate(self, body: Raw | None = None) -> Raw:
        cid, stamp = self.next_id(), now()
        body = body or {"firstName": self.rng.choice(FIRST), "lastName": self.rng.choice(LAST),
                        "email": f"c{self.seq}@mail.example", "phoneNumber": "+33 6 12 34 56 78"}  # fmt: skip
        self.candidates[cid] = {
            "id": cid, "firstName": body["firstName"], "lastName": body["lastName"], "email": body["email"],
            "phoneNumber": body.get("phoneNumber"),
            "address": {"city": "Lyon", "postalCode": "69002", "country": ref("FR", "France")},
            "currentPosition": None, "confidential": False, "creationDate": stamp, "modificationDate": stamp,
        }  # fmt: skip
        return self.candidates[cid]

    def add_application(self, candidate_id: str, reference: str, origin: str, extra: Raw | None = None) -> Raw:
        if candidate_id not in self.candidates:
            raise VendorError(404, f"Candidate {candidate_id} doesn't exist")
        if reference not in self.vacancies:
            raise VendorError(404, f"Vacancy {reference} doesn't exist")
        if any(a["candidateId"] == candidate_id and a["vacancyReference"] == reference
               for a in self.applications.values()):  # fmt: skip
            raise VendorError(409, "The candidate already applied to this vacancy")
        aid, stamp = self.next_id(), now()
        self.applications[aid] = {
            "id": aid, "candidateId": candidate_id, "vacancyReference": reference,
            "applicationEvent": ref(*EVENTS[0]), "applicationDate": stamp, "modificationDate": stamp,
            "origin": (extra or {}).get("origin") or ("Careers site" if origin == "frontoffice" else "Back office"),
            "_origin": origin, "_extra": extra or {},
        }  # fmt: skip
        return self.applications[aid]

    def candidate_by_mail(self, email: str) -> Raw | None:
        return next((c for c in self.candidates.values() if c["email"].lower() == email.lower()), None)

    def delete_candidate(self, cid: str) -> None:
        """A GDPR erasure: the candidate and every application go."""
        del self.candidates[cid]
        for aid in [a for a, app in self.applications.items() if app["candidateId"] == cid]:
            del self.applications[aid]

    def set_event(self, aid: str, code: str) -> None:
        label = dict(EVENTS)[code]
        self.applications[aid]["applicationEvent"] = ref(code, label)
        self.applications[aid]["modificationDate"] = now()

    def touch_candidate(self, cid: str, rnd: random.Random) -> None:
        cand = self.candidates[cid]
        cand["firstName"] = rnd.choice([n for n in FIRST if n != cand["firstName"]])
        cand["modificationDate"] = now()

    # -------------------------------------------------------------------------------- the FrontOffice's view
    def fo_applications(self) -> list[Raw]:
        return [a for a in self.applications.values() if a["_origin"] == "frontoffice"]

    def fo_candidates(self) -> set[str]:
        return {a["candidateId"] for a in self.fo_applications()}

    def pick_fo_application(self, rnd: random.Random) -> str | None:
        return pick(rnd, {a["id"]: a for a in self.fo_applications()})

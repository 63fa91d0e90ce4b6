"""The fake Eploy tenant: users, vacancies, candidates, applications (with their workflow stage and status,
and a placement once hired) and actions (notes, interviews), and the mutations tests, ``simulate`` and the
write handlers make. Record shapes: see the package docstring (no Eploy record was ever recorded)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
CLIENT_ID, CLIENT_SECRET = "eploy_client", "eploy_secret"
#: A token that never expires, for generic tests that send one authenticated GET (``PROBE``).
PROBE_TOKEN = "eploy_probe_token"
SCOPE = ("actions.insert,actions.read,actions.update,applications.read,candidates.read,users.read,"
         "vacancies.read,workflows.read")  # fmt: skip
STAGES = ((1, "New"), (2, "Screening"), (3, "Interview"), (4, "Offer"), (5, "Placed"))
STATUSES = {"progress": (1, "In Progress"), "rejected": (2, "Rejected"), "withdrawn": (3, "Withdrawn")}
ACTION_TYPES = ((1, "Note"), (2, "Telephone Interview"), (3, "Email"))
VACANCY_STATUSES = ((1, "Live"), (2, "Live"), (3, "Closed"), (4, "Draft"))
FIRST = ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia")
LAST = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans")
TOWNS = ("Leeds", "Manchester", "Bristol", None)


def stamp(ts: datetime) -> str:
    """Eploy's timestamps: ISO 8601 with milliseconds, UTC [gap: the format of a real answer is unrecorded]."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def ref(pair: tuple[int, str] | None) -> Raw | None:
    return {"Id": pair[0], "Description": pair[1]} if pair else None


def token_answer(token: str, expires: float) -> Raw:
    """The documented token answer (``payloads/token.response.json``): ``expires_in`` 3599 and the scopes."""
    return {"access_token": token, "token_type": "Bearer", "expires_in": int(expires - time.time()), "scope": SCOPE}


@dataclass
class FakeState(FakeBase):
    users: dict[int, Raw] = field(default_factory=dict)
    vacancies: dict[int, Raw] = field(default_factory=dict)
    candidates: dict[int, Raw] = field(default_factory=dict)
    applications: dict[int, Raw] = field(default_factory=dict)
    actions: dict[int, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    _clock: float = 0.0
    _next: dict[str, int] = field(default_factory=lambda: {"users": 1, "vacancies": 1001, "candidates": 20001,
                                                           "applications": 50001, "actions": 90001})  # fmt: skip

    def __post_init__(self) -> None:
        auth = OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET, path="/api/token", ttl=3599.0, answer=token_answer,
                                       json_body=True)  # fmt: skip
        auth.preissue(PROBE_TOKEN)
        FakeBase.__init__(self, auth, FixedWindow(*self.rate, announce=False) if self.rate else None)

    def table(self, entity: str) -> dict[int, Raw]:
        tables: dict[str, dict[int, Raw]] = {"users": self.users, "vacancies": self.vacancies,
                                             "candidates": self.candidates, "applications": self.applications,
                                             "actions": self.actions}  # fmt: skip
        return tables[entity]

    def new_id(self, entity: str) -> int:
        rid = self._next[entity]
        self._next[entity] = rid + 1
        return rid

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(5):
            uid = state.new_id("users")
            state.users[uid] = {"UserId": uid, "FirstName": FIRST[n], "Surname": LAST[n],
                                "EmailAddress": f"{FIRST[n].lower()}@acme.example", "Active": n != 4,
                                "CreationDate": stamp(BASE), "ModificationDate": stamp(BASE)}  # fmt: skip
        for n in range(max(3, records // 8)):
            state._vacancy(n, BASE + timedelta(days=n))
        live = [v for v, vac in state.vacancies.items() if vac["VacancyStatus"]["Description"] == "Live"]
        for n in range(records):
            when = BASE + timedelta(days=state.rng.randint(0, 200), minutes=n)
            cid = state._candidate(n, when)
            state._application(cid, state.rng.choice(live), when, n)
        return state

    def _vacancy(self, n: int, when: datetime) -> Raw:
        vid = self.new_id("vacancies")
        self.vacancies[vid] = {
            "VacancyId": vid, "Title": f"Vacancy {n}", "Reference": f"VAC-{vid}",
            "Description": f"<p>Join us as vacancy {n}.</p>", "VacancyStatus": ref(VACANCY_STATUSES[n % 4]),
            "Location": ref((10 + n % 3, ("Leeds", "London", "Remote")[n % 3])),
            "Company": ref((7, "Acme Ltd")), "Department": ref((20 + n % 2, ("Engineering", "Sales")[n % 2])),
            "Salary": {"Salary": 30000 + 1000 * n}, "CreationDate": stamp(when), "ModificationDate": stamp(when),
        }  # fmt: skip
        return self.vacancies[vid]

    def _candidate(self, n: int, when: datetime, person: Raw | None = None) -> int:
        cid = self.new_id("candidates")
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        town = TOWNS[n % len(TOWNS)]
        self.candidates[cid] = {
            "CandidateId": cid, "FirstName": first, "Surname": last,
            "EmailAddress": f"{first}.{last}.{cid}@mail.example".lower(),
            "MobileTelephone": f"07700 9{n % 100000:05d}" if n % 3 else None, "HomeTelephone": None,
            "Address": {"Town": town, "Postcode": "LS1 4AP" if town else None,
                        "Country": ref((826, "United Kingdom"))},
            "Source": ref((3, ("Careers Site", "LinkedIn", "Referral")[n % 3])),
            "CreationDate": stamp(when), "ModificationDate": stamp(when),
        }  # fmt: skip
        self.candidates[cid].update({k: v for k, v in (person or {}).items() if k in self.candidates[cid]})
        return cid

    def _application(self, cid: int, vid: int, when: datetime, n: int) -> Raw:
        aid = self.new_id("applications")
        stage = STAGES[self.rng.randrange(4)]
        status = STATUSES["rejected"] if n % 7 == 3 else STATUSES["progress"]
        app: Raw = {
            "ApplicationId": aid, "ApplicationDate": stamp(when), "ApplicationType": ref((1, "Online")),
            "InfluenceToApply": ref((2, "Job Board")), "Workflow": {"Stage": ref(stage), "Status": ref(status)},
            "Placement": None, "Candidate": {"Id": cid}, "Vacancy": {"Id": vid},
            "CreationDate": stamp(when), "ModificationDate": stamp(when),
        }  # fmt: skip
        if n % 11 == 5 and status == STATUSES["progress"]:
            app["Workflow"]["Stage"], app["Placement"] = ref(STAGES[4]), {"Id": 70000 + aid}
        self.applications[aid] = app
        if n % 4 == 1:
            kind = ACTION_TYPES[1] if n % 8 == 1 else ACTION_TYPES[0]
            self._action(app, kind, f"Spoke with candidate {cid}: motivated.", when + timedelta(days=2))
        return app

    def _action(self, app: Raw, kind: tuple[int, str], notes: str, when: datetime) -> Raw:
        acid = self.new_id("actions")
        self.actions[acid] = {
            "ActionId": acid, "ActionType": ref(kind), "Candidate": dict(app["Candidate"]),
            "Application": {"Id": app["ApplicationId"]}, "Vacancy": dict(app["Vacancy"]),
            "User": {"Id": 1 + acid % 4}, "Notes": notes, "ActionDate": stamp(when),
            "Duration": 45 if "Interview" in kind[1] else None,
            "CreationDate": stamp(when), "ModificationDate": stamp(when),
        }  # fmt: skip
        return self.actions[acid]

    # ------------------------------------------------------------------------------------------ mutations
    def now(self) -> str:
        """Strictly increasing whole seconds: a ``GreaterThan`` filter never misses a change made after it."""
        self._clock = max(float(int(time.time())), self._clock + 1.0)
        return stamp(datetime.fromtimestamp(self._clock, UTC))

    def get(self, entity: str, rid: object) -> Raw:
        found = self.table(entity).get(int(str(rid))) if str(rid).isdigit() else None
        if found is None:
            raise VendorError(404, f"{entity[:-1].capitalize()} {rid} not found")
        return found

    def touch(self, record: Raw) -> None:
        record["ModificationDate"] = self.now()

    def edit_candidate(self, cid: int, first_name: str) -> None:
        with self.lock:
            cand = self.get("candidates", cid)
            cand["FirstName"] = first_name
            self.touch(cand)

    def move(self, aid: int, stage: tuple[int, str]) -> None:
        with self.lock:
            app = self.get("applications", aid)
            app["Workflow"]["Stage"] = ref(stage)
            self.touch(app)

    def set_status(self, aid: int, status: tuple[int, str]) -> None:
        with self.lock:
            app = self.get("applications", aid)
            app["Workflow"]["Status"] = ref(status)
            self.touch(app)

    def place(self, aid: int) -> None:
        with self.lock:
            app = self.get("applications", aid)
            app["Workflow"]["Stage"], app["Placement"] = ref(STAGES[4]), {"Id": 70000 + aid}
            self.touch(app)

    def delete_candidate(self, cid: int) -> None:
        """GDPR erasure: the candidate, its applications and their actions vanish (no deletion feed)."""
        with self.lock:
            self.get("candidates", cid)
            del self.candidates[cid]
            for aid in [a for a, app in self.applications.items() if app["Candidate"]["Id"] == cid]:
                del self.applications[aid]
            for acid in [a for a, act in self.actions.items() if (act["Candidate"] or {}).get("Id") == cid]:
                del self.actions[acid]

    def apply(self, vid: int, person: Raw) -> Raw:
        with self.lock:
            when = datetime.fromisoformat(self.now().replace("Z", "+00:00"))
            cid = self._candidate(len(self.candidates), when, person)
            app = self._application(cid, vid, when, 0)
            return app

    def insert_candidate(self, body: Raw) -> Raw:
        """``POST /candidates``: first name, surname and e-mail required (Eploy dedupes nothing itself)."""
        with self.lock:
            for key in ("FirstName", "Surname", "EmailAddress"):
                if not isinstance(body.get(key), str) or not body[key].strip():
                    raise VendorError(400, f"{key} is required", field=key)
            when = datetime.fromisoformat(self.now().replace("Z", "+00:00"))
            cid = self._candidate(len(self.candidates), when, body)
            given = body.get("Address")
            address: Raw = given if isinstance(given, dict) else {}
            self.candidates[cid]["Address"].update({k: address[k] for k in ("Town", "Postcode") if k in address})
            return self.candidates[cid]

    def insert_application(self, body: Raw) -> Raw:
        """``POST /applications``: an existing candidate, a live vacancy, one application per vacancy."""
        with self.lock:
            cand, vac = body.get("Candidate"), body.get("Vacancy")
            cid = cand.get("Id") if isinstance(cand, dict) else None
            vid = vac.get("Id") if isinstance(vac, dict) else None
            if not isinstance(cid, int) or cid not in self.candidates:
                raise VendorError(400, f"Candidate {cid} does not exist", field="Candidate")
            if not isinstance(vid, int) or vid not in self.vacancies:
                raise VendorError(400, f"Vacancy {vid} does not exist", field="Vacancy")
            if self.vacancies[vid]["VacancyStatus"]["Description"] != "Live":
                raise VendorError(400, f"Vacancy {vid} is not accepting applications", field="Vacancy")
            if any(a["Candidate"]["Id"] == cid and a["Vacancy"]["Id"] == vid for a in self.applications.values()):
                raise VendorError(400, "The candidate has already applied for this vacancy", field="Candidate")
            when = datetime.fromisoformat(self.now().replace("Z", "+00:00"))
            return self._application(cid, vid, when, 0)

    def insert_action(self, body: Raw) -> Raw:
        """``POST /actions``: an application (or candidate) it is about, a configured action type, notes."""
        with self.lock:
            kind = body.get("ActionType")
            wanted = kind if isinstance(kind, dict) else {}
            match = next((t for t in ACTION_TYPES if t[0] == wanted.get("Id")
                          or str(wanted.get("Description") or "").lower() == t[1].lower()), None)  # fmt: skip
            if match is None:
                raise VendorError(400, "ActionType is not a valid action type", field="ActionType")
            notes = body.get("Notes")
            if not isinstance(notes, str) or not notes.strip():
                raise VendorError(400, "Notes is required", field="Notes")
            app_ref = body.get("Application")
            app = self.get("applications", app_ref.get("Id") if isinstance(app_ref, dict) else None)
            cand = body.get("Candidate")
            if isinstance(cand, dict) and cand.get("Id") != app["Candidate"]["Id"]:
                raise VendorError(400, "Candidate does not match the application", field="Candidate")
            when = datetime.fromisoformat(self.now().replace("Z", "+00:00"))
            return self._action(app, match, notes, when)

"""The fake d.vinci tenant: users, org units, job openings, persons, applications with their history and
attachments, each a deep copy of the recorded payloads (``payloads/``) with varied values, and the mutations
the write handlers and ``simulate`` make. Every record carries a ``version`` (optimistic locking)."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.requests import Request

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 3, 1, tzinfo=UTC)
FIRST = ("Michaela", "Fritz", "Marius", "Ada", "Grace", "Alan", "Lena", "Jonas")
LAST = ("Musterfrau", "Fritzgerald", "Kameramann", "Lovelace", "Hopper", "Turing", "Schmidt")
STATUSES = ("SYS_NEW", "FIRST_INTERVIEW", "AT_WORK_COUNCIL", "EMPLOYED", "REJECTED")
REJECTION_CODES = ("NO_FIT", "WITHDRAWN_BY_CANDIDATE")
KEYWORDS = ("Recruiting Specialist", "Lean Recruiting")
#: The recorded 409 answer, verbatim.
STALE = "ConcurrentModification: yourEntity.version < serverEntity.version. GET the newest data first and retry request with newest version."  # noqa: E501
PDF = b"%PDF-1.4\n% fake d.vinci attachment\n%%EOF\n"


def load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def stamp(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


class ApiUserAuth(Auth):
    """``Dvinci-API-User`` and ``Dvinci-API-Token``, both required."""

    def __init__(self, user: str, token: str) -> None:
        self.user, self.token = user, token

    def check(self, request: Request) -> Principal | None:
        h = request.headers
        ok = h.get("dvinci-api-user") == self.user and h.get("dvinci-api-token") == self.token
        return Principal(self.user) if ok else None

    def describe(self) -> dict[str, str]:
        return {"api_user": self.user, "api_token": self.token}


@dataclass
class FakeState(Seeded):
    api_user: str = "atsbridge_api"
    api_token: str = "dvinci_token"
    users: dict[int, Raw] = field(default_factory=dict)
    org_units: list[Raw] = field(default_factory=list)
    jobs: dict[int, Raw] = field(default_factory=dict)
    persons: dict[int, Raw] = field(default_factory=dict)
    applications: dict[int, Raw] = field(default_factory=dict)
    history: dict[int, list[Raw]] = field(default_factory=dict)
    attachments: dict[int, list[Raw]] = field(default_factory=dict)
    seq: int = 100

    def __post_init__(self) -> None:
        self.serve(ApiUserAuth(self.api_user, self.api_token))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        s.org_units = load("rest_get_orgunits_list.json")
        for user in load("rest_get_dvinciusers_list.json"):
            s.users[user["id"]] = user
        template = load("rest_get_jobopening.json")
        for n in range(max(2, records // 8)):
            job = copy.deepcopy(template)
            job.update(id=s.uid(), name=f"{template['name']} {n}", externalId=f"JOB-{n}", reference=f"2024-{n:02d}",
                       status="CLOSED" if n % 6 == 5 else "ACTIVE", responsibleUserId=s.rng.choice(list(s.users)))
            s.jobs[job["id"]] = job
        for n in range(records):
            when = BASE + timedelta(days=s.rng.randint(0, 200), minutes=n)
            person = s.add_person({"firstName": FIRST[n % len(FIRST)], "lastName": LAST[(n * 3) % len(LAST)],
                                   "email": f"person.{n}@mail.example", "telephone": f"040 555 {n}",
                                   "keywords": KEYWORDS[: n % 3]}, when)  # fmt: skip
            job = s.rng.choice([j for j in s.jobs.values() if j["status"] == "ACTIVE"])
            status = s.rng.choice(STATUSES)
            app = s.add_application(person["id"], job["id"], {"applicationStatusId": status}, when)
            if status == "REJECTED":
                app["rejectionCodeId"] = s.rng.choice(REJECTION_CODES)
            s.history[app["id"]] = [dict(e, dateCreated=stamp(when)) for e in load("rest_get_application_history.json")]
            s.history[app["id"]][0]["externalId"] = f"EXT-{app['id']}"
            s.attachments[app["id"]] = [s.file(load("rest_get_application_attachments.json")[0], when)]
        return s

    def uid(self) -> int:
        return self.serial()

    def now(self) -> datetime:
        return self.tick()

    def file(self, template: Raw, when: datetime, content: bytes = PDF) -> Raw:
        return dict(template, id=f"{self.rng.getrandbits(96):024x}", dateCreated=stamp(when), fileSize=len(content),
                    _content=content)  # fmt: skip

    # ------------------------------------------------------------------------------------------ records
    def add_person(self, body: Raw, when: datetime | None = None) -> Raw:
        """``POST /persons/``: every documented person field (the recorded person's keys), ``externalId`` unique."""
        ext = body.get("externalId")
        if ext is not None and any(p.get("externalId") == ext for p in self.persons.values()):
            raise VendorError(422, "Entity not valid", code="unique", field="externalId")
        if not body.get("lastName"):
            raise VendorError(422, "Entity not valid", code="mandatory", field="lastName")
        person: Raw = dict.fromkeys(load("rest_get_person.json"))
        person.update({k: v for k, v in body.items() if k in person}, id=self.uid(), version=0,
                      specialMarkIds=list(body.get("specialMarkIds") or []), keywords=list(body.get("keywords") or []),
                      applications=[])  # fmt: skip
        self.persons[person["id"]] = person
        return person

    def add_application(self, person_id: int, job_id: int, body: Raw, when: datetime) -> Raw:
        """``POST /applications/``; the recorded application's keys, the workflow's first status by default."""
        person, job = self.persons.get(person_id), self.jobs.get(job_id)
        if person is None or job is None:
            missing = "person" if person is None else "jobOpening"
            raise VendorError(422, "Entity not valid", code="notFound", field=missing)
        if not body.get("languageId", "de"):
            raise VendorError(422, "Entity not valid", code="mandatory", field="languageId")
        app: Raw = copy.deepcopy(load("rest_get_application.json"))
        app.update({k: v for k, v in body.items() if k in app and k not in ("person", "jobOpening")})
        app.update(id=self.uid(), version=0, externalId=body.get("externalId"),
                   rejectionCodeId=body.get("rejectionCodeId"),
                   person={"id": person_id, "externalId": person.get("externalId")},
                   jobOpening={"id": job_id, "externalId": job.get("externalId")},
                   applicationStatusId=body.get("applicationStatusId") or "SYS_NEW",
                   dateCreated=stamp(when), lastStatusChangeDate=stamp(when),
                   screeningQuestions=copy.deepcopy(body.get("screeningQuestions") or app["screeningQuestions"]),
                   )  # fmt: skip
        self.applications[app["id"]] = app
        person["applications"].append({"id": app["id"], "externalId": app["externalId"]})
        self.history[app["id"]], self.attachments[app["id"]] = [], []
        return app

    def app(self, app_id: Any) -> Raw:
        found = self.applications.get(int(app_id)) if str(app_id).isdigit() else None
        if found is None:  # d.vinci's answer for a missing id, like for a missing permission
            raise VendorError(403, "Forbidden")
        return found

    def put(self, record: Raw, body: Raw, read_only: tuple[str, ...]) -> Raw:
        """A PUT with optimistic locking: the body's ``version`` must be the record's."""
        if not isinstance(body.get("version"), int) or body["version"] < record["version"]:
            raise VendorError(409, STALE)
        for key in read_only:
            if key in body and body[key] != record.get(key):
                raise VendorError(422, "Entity not valid", code="updateNotAllowed", field=key)
        record.update({k: v for k, v in body.items() if k in record and k not in read_only})
        record["version"] += 1
        return record

    def change_status(self, app_id: Any, status: str) -> Raw:
        app = self.app(app_id)
        if status not in STATUSES:
            raise VendorError(422, "Entity not valid", code="statusChangeNotPermitted", field="statusId")
        old, app["applicationStatusId"] = app["applicationStatusId"], status
        app.update(lastStatusChangeDate=stamp(self.now()), version=app["version"] + 1)
        self.history[app["id"]].append({"externalId": None, "dateCreated": app["lastStatusChangeDate"],
                                        "type": "APPLICATION_STATUS_CHANGE", "description": f"{old} -> {status}",
                                        "comment": None, "dvinciUserId": None, "externalUser": None,
                                        "fromApplicationStatusId": old, "toApplicationStatusId": status})  # fmt: skip
        return app

    def delete_person(self, person_id: int) -> None:
        for ref in self.persons.pop(person_id)["applications"]:
            self.applications.pop(ref["id"], None)
            self.history.pop(ref["id"], None)
            self.attachments.pop(ref["id"], None)

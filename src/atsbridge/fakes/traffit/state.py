"""The fake TRAFFIT tenant: users, workflows (with states), recruitments, employees, employees inside
recruitments (with their state), rejections, notes and files, and the mutations ``simulate`` and the write
handlers make. No TRAFFIT payload was recorded: shapes follow the resource names of reference §7 [3p]; times are
``YYYY-MM-DD HH:MM:SS`` [doc] (written in UTC here, so the ``updated_at`` filter compares like the real one)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.requests import Request

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
CLIENT_ID, CLIENT_SECRET = "acme_atsbridge", "traffit_secret"
BASE = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
FIRST = ("Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Marcin", "Agnieszka", "Paweł")
LAST = ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska")
STATES = (("Nowy", "Rozmowa telefoniczna", "Rozmowa z managerem", "Oferta", "Zatrudniony"),
          ("New", "Screening", "Interview", "Hired"))  # fmt: skip
TITLES = ("Python Developer", "Księgowa", "Handlowiec", "Magazynier", "Rekruter IT")
REASONS = ("Za mało doświadczenia", "Oczekiwania finansowe", "Candidate withdrew")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A long-lived token the fake accepts besides the issued ones (the generic tests' probe credential).
STATIC_TOKEN = "traffit_probe_token"


class TokenAuth(OAuth2ClientCredentials):
    def check(self, request: Request) -> Principal | None:
        if request.headers.get("authorization") == f"Bearer {STATIC_TOKEN}":
            return Principal(STATIC_TOKEN)
        return super().check(request)


def stamp(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class FakeState(Seeded):
    users: dict[str, Raw] = field(default_factory=dict)
    workflows: dict[str, Raw] = field(default_factory=dict)
    recruitments: dict[str, Raw] = field(default_factory=dict)
    employees: dict[str, Raw] = field(default_factory=dict)
    #: ``"<recruitment>:<employee>"`` -> the employee's row in that recruitment
    links: dict[str, Raw] = field(default_factory=dict)
    rejections: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, Raw] = field(default_factory=dict)
    files: dict[str, Raw] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    seq: int = 100
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(TokenAuth(CLIENT_ID, CLIENT_SECRET, path="/oauth2/token"))

    def next_id(self) -> int:
        return self.serial()

    def now(self) -> str:
        return stamp(self.tick())

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i in range(3):
            uid = str(s.next_id())
            s.users[uid] = {"id": int(uid), "guid": s.guid(), "first_name": FIRST[i], "last_name": LAST[i],
                            "email": f"rekruter{i}@acme.example", "active": i != 2}  # fmt: skip
        for w, names in enumerate(STATES):
            wid = str(s.next_id())
            s.workflows[wid] = {"id": int(wid), "guid": s.guid(), "name": ("Domyślny", "Tech hiring")[w],
                                "states": [{"id": s.next_id(), "name": n, "order": o + 1, "type": None}
                                           for o, n in enumerate(names)]}  # fmt: skip
        for n in range(max(3, records // 6)):
            s.add_recruitment(n, BASE + timedelta(days=n))
        for n in range(records):
            when = BASE + timedelta(days=s.rng.randint(0, 200), minutes=n)
            emp = s.add_employee({"first_name": FIRST[n % len(FIRST)], "last_name": LAST[(n * 3) % len(LAST)],
                                  "email": f"kandydat.{n}@mail.example", "phone": f"+48 600 100 {n:03d}" if n % 3
                                  else None, "city": "Warszawa" if n % 2 else "Kraków", "country": "PL",
                                  "source": ("LinkedIn", "pracuj.pl", "Strona kariery")[n % 3]}, when)  # fmt: skip
            open_ids = [r for r, rec in s.recruitments.items() if rec["status"] != "draft"]
            for rid in s.rng.sample(open_ids, 1 + (n % 4 == 0)):
                link = s.link(rid, str(emp["id"]), when)
                if n % 7 == 3:
                    s.reject(rid, str(emp["id"]), when + timedelta(days=3))
                elif n % 9 == 5:
                    link["state_id"] = s.states_of(rid)[-1]["id"]
                else:
                    link["state_id"] = s.rng.choice(s.states_of(rid)[:-1])["id"]
            if n % 4 == 1:
                s.add_note(str(emp["id"]), {"content": f"Rozmowa z {emp['first_name']}: zmotywowany."},
                           when + timedelta(days=1))  # fmt: skip
            if n % 3 == 0:
                s.add_file(str(emp["id"]), f"CV_{emp['last_name']}.pdf", "application/pdf", PDF, when)
        return s

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add_recruitment(self, n: int, when: datetime) -> Raw:
        rid = self.next_id()
        workflow = list(self.workflows.values())[n % len(self.workflows)]
        location = {"locality": ("Warszawa", "Kraków", "Gdańsk")[n % 3], "country": "PL", "postal_code": "00-001"}
        self.recruitments[str(rid)] = {
            "id": rid, "guid": self.guid(), "nr_ref": f"REK/{when.year}/{rid}", "name": TITLES[n % len(TITLES)],
            "status": ("active", "active", "closed", "draft")[n % 4], "client_id": 1 + n % 2,
            "workflow_id": workflow["id"], "owner_id": int(next(iter(self.users))),
            "options": {"job_type": ("full_time", "b2b", "part_time")[n % 3],
                        "job_location": orjson.dumps(location).decode(),  # JSON in a string [doc]
                        "recruitment_deadline": stamp(when + timedelta(days=60))[:10]},
            "created_at": stamp(when), "updated_at": stamp(when),
        }  # fmt: skip
        return self.recruitments[str(rid)]

    def states_of(self, recruitment: str) -> list[Raw]:
        workflow = self.workflows[str(self.recruitments[recruitment]["workflow_id"])]
        return list(workflow["states"])

    def employee(self, eid: str) -> Raw:
        found = self.employees.get(eid)
        if found is None:
            raise VendorError(404, f"Employee {eid} not found")
        return found

    def recruitment(self, rid: str) -> Raw:
        found = self.recruitments.get(rid)
        if found is None:
            raise VendorError(404, f"Recruitment {rid} not found")
        return found

    def add_employee(self, body: Raw, when: datetime | None = None) -> Raw:
        """``POST /employees``: first name, last name and a valid e-mail required."""
        for key in ("first_name", "last_name"):
            if not isinstance(body.get(key), str) or not body[key].strip():
                raise VendorError(422, f"{key}: This value should not be blank.", field=key)
        if "@" not in str(body.get("email") or ""):
            raise VendorError(422, "email: This value is not a valid email address.", field="email")
        at = stamp(when) if when else self.now()
        eid = self.next_id()
        emp = {"id": eid, "guid": self.guid(), "first_name": body["first_name"], "last_name": body["last_name"],
               "email": body["email"], "phone": body.get("phone"), "city": body.get("city"),
               "country": body.get("country"), "source": body.get("source"), "created_at": at,
               "updated_at": at}  # fmt: skip
        self.employees[str(eid)] = emp
        return emp

    def link(self, rid: str, eid: str, when: datetime | None = None) -> Raw:
        """``POST /recruitments/{id}/employees``: the employee enters the workflow's first state."""
        self.recruitment(rid)
        self.employee(eid)
        key = f"{rid}:{eid}"
        if key in self.links:
            raise VendorError(409, "Employee is already assigned to this recruitment")
        at = stamp(when) if when else self.now()
        self.links[key] = {"id": self.next_id(), "employee_id": int(eid), "recruitment_id": int(rid),
                           "state_id": self.states_of(rid)[0]["id"], "created_at": at, "updated_at": at}  # fmt: skip
        return self.links[key]

    def move(self, key: str, state_id: int) -> Raw:
        link = self.links[key]
        link.update(state_id=state_id, updated_at=self.now())
        return link

    def reject(self, rid: str, eid: str, when: datetime | None = None) -> Raw:
        at = stamp(when) if when else self.now()
        row = {"id": self.next_id(), "employee_id": int(eid), "recruitment_id": int(rid),
               "reason": self.rng.choice(REASONS), "created_at": at}  # fmt: skip
        self.rejections[f"{rid}:{eid}"] = row
        self.links[f"{rid}:{eid}"]["updated_at"] = at
        return row

    def add_note(self, eid: str, body: Raw, when: datetime | None = None) -> Raw:
        self.employee(eid)
        content = body.get("content")
        if not isinstance(content, str) or not content.strip():
            raise VendorError(422, "content: This value should not be blank.", field="content")
        at = stamp(when) if when else self.now()
        nid = self.next_id()
        self.notes[str(nid)] = {"id": nid, "employee_id": int(eid), "content": content.strip(),
                                "user_id": int(next(iter(self.users))), "created_at": at, "updated_at": at}  # fmt: skip
        return self.notes[str(nid)]

    def add_file(self, eid: str, name: str, mime: str, content: bytes, when: datetime) -> Raw:
        fid = self.next_id()
        self.files[str(fid)] = {"id": fid, "employee_id": int(eid), "name": name, "mime_type": mime,
                                "size": len(content), "type": "cv", "created_at": stamp(when)}  # fmt: skip
        self.contents[str(fid)] = content
        return self.files[str(fid)]

    def touch(self, eid: str) -> None:
        self.employee(eid)["updated_at"] = self.now()

    def delete_employee(self, eid: str) -> None:
        """An employee removed (GDPR): their recruitments, rejections, notes and files go with them."""
        self.employee(eid)
        del self.employees[eid]
        for table in (self.links, self.rejections):
            for key in [k for k in table if k.endswith(f":{eid}")]:
                del table[key]
        for table in (self.notes, self.files):
            for key in [k for k, v in table.items() if str(v["employee_id"]) == eid]:
                del table[key]

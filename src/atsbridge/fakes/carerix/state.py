"""The fake Carerix tenant: CRUser, CRVacancy, CREmployee, CRMatch, CRDataNode (match statuses), CRNote and
CRAttachment records, the EOF-style ``qualifier`` filter, and the REST/XML writes.

Records are kept in the GraphQL shape (``_id``, ``to<Relation>{_id}``); dates are Amsterdam-local strings
``YYYY-MM-DD HH:MM:SS +0100`` as the REST documentation writes them [doc] (the GraphQL date format is
unverified [gap]). No Carerix read payload was ever recorded: field names follow the public GraphQL clients
the reference cites [conn]; the only recorded shape is the REST attachment write, served as recorded.
"""

from __future__ import annotations

import base64
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from atsbridge.core import xmldata
from atsbridge.fakes.kit.auth import Auth, BasicAuth, OAuth2ClientCredentials, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
AMS = ZoneInfo("Europe/Amsterdam")
CLIENT_ID, CLIENT_SECRET = "0a1b2c3d.apps.carerix.io", "cx_secret"
REST_USER, REST_TOKEN = "acme", "cx_rest_token"
TOKEN_PATH = "/auth/realms/acme/protocol/openid-connect/token"
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=AMS)
FIRST = ("Sanne", "Daan", "Emma", "Lars", "Julia", "Bram")
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit")
TITLES = ("Logistiek medewerker", "Heftruckchauffeur", "Administratief medewerker", "Monteur")
#: Match status nodes (tenant data): Dutch labels as the reference quotes them; "5.0 aanbod" is the offer.
STATUSES = (("1.0 Voorgesteld", "1.0"), ("2.0 Intake", "2.0"), ("4.1 Afgewezen door klant", "4.1"),
            ("5.0 aanbod", "5.0"), ("6.0 Geplaatst", "6.0"))  # fmt: skip
PDF = b"%PDF-1.4 fake cv\n"


def stamp(ts: datetime) -> str:
    return ts.astimezone(AMS).strftime("%Y-%m-%d %H:%M:%S %z")


def parse_stamp(value: str) -> datetime:
    for fmt in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=AMS)
    raise VendorError(400, f"Invalid NSCalendarDate: {value}")


class AnyOf(Auth):
    """GraphQL takes the Keycloak bearer token, the REST API the customer name + API token in Basic auth."""

    def __init__(self, *schemes: Auth) -> None:
        self.schemes = schemes

    def check(self, request: Any) -> Principal | None:
        return next((p for s in self.schemes if (p := s.check(request)) is not None), None)

    def routes(self) -> list[Any]:
        return [r for s in self.schemes for r in s.routes()]

    def describe(self) -> dict[str, str]:
        return {k: v for s in self.schemes for k, v in s.describe().items()}


_CLAUSE = re.compile(r"^\s*([\w.]+)\s*(=|>=|<=|>|<)\s*(?:\(NSCalendarDate\)\s*)?'([^']*)'\s*$")


def _value(row: Raw, path: str) -> Any:
    for part in path.split("."):
        row = row.get(part) if isinstance(row, dict) else None  # type: ignore[assignment]
    return row


def matcher(qualifier: str | None) -> Any:
    """``a = 'x' and b > (NSCalendarDate) '2026-01-01 00:00:00'`` (EOF qualifier syntax [conn]); anything else
    is refused as Carerix refuses an unparsable qualifier."""
    clauses = []
    for part in re.split(r"\s+and\s+", qualifier or "", flags=re.I) if qualifier and qualifier.strip() else []:
        found = _CLAUSE.match(part)
        if not found:
            raise VendorError(400, f"Unable to parse qualifier: {qualifier}")
        clauses.append(found.groups())

    def match(row: Raw) -> bool:
        for path, op, want in clauses:
            have = _value(row, path)
            if path.endswith("Date"):
                left, right = parse_stamp(str(have or "1970-01-01 00:00:00 +0000")), parse_stamp(want)
                ok = {"=": left == right, ">": left > right, ">=": left >= right, "<": left < right,
                      "<=": left <= right}[op]  # fmt: skip
            else:
                ok = str(have or "").lower() == want.lower() if op == "=" else False
            if not ok:
                return False
        return True

    return match


@dataclass
class FakeState(Seeded):
    users: dict[str, Raw] = field(default_factory=dict)
    vacancies: dict[str, Raw] = field(default_factory=dict)
    employees: dict[str, Raw] = field(default_factory=dict)
    matches: dict[str, Raw] = field(default_factory=dict)
    statuses: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, Raw] = field(default_factory=dict)
    attachments: dict[str, Raw] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    seq: int = 100
    clock: datetime = EPOCH
    live: bool = False

    def __post_init__(self) -> None:
        oauth = OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET, path=TOKEN_PATH)
        auth = AnyOf(oauth, BasicAuth(REST_USER, REST_TOKEN))
        self.serve(auth)

    def next_id(self) -> str:
        return self.new_id()

    def now(self) -> str:
        """Generated records get past times, 7 minutes apart; once generated, changes get the wall clock
        (second resolution, as Carerix stores them), so a delta's qualifier finds exactly them."""
        if not self.live:
            self.clock += timedelta(minutes=7)
            return stamp(self.clock)
        return stamp(datetime.now(AMS))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for value, code in STATUSES:
            nid = s.next_id()
            s.statuses[nid] = {"_id": nid, "dataNodeID": int(nid), "value": value, "code": code,
                               "type": "Matchstatus", "isActive": True}  # fmt: skip
        for i in range(3):
            uid = s.next_id()
            s.users[uid] = {"_id": uid, "userID": int(uid), "firstName": FIRST[i], "lastName": LAST[i],
                            "emailAddress": f"recruiter{i}@acme.example", "isActive": i < 2,
                            "creationDate": s.now(), "modificationDate": s.now()}  # fmt: skip
        for _ in range(max(2, records // 10)):
            vid = s.next_id()
            s.vacancies[vid] = {"_id": vid, "vacancyID": int(vid), "jobTitle": s.rng.choice(TITLES),
                                "introduction": "<p>Wij zoeken</p>", "workLocation": "Rotterdam",
                                "hoursPerWeek": 40, "minSalary": 2400, "maxSalary": 3100,
                                "toContractTypeNode": {"_id": "9", "value": "Uitzenden"},
                                "toStatusNode": {"_id": "7", "value": "Open"},
                                "toOwner": {"_id": next(iter(s.users))}, "isClosed": False,
                                "creationDate": s.now(), "modificationDate": s.now()}  # fmt: skip
        for _ in range(records):
            s.apply(s.rng.choice(list(s.vacancies)), s.add_employee(s.rng.choice(FIRST), s.rng.choice(LAST), None))
        for mid in list(s.matches)[: max(1, records // 4)]:
            s.add_note(mid, "Telefonisch gesproken", s.matches[mid]["toEmployee"]["_id"])
        for eid in list(s.employees)[: max(1, records // 5)]:
            s.add_attachment(eid, "CV", f"cv-{eid}.pdf", PDF, "1461")
        s.live = True
        return s

    # -- mutations (used by writes and simulate) --------------------------------------------------------------
    def add_employee(self, first: str, last: str, email: str | None, **extra: Any) -> str:
        eid = self.next_id()
        now = self.now()
        self.employees[eid] = {"_id": eid, "employeeID": int(eid), "firstName": first, "lastName": last,
                               "emailAddress": email or f"e{eid}@mail.example", "mobileNumber": "+31 6 1234 5678",
                               "homeCity": "Utrecht", "toSourceNode": {"_id": "31", "value": "Website"},
                               "creationDate": now, "modificationDate": now, **extra}  # fmt: skip
        return eid

    def apply(self, vacancy: str, employee: str, status: str | None = None) -> str:
        if vacancy not in self.vacancies:
            raise VendorError(404, f"CRVacancy {vacancy} not found")
        if employee not in self.employees:
            raise VendorError(404, f"CREmployee {employee} not found")
        mid, now = self.next_id(), self.now()
        node = self.statuses[status or next(iter(self.statuses))]
        self.matches[mid] = {"_id": mid, "matchID": int(mid), "toEmployee": {"_id": employee},
                             "toVacancy": {"_id": vacancy}, "toPublication": None,
                             "toStatusNode": {"_id": node["_id"], "value": node["value"]},
                             "statusInfo": {"value": node["value"], "code": node["code"], "displayName": node["value"]},
                             "additionalInfo": None, "creationDate": now, "modificationDate": now}  # fmt: skip
        return mid

    def set_status(self, mid: str, node_id: str) -> None:
        if node_id not in self.statuses:
            raise VendorError(400, f"CRDataNode {node_id} is not a match status")
        node = self.statuses[node_id]
        self.matches[mid].update(toStatusNode={"_id": node_id, "value": node["value"]}, modificationDate=self.now(),
                                 statusInfo={"value": node["value"], "code": node["code"],
                                             "displayName": node["value"]})  # fmt: skip

    def add_note(self, mid: str | None, text: str, employee: str | None, subject: str | None = None) -> str:
        nid, now = self.next_id(), self.now()
        self.notes[nid] = {"_id": nid, "subject": subject, "notes": text, "toUser": None,
                           "toMatch": {"_id": mid} if mid else None,
                           "toEmployee": {"_id": employee} if employee else None,
                           "creationDate": now, "modificationDate": now}  # fmt: skip
        return nid

    def add_attachment(self, employee: str, label: str, path: str, content: bytes, type_node: str | None) -> str:
        aid, now = self.next_id(), self.now()
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        kind = "application/pdf" if name.lower().endswith(".pdf") else "application/octet-stream"
        self.attachments[aid] = {"_id": aid, "label": label, "filePath": path, "fileName": name, "contentType": kind,
                                 "toEmployee": {"_id": employee}, "toMatch": None,
                                 "toTypeNode": {"_id": type_node, "value": "CV"} if type_node else None,
                                 "creationDate": now, "modificationDate": now}  # fmt: skip
        self.files[aid] = content
        self.employees[employee]["modificationDate"] = now
        return aid

    def delete_employee(self, eid: str) -> None:
        del self.employees[eid]
        for table in (self.matches, self.notes, self.attachments):
            for rid in [r for r, row in table.items() if (row.get("toEmployee") or {}).get("_id") == eid]:
                del table[rid]

    # -- REST/XML writes ---------------------------------------------------------------------------------------
    def rest_write(self, entity: str, rid: str | None, body: bytes) -> str:
        """``POST /{Entity}`` / ``PUT /{Entity}/{id}`` with an XML document; answers the entity's id."""
        try:
            root = xmldata.parse(body)
        except xmldata.XmlRefused as exc:
            raise VendorError(400, f"Invalid XML: {exc}") from None
        if xmldata.local(root.tag) != entity:
            raise VendorError(400, f"Expected <{entity}>, got <{xmldata.local(root.tag)}>")
        data = xmldata.to_dict(root) or {}
        data = data if isinstance(data, dict) else {}
        if entity == "CREmployee":
            return self._employee(rid, data)
        if entity == "CRMatch":
            return self._match(rid, data)
        if entity == "CRNote" and rid is None:
            mid, eid = _ref(data, "toMatch", "CRMatch"), _ref(data, "toEmployee", "CREmployee")
            if mid is not None and mid not in self.matches:
                raise VendorError(404, f"CRMatch {mid} not found")
            if not _text(data, "notes"):
                raise VendorError(400, "CRNote.notes is required")
            return self.add_note(mid, str(_text(data, "notes")), eid, _text(data, "subject"))
        raise VendorError(405, f"{'PUT' if rid else 'POST'} /{entity} is not served by this fake")

    def _employee(self, rid: str | None, data: Raw) -> str:
        if rid is None:
            if not _text(data, "lastName"):
                raise VendorError(400, "CREmployee.lastName is required")
            extra = {k: _text(data, k) for k in ("mobileNumber", "homeCity") if _text(data, k)}
            return self.add_employee(_text(data, "firstName") or "", _text(data, "lastName") or "",
                                     _text(data, "emailAddress"), **extra)  # fmt: skip
        if rid not in self.employees:
            raise VendorError(404, f"CREmployee {rid} not found")
        for att in xmldata.many(xmldata.dig(data, "attachments/CRAttachment")):
            content = xmldata.text(xmldata.dig(att, "toAttachmentData/CRAttachmentData/content")) or ""
            try:
                raw = base64.b64decode(content, validate=True)
            except ValueError:
                raise VendorError(400, "CRAttachmentData.content must be base64") from None
            node = xmldata.dig(att, "toTypeNode/CRDataNode/@id")
            self.add_attachment(rid, _text(att, "label") or "", _text(att, "filePath") or "file", raw,
                                str(node) if node else None)  # fmt: skip
        return rid

    def _match(self, rid: str | None, data: Raw) -> str:
        status = _ref(data, "toStatusNode", "CRDataNode")
        if rid is None:
            vacancy, employee = _ref(data, "toVacancy", "CRVacancy"), _ref(data, "toEmployee", "CREmployee")
            if not vacancy or not employee:
                raise VendorError(400, "CRMatch needs toVacancy and toEmployee")
            if self.vacancies.get(vacancy, {}).get("isClosed"):
                raise VendorError(400, f"CRVacancy {vacancy} is closed")
            return self.apply(vacancy, employee, status)
        if rid not in self.matches:
            raise VendorError(404, f"CRMatch {rid} not found")
        if status:
            self.set_status(rid, status)
        return rid


def _text(data: Any, key: str) -> str | None:
    return xmldata.text(data.get(key)) if isinstance(data, dict) else None


def _ref(data: Raw, relation: str, entity: str) -> str | None:
    value = xmldata.dig(data, f"{relation}/{entity}/@id")
    return str(value) if value else None


def answer(entity: str, rid: str) -> bytes:
    """The REST answer to a write: the entity with its id (the answer shape is unverified [gap])."""
    root = ET.Element(entity, {"id": rid})
    ET.SubElement(root, "_id").text = rid
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root)

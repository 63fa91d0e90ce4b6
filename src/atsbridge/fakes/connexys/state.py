"""The fake Connexys org: the ``cxsrec__`` objects and the standard objects the connector reads, as
Salesforce stores them (18-character ids with each object's key prefix, ``SystemModstamp`` on every write,
deletes into the recycle bin with ``IsDeleted``), and the mutations ``simulate`` and the write handlers make.

No Connexys payload was recorded: rows carry the fields the reference names (section 6.6 [conn]); field names
it does not give are marked [gap] where they are defined (``FIELDS``).
"""

from __future__ import annotations

import base64
import mimetypes
import random
import time
from datetime import UTC, datetime
from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.soql import Locators, Org, SalesforceOAuth, stamp
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
VERSION = "v60.0"
CLIENT_ID, CLIENT_SECRET = "3MVG9connexys.fake.consumer", "connexys-consumer-secret"
DEMO_TOKEN = "00Dfake!connexys-demo-session"
POSITION, CANDIDATE, APPLICATION = "cxsrec__cxsPosition__c", "cxsrec__cxsCandidate__c", "cxsrec__cxsJob_application__c"
WORKFLOW, PLACEMENT = "cxsrec__cxsWorkflow_status__c", "cxsrec__Placement__c"  # object names [gap]
PREFIX = {"User": "005", "Task": "00T", "Event": "00U", "ContentVersion": "068", POSITION: "a0P", CANDIDATE: "a0C",
          APPLICATION: "a0A", WORKFLOW: "a0W", PLACEMENT: "a0L"}  # fmt: skip
_SYSTEM = ("Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp")
#: Every column of each object (a query naming another one is refused with INVALID_FIELD).
FIELDS: dict[str, tuple[str, ...]] = {
    "User": ("FirstName", "LastName", "Email", "IsActive"),
    WORKFLOW: ("Name", "cxsrec__Active__c", "cxsrec__Order__c"),  # cxsrec__Order__c [gap]
    POSITION: ("Name", "OwnerId", "cxsrec__Status__c", "cxsrec__Account_name__c", "cxsrec__Job_description__c",
               "cxsrec__Job_requirements__c", "cxsrec__Country__c", "cxsrec__Contract_type__c",
               "cxsrec__Job_start_date__c", "cxsrec__Number_of_employees_to_be_hired__c"),
    CANDIDATE: ("Name", "OwnerId", "cxsrec__First_name__c", "cxsrec__Last_name__c", "cxsrec__E_mail_address__c",
                "cxsrec__mobilePhone__c", "cxsrec__last_cv__c", "cxsrec__Anonymize_status__c"),
    APPLICATION: ("Name", "cxsrec__Candidate__c", "cxsrec__Position__c", "cxsrec__Workflow_status__c",
                  "cxsrec__Created_from__c", "cxsrec__Process_time__c"),
    PLACEMENT: ("Name", "cxsrec__Candidate__c", "cxsrec__Position__c"),  # lookup names [gap]
    "Task": ("WhatId", "OwnerId", "Subject", "Description", "Status", "ActivityDate"),
    "Event": ("WhatId", "OwnerId", "Subject", "StartDateTime", "EndDateTime", "Location"),
    "ContentVersion": ("Title", "PathOnClient", "FileExtension", "FileType", "ContentSize", "ContentDocumentId",
                       "FirstPublishLocationId", "IsLatest"),
}  # fmt: skip
#: Columns a create must fill (REQUIRED_FIELD_MISSING otherwise).
REQUIRED = {CANDIDATE: ("cxsrec__Last_name__c",), APPLICATION: ("cxsrec__Candidate__c", "cxsrec__Position__c"),
            "Task": ("WhatId",), "ContentVersion": ("Title", "PathOnClient", "VersionData")}  # fmt: skip
WRITABLE = (CANDIDATE, APPLICATION, "Task", "ContentVersion")
STATUSES = (("Nieuw", True), ("Telefonisch interview", True), ("Eerste gesprek", True), ("Aanbieding", True),
            ("Aangenomen", False), ("Afgewezen", False), ("Teruggetrokken", False))  # fmt: skip
FIRST = ("Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Noah")
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder", "de Boer")
BASE = datetime(2025, 1, 6, 9, 0, tzinfo=UTC).timestamp()


class FakeState(FakeBase):
    def __init__(self, rate_limit: tuple[int, float] | None = (25, 1.0), page_cap: int | None = 12) -> None:
        auth = SalesforceOAuth(CLIENT_ID, CLIENT_SECRET, lambda request: str(request.base_url).rstrip("/"), DEMO_TOKEN)
        limit = FixedWindow(*rate_limit, announce=False) if rate_limit else None
        super().__init__(auth, limit, page_cap=page_cap)
        self.tables: dict[str, dict[str, Raw]] = {name: {} for name in FIELDS}
        self.org = Org(self.tables, VERSION)
        self.locators = Locators(VERSION)
        self.files: dict[str, bytes] = {}
        self.seq = 0
        self.clock = time.time()

    # ------------------------------------------------------------------------------------------- basics

    def now(self) -> str:
        """Strictly increasing stamps (a delta's ``>=`` filter sees each write once it happened)."""
        self.clock = max(self.clock + 0.001, time.time())
        return stamp(datetime.fromtimestamp(self.clock, UTC))

    def new_id(self, obj: str) -> str:
        self.seq += 1
        return f"{PREFIX[obj]}{self.seq:012d}AAA"

    def insert(self, obj: str, values: Raw, *, created: str | None = None) -> Raw:
        unknown = sorted(set(values) - set(FIELDS[obj]) - {"VersionData"})
        if unknown:
            raise VendorError(400, f"No such column '{unknown[0]}' on sobject of type {obj}", code="INVALID_FIELD")
        rid, when = self.new_id(obj), self.now()
        row: Raw = {"Id": rid, "IsDeleted": False, "CreatedDate": created or when, "LastModifiedDate": when,
                    "SystemModstamp": when, **dict.fromkeys(FIELDS[obj])}  # fmt: skip
        row.update({k: v for k, v in values.items() if k != "VersionData"})
        self.tables[obj][rid] = row
        return row

    def touch(self, obj: str, rid: str, **values: Any) -> Raw:
        row = self.tables[obj][rid]
        when = self.now()
        row.update(values, LastModifiedDate=when, SystemModstamp=when)
        return row

    def live(self, obj: str) -> list[str]:
        return [i for i, r in self.tables[obj].items() if not r["IsDeleted"]]

    def row(self, obj: str, rid: str) -> Raw:
        found = self.tables.get(obj, {}).get(rid)
        if found is None or found["IsDeleted"]:
            raise VendorError(404, "The requested resource does not exist", code="NOT_FOUND")
        return found

    # ---------------------------------------------------------------------------------------- generation

    @classmethod
    def generate(cls, seed: int, records: int, rate_limit: tuple[int, float] | None) -> FakeState:
        rnd = random.Random(seed)
        fake = cls(rate_limit)
        people = enumerate(zip(FIRST[:5], LAST, strict=False))
        users = [fake.insert("User", {"FirstName": f, "LastName": ln, "Email": f"{f.lower()}@acme.example",
                                      "IsActive": i != 3}) for i, (f, ln) in people]  # fmt: skip
        for i, (name, active) in enumerate(STATUSES):
            fake.insert(WORKFLOW, {"Name": name, "cxsrec__Active__c": active, "cxsrec__Order__c": i + 1})
        jobs = [fake.insert(POSITION, {
            "Name": title, "OwnerId": users[i % len(users)]["Id"], "cxsrec__Status__c": status,
            "cxsrec__Account_name__c": "Acme B.V.", "cxsrec__Job_description__c": f"<p>{title} bij Acme</p>",
            "cxsrec__Job_requirements__c": "<ul><li>HBO</li></ul>", "cxsrec__Country__c": "Nederland",
            "cxsrec__Contract_type__c": "Vast", "cxsrec__Job_start_date__c": "2025-03-01",
            "cxsrec__Number_of_employees_to_be_hired__c": 1 + i % 3,
        }) for i, (title, status) in enumerate((("Backend developer", "Open"), ("Recruiter", "Open"),
                                                ("Controller", "On hold"), ("Data engineer", "Gesloten")))]  # fmt: skip
        for n in range(max(records, 2)):
            cand = fake.add_candidate(rnd.choice(FIRST), rnd.choice(LAST), n)
            app = fake.apply(cand["Id"], jobs[n % len(jobs)]["Id"], fake.status_ids()[n % len(STATUSES)])
            if n % 4 == 0:
                fake.insert("Task", {"WhatId": app["Id"], "OwnerId": users[0]["Id"], "Subject": "Notitie",
                                     "Description": f"Goed gesprek met kandidaat {n}",
                                     "Status": "Completed"})  # fmt: skip
            if n % 5 == 0:
                start, end = (datetime.fromtimestamp(BASE + n * 3600 + d, UTC) for d in (0, 3600))
                fake.insert("Event", {"WhatId": app["Id"], "OwnerId": users[1]["Id"], "Subject": "Eerste gesprek",
                                      "StartDateTime": stamp(start), "Location": "Utrecht",
                                      "EndDateTime": stamp(end)})  # fmt: skip
            if n % 6 == 0:
                fake.add_file(cand["Id"], f"cv-{n}.pdf", b"%PDF-1.4 fake cv " + str(n).encode(), parse=False)
            if STATUSES[n % len(STATUSES)][0] == "Aangenomen":
                fake.insert(PLACEMENT, {"Name": f"PL-{n}", "cxsrec__Candidate__c": cand["Id"],
                                        "cxsrec__Position__c": app["cxsrec__Position__c"]})  # fmt: skip
        return fake

    def status_ids(self) -> list[str]:
        return sorted(self.tables[WORKFLOW], key=lambda i: self.tables[WORKFLOW][i]["cxsrec__Order__c"])

    def add_candidate(self, first: str, last: str, n: int) -> Raw:
        return self.insert(CANDIDATE, {"Name": f"{first} {last}", "cxsrec__First_name__c": first,
                                       "cxsrec__Last_name__c": last, "OwnerId": next(iter(self.tables["User"])),
                                       "cxsrec__E_mail_address__c": f"{first.lower()}.{n}@mail.example",
                                       "cxsrec__mobilePhone__c": f"+31 6 {10000000 + n}"})  # fmt: skip

    def apply(self, cand: str, job: str, status: str | None = None) -> Raw:
        return self.insert(APPLICATION, {"Name": f"JA-{self.seq + 1:06d}", "cxsrec__Candidate__c": cand,
                                         "cxsrec__Position__c": job, "cxsrec__Created_from__c": "Form",
                                         "cxsrec__Workflow_status__c": status or self.status_ids()[0],
                                         "cxsrec__Process_time__c": 0})  # fmt: skip

    def add_file(self, cand: str, name: str, content: bytes, *, parse: bool = True) -> Raw:
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        row = self.insert("ContentVersion", {"Title": name.rsplit(".", 1)[0], "PathOnClient": name,
                                             "FileExtension": ext or None, "FileType": (ext or "UNKNOWN").upper(),
                                             "ContentSize": len(content), "FirstPublishLocationId": cand,
                                             "IsLatest": True,
                                             "ContentDocumentId": f"069{self.seq + 1:012d}AAA"})  # fmt: skip
        self.files[row["Id"]] = content
        if parse and cand in self.tables[CANDIDATE]:
            self.parse_cv(cand, row)
        return row

    def parse_cv(self, cand: str, version: Raw) -> None:
        """The quirk [conn]: a CV uploaded to a candidate is parsed and the parser **overwrites** the identity
        fields with what it read (here: the file's title as the name, no e-mail)."""
        self.touch(CANDIDATE, cand, cxsrec__First_name__c="CV", cxsrec__Last_name__c=version["Title"],
                   cxsrec__E_mail_address__c=None, cxsrec__last_cv__c=version["ContentDocumentId"])  # fmt: skip

    def delete(self, obj: str, rid: str) -> None:
        """Into the recycle bin; a candidate takes its applications along (master-detail cascade [gap])."""
        self.touch(obj, rid, IsDeleted=True)
        if obj == CANDIDATE:
            for aid in self.live(APPLICATION):
                if self.tables[APPLICATION][aid]["cxsrec__Candidate__c"] == rid:
                    self.touch(APPLICATION, aid, IsDeleted=True)

    # ---------------------------------------------------------------------------------------- API writes

    def create(self, obj: str, body: Raw) -> Raw:
        if obj not in WRITABLE:
            raise VendorError(400, f"insufficient access rights on object {obj}", code="INSUFFICIENT_ACCESS")
        missing = [f for f in REQUIRED.get(obj, ()) if body.get(f) in (None, "")]
        if missing:
            raise VendorError(400, f"Required fields are missing: [{', '.join(missing)}]",
                              code="REQUIRED_FIELD_MISSING", field=missing[0])  # fmt: skip
        self._references(obj, body)
        if obj == "ContentVersion":
            try:
                content = base64.b64decode(str(body["VersionData"]), validate=True)
            except ValueError:
                raise VendorError(400, "VersionData: invalid base64", code="INVALID_FIELD") from None
            owner = str(body.get("FirstPublishLocationId") or "")
            return self.add_file(owner, str(body["PathOnClient"]), content)
        if obj == APPLICATION:
            body = {"cxsrec__Workflow_status__c": self.status_ids()[0], "cxsrec__Created_from__c": "API", **body}
        if obj == CANDIDATE:
            body = {"Name": f"{body.get('cxsrec__First_name__c') or ''} {body['cxsrec__Last_name__c']}".strip(),
                    **body}  # fmt: skip
        return self.insert(obj, body)

    def update(self, obj: str, rid: str, body: Raw) -> None:
        if obj not in WRITABLE:
            raise VendorError(400, f"insufficient access rights on object {obj}", code="INSUFFICIENT_ACCESS")
        self.row(obj, rid)
        unknown = sorted(set(body) - set(FIELDS[obj]))
        if unknown:
            raise VendorError(400, f"No such column '{unknown[0]}' on sobject of type {obj}", code="INVALID_FIELD")
        self._references(obj, body)
        self.touch(obj, rid, **body)

    def _references(self, obj: str, body: Raw) -> None:
        refs = {"cxsrec__Candidate__c": CANDIDATE, "cxsrec__Position__c": POSITION,
                "cxsrec__Workflow_status__c": WORKFLOW}  # fmt: skip
        for field, target in refs.items():
            if field in body and (
                body[field] not in self.tables[target] or self.tables[target][body[field]]["IsDeleted"]
            ):
                raise VendorError(400, f"invalid cross reference id: {body[field]}", code="INVALID_CROSS_REFERENCE_KEY",
                                  field=field)  # fmt: skip
        what = body.get("WhatId") or body.get("FirstPublishLocationId")
        if what is not None:
            found = self.org.find(what)
            if found is None or found[1]["IsDeleted"]:
                raise VendorError(400, f"invalid cross reference id: {what}", code="INVALID_CROSS_REFERENCE_KEY")


def content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"

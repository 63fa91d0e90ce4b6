"""The fake UKG Pro Recruiting tenant: opportunities, candidates (with comments), applications (with documents)
and offers, and the mutations ``simulate`` and the write handlers make. Shapes: ``payloads/`` (the reference's
field-by-field description; no traffic was recorded)."""

from __future__ import annotations

import copy
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
TENANT = "ACME1001"
CLIENT_ID, CLIENT_SECRET = "ukg_client", "ukg_secret"
DEMO_TOKEN = "ukg_demo_token"
TOKEN_PATH = f"/signin/oauth2/t/{TENANT}/access_token"
API = f"/talent/recruiting/v2/{TENANT}/api"
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 3, 1, tzinfo=UTC)
STATUSES = ("New", "Screening", "Interview", "Offer", "Hired", "Rejected", "Withdrawn")
FIRST = ("Avery", "Jordan", "Riley", "Morgan", "Casey", "Taylor", "Quinn")
LAST = ("Nguyen", "Garcia", "Smith", "Patel", "Johnson", "Brown")
CAREER_SITE = "0d9c8b7a-6f5e-4d3c-8b2a-19f8e7d6c5b4"
SOURCES = {"8f2b8b1e-0c55-4b8e-9a57-2b4c1b7f0001": "atsbridge integration"}


def template(name: str) -> Raw:
    loaded: Raw = json.loads((PAYLOADS / name).read_text())
    return loaded


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


@dataclass
class FakeState(FakeBase):
    opportunities: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    documents: dict[str, list[Raw]] = field(default_factory=dict)  # per application id, with ``_content``
    offers: dict[str, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (20, 1.0)
    _clock: float = 0.0

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        auth = OAuth2ClientCredentials(CLIENT_ID, CLIENT_SECRET, path=TOKEN_PATH)
        auth._tokens[DEMO_TOKEN] = (float("inf"), None)  # a standing token for demos and generic probes
        FakeBase.__init__(self, auth, limit)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def now(self) -> str:
        self._clock = max(time.time(), self._clock + 0.002)
        return iso(datetime.fromtimestamp(self._clock, UTC))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 10)):
            s._opportunity(n, BASE + timedelta(days=n))
        open_ids = [o for o, opp in s.opportunities.items() if opp["status"] == "Open"]
        for n in range(records):
            when = BASE + timedelta(days=s.rng.randint(0, 200), minutes=n)
            cand = s._candidate(s.rng.choice(FIRST), s.rng.choice(LAST), f"c{n}@mail.example", when)
            if n % 3 == 0:
                cand["comments"].append({"id": s.uid(), "comment": f"Phone screen {n}: promising.", "is_important":
                                         n % 2 == 0, "author": "Jordan Smith", "created_at": iso(when)})  # fmt: skip
            status = STATUSES[s.rng.randrange(len(STATUSES))]
            s._application(s.rng.choice(open_ids), cand["id"], when, status=status)
        return s

    # ------------------------------------------------------------------------------------------ builders
    def _opportunity(self, n: int, when: datetime) -> Raw:
        opp = copy.deepcopy(template("opportunity.doc-shape.json"))
        oid = self.uid()
        opp.update(id=oid, title=f"Opportunity {n}", requisition_number=f"REQ-{1000 + n}",
                   status=("Open", "Open", "Draft", "Closed", "Filled")[n % 5],
                   employee_type=("FullTime", "PartTime")[n % 2], is_remote=n % 3 == 0,
                   created_at=iso(when), updated_at=iso(when))  # fmt: skip
        opp["links"] = [{"rel": "self", "href": f"{API}/opportunities/{oid}"}]
        self.opportunities[oid] = opp
        return opp

    def _candidate(self, first: str, last: str, email: str, when: datetime) -> Raw:
        cand = copy.deepcopy(template("candidate.doc-shape.json"))
        cid = self.uid()
        cand.update(id=cid, created_at=iso(when), updated_at=iso(when), comments=[])
        cand["name"].update(first=first, last=last, middle=None, preferred=None)
        cand["contact_info"]["email"] = email
        self.candidates[cid] = cand
        return cand

    def _application(self, opp: str, cid: str, when: datetime, *, status: str = "New", body: Raw | None = None) -> Raw:
        app = copy.deepcopy(template("application.doc-shape.json"))
        aid, cand = self.uid(), self.candidates[cid]
        app.update(id=aid, applied_date=iso(when), updated_at=iso(when),
                   creation_method=(body or {}).get("creation_method", "CareerSite"),
                   origin=(body or {}).get("origin"))  # fmt: skip
        app["candidate"] = {"id": cid, "name": {"first": cand["name"]["first"], "last": cand["name"]["last"]}}
        app["opportunity"] = {"id": opp, "title": self.opportunities[opp]["title"]}
        app["status"] = {"id": STATUSES.index(status) + 1, "name": status}
        source = ((body or {}).get("application_source") or {}).get("id")
        source = source or CAREER_SITE
        app["application_source"] = {"id": source, "name": SOURCES.get(source, "Career Site")}
        app["links"] = [{"rel": "self", "href": f"{API}/applications/{aid}"},
                        {"rel": "documents", "href": f"{API}/applications/{aid}/documents"}]  # fmt: skip
        self.applications[aid] = app
        self.documents[aid] = []
        if body is None and self.rng.random() < 0.5:
            self._document(aid, "Resume", f"resume-{aid[:8]}.pdf", b"%PDF-1.4 resume", iso(when))
        if status in ("Offer", "Hired"):
            self._offer(aid, "Accepted" if status == "Hired" else "Extended", when)
        return app

    def _document(self, aid: str, kind: str, name: str, content: bytes, when: str) -> Raw:
        doc = {"id": self.uid(), "document_type": kind, "file_name": name, "created_at": when, "_content": content}
        self.documents[aid].append(doc)
        return doc

    def _offer(self, aid: str, status: str, when: datetime) -> Raw:
        offer = copy.deepcopy(template("offer.doc-shape.json"))
        app = self.applications[aid]
        offer.update(id=self.uid(), status=status, created_at=iso(when), updated_at=iso(when),
                     start_date=(when + timedelta(days=30)).strftime("%Y-%m-%d"))  # fmt: skip
        offer["application"], offer["candidate"] = {"id": aid}, {"id": app["candidate"]["id"]}
        offer["opportunity"] = {"id": app["opportunity"]["id"]}
        self.offers[offer["id"]] = offer
        return offer

    # ------------------------------------------------------------------------------------------ mutations
    def get(self, table: dict[str, Raw], rid: str, what: str) -> Raw:
        found = table.get(rid)
        if found is None:
            raise VendorError(404, f"{what} {rid} was not found.")
        return found

    def touch_candidate(self, cid: str) -> None:
        """[gap] A candidate change is assumed to bump its applications' ``updated_at`` (the connector's delta
        reads candidates through changed applications)."""
        stamp = self.now()
        self.candidates[cid]["updated_at"] = stamp
        for app in self.applications.values():
            if app["candidate"]["id"] == cid:
                app["updated_at"] = stamp

    def edit_candidate(self, cid: str, first: str) -> None:
        with self.lock:
            cand = self.get(self.candidates, cid, "Candidate")
            cand["name"]["first"] = first
            for app in self.applications.values():
                if app["candidate"]["id"] == cid:
                    app["candidate"]["name"]["first"] = first
            self.touch_candidate(cid)

    def set_status(self, aid: str, status: str) -> None:
        with self.lock:
            app = self.get(self.applications, aid, "Application")
            app["status"] = {"id": STATUSES.index(status) + 1, "name": status}
            app["updated_at"] = self.now()

    def delete_candidate(self, cid: str) -> None:
        with self.lock:
            del self.candidates[cid]
            for aid in [a for a, app in self.applications.items() if app["candidate"]["id"] == cid]:
                del self.applications[aid], self.documents[aid]
                for oid in [o for o, off in self.offers.items() if off["application"]["id"] == aid]:
                    del self.offers[oid]

    def import_application(self, body: Raw) -> Raw:
        """``POST /applications`` (candidate import): a name and e-mail, an open opportunity, a known source."""
        with self.lock:
            given = body.get("candidate")
            cand: Raw = given if isinstance(given, dict) else {}
            name, contact = cand.get("name") or {}, cand.get("contact_info") or {}
            if not name.get("first") or not name.get("last"):
                raise VendorError(400, "candidate.name.first and candidate.name.last are required.")
            if "@" not in str(contact.get("email") or ""):
                raise VendorError(400, "candidate.contact_info.email is not a valid e-mail address.")
            opp = str((body.get("opportunity") or {}).get("id") or "")
            if self.opportunities.get(opp, {}).get("status") != "Open":
                raise VendorError(400, f"Opportunity {opp} is not open for applications.")
            source = (body.get("application_source") or {}).get("id")
            if source is not None and source not in SOURCES:
                raise VendorError(400, f"Applicant source {source} does not exist.")
            if len(str(body.get("origin") or "")) > 50:
                raise VendorError(400, "origin must be at most 50 characters.")
            email = str(contact["email"]).lower()
            known = next((c for c in self.candidates.values() if c["contact_info"]["email"].lower() == email), None)
            now = datetime.fromtimestamp(max(time.time(), self._clock), UTC)
            if known is None:
                known = self._candidate(name["first"], name["last"], contact["email"], now)
                known["contact_info"]["phone"] = contact.get("phone")
                known["_imported"] = True
            return self._application(opp, known["id"], now, body=body)

    def add_comment(self, cid: str, body: Raw) -> Raw:
        with self.lock:
            cand = self.get(self.candidates, cid, "Candidate")
            text = body.get("comment")
            if not isinstance(text, str) or not text.strip() or len(text) > 4000:
                raise VendorError(400, "comment is required and must be at most 4000 characters.")
            comment = {"id": self.uid(), "comment": text, "is_important": bool(body.get("is_important")),
                       "author": str(body.get("author") or "API"), "created_at": self.now()}  # fmt: skip
            cand["comments"].append(comment)
            self.touch_candidate(cid)
            return comment

    def add_document(self, aid: str, kind: str, name: str, content: bytes) -> Raw:
        with self.lock:
            self.get(self.applications, aid, "Application")
            if not name or not content:
                raise VendorError(400, "A file is required.")
            doc = self._document(aid, kind or "Other", name, content, self.now())
            self.applications[aid]["updated_at"] = doc["created_at"]
            return doc

"""The fake Bullhorn tenant: entities by name (``JobOrder``, ``Candidate``, ``JobSubmission``, ``Placement``,
``Appointment``, ``Note``, ``CandidateFileAttachment``, ``CorporateUser``, ``JobSubmissionHistory``), file
bytes, the OAuth + session auth, and the mutations tests, ``simulate`` and the write handlers make.

Records are deep copies of the recorded SDK fixtures (``payloads/*_list.json``, cycling through every recorded
record so the tenant has their full shape) with new ids, names and dates. Candidate and CorporateUser have no
recorded list: they are built field by field from the entity reference (see the package docstring).
"""

from __future__ import annotations

import copy
import random
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
CORP = "e999"
PAYLOADS = Path(__file__).parent / "payloads"
STATUSES = ("New Lead", "Submitted", "Client Submission", "Interview Scheduled", "Offer Extended", "Placed",
            "Client Rejected", "Candidate Not Interested")  # fmt: skip
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton")
BASE_MS = 1_700_000_000_000


def _templates(name: str) -> list[Raw]:
    """The recorded records of one list (``_score``, a search answer's relevance, dropped: the fake serves
    ``query``)."""
    rows = orjson.loads((PAYLOADS / f"{name}_list.json").read_bytes())["data"]
    return [{k: v for k, v in row.items() if k != "_score"} for row in rows]


def _stub(person: Raw) -> Raw:
    return {k: person[k] for k in ("id", "firstName", "lastName")}


TEMPLATES = {e: _templates(e.lower()) for e in ("JobOrder", "JobSubmission", "Placement", "Appointment", "Note",
                                                "CandidateFileAttachment")}  # fmt: skip


class SessionAuth(Auth):
    """``/oauth-us/...`` (another data centre: 307 to ``/oauth/...``), ``/oauth/authorize`` (``action=Login``:
    a code in the redirect, or the login page again),
    ``/oauth/token`` (authorization code or refresh token; refresh tokens are single use, except the seeded
    one ``conformance_setup`` hands out), ``/rest-services/login`` (an access token for a ``BhRestToken``).
    API calls carry ``BhRestToken`` (header or query). ``fixed`` is a pre-seeded session for demos and the
    shape tests."""

    def __init__(self, client_id: str, secret: str, username: str, password: str, refresh: str) -> None:
        self.client_id, self.secret, self.seed = client_id, secret, refresh
        self.username, self.password = username, password
        self.codes: set[str] = set()
        self.refresh: set[str] = set()
        self.access: dict[str, float] = {}
        self.sessions: set[str] = set()
        self.fixed, self.issued = "bh-demo-session", 0

    def check(self, request: Request) -> Principal | None:
        token = request.headers.get("bhresttoken") or request.query_params.get("BhRestToken") or ""
        return Principal("api-user") if token in self.sessions or token == self.fixed else None

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def _client(self, q: Any) -> bool:
        return bool(q.get("client_id") == self.client_id and q.get("client_secret", self.secret) == self.secret)

    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        if not self._client(q) or (q.get("username"), q.get("password")) != (self.username, self.password):
            return HTMLResponse("<html><body><form id='login'>Invalid username or password</form></body></html>")
        code = secrets.token_urlsafe(12)
        self.codes.add(code)
        back = q.get("redirect_uri") or "https://example.invalid/cb"
        return RedirectResponse(f"{back}?{urlencode({'code': code})}", 302)

    async def _token(self, request: Request) -> Response:
        q = request.query_params
        if not self._client(q) or not q.get("client_secret"):
            return JSONResponse({"error": "invalid_client", "error_description": "Invalid client credentials"}, 401)
        grant, code, old = q.get("grant_type"), q.get("code", ""), q.get("refresh_token", "")
        if grant == "authorization_code" and code in self.codes:
            self.codes.discard(code)
        elif grant == "refresh_token" and (old in self.refresh or old == self.seed):
            self.refresh.discard(old)
        else:
            return JSONResponse({"error": "invalid_grant", "error_description": "Invalid, expired or used grant"}, 400)
        access, refresh = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.access[access], self.issued = time.time() + 600, self.issued + 1
        self.refresh.add(refresh)
        return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_in": 600,
                             "refresh_token": refresh})  # fmt: skip

    async def _login(self, request: Request) -> Response:
        token = request.query_params.get("access_token", "")
        if request.query_params.get("version") is None:
            return JSONResponse({"errorMessage": "version is required", "errorCode": 400}, 400)
        if self.access.get(token, 0) < time.time():
            return JSONResponse({"errorMessage": "Invalid or expired OAuth access token.", "errorCode": 401}, 401)
        session = secrets.token_urlsafe(18)
        self.sessions.add(session)
        base = str(request.base_url).rstrip("/")
        return JSONResponse({"BhRestToken": session, "restUrl": f"{base}/rest-services/{CORP}/"})

    async def _other_data_centre(self, request: Request) -> Response:
        """The OAuth host of another data centre: 307 to this tenant's, query and method kept."""
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/oauth/{request.path_params['rest']}{query}", 307)

    def routes(self) -> list[Route]:
        return [Route("/oauth-us/{rest:path}", self._other_data_centre, methods=["GET", "POST"]),
                Route("/oauth/authorize", self._authorize, methods=["GET"]),
                Route("/oauth/token", self._token, methods=["POST"]),
                Route("/rest-services/login", self._login, methods=["GET", "POST"])]  # fmt: skip

    def describe(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.secret, "refresh_token": self.seed,
                "username": self.username, "password": self.password, "BhRestToken (demo)": self.fixed}  # fmt: skip


@dataclass
class FakeState(FakeBase):
    client_id: str = "bh_client"
    client_secret: str = "bh_secret"
    username: str = "api.user"
    password: str = "api-pass"
    refresh_token: str = "bh_refresh_seed"
    rate: tuple[int, float] | None = (20, 1.0)
    entities: dict[str, dict[int, Raw]] = field(default_factory=dict)
    files: dict[int, tuple[bytes, str]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    _clock: int = 0
    _next: int = 100

    def __post_init__(self) -> None:
        self.session = SessionAuth(self.client_id, self.client_secret, self.username, self.password, self.refresh_token)
        FakeBase.__init__(self, self.session, FixedWindow(*self.rate, announce=False) if self.rate else None)

    def of(self, entity: str) -> dict[int, Raw]:
        return self.entities.setdefault(entity, {})

    def now(self) -> int:
        self._clock = max(int(time.time() * 1000), self._clock + 1)
        return self._clock

    def new_id(self) -> int:
        self._next += 1
        return self._next

    def add(self, entity: str, **values: Any) -> Raw:
        """A new record: the next recorded record of the entity's list as the template, ``values`` over it."""
        recorded = TEMPLATES.get(entity) or [{}]
        row = {**copy.deepcopy(recorded[len(self.of(entity)) % len(recorded)]), "id": self.new_id(), **values}
        self.of(entity)[row["id"]] = row
        return row

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for n in range(3):
            s.add("CorporateUser", id=n + 1, firstName=FIRST[n], lastName="Recruiter", name=f"{FIRST[n]} Recruiter",
                  email=f"{FIRST[n].lower()}@agency.example", enabled=n != 2, isDeleted=False, isLockedOut=False,
                  userType={"id": 1}, departments={"total": 1, "data": []}, primaryDepartment={"id": 1})  # fmt: skip
        for n in range(max(3, records // 6)):
            at, is_open = BASE_MS + n * 86_400_000, n % 5 != 4
            s.add("JobOrder", title=f"Job {n}", isOpen=is_open, isDeleted=False, owner={"id": 1}, dateAdded=at,
                  dateLastModified=at, status="Accepting Candidates" if is_open else "Closed")  # fmt: skip
        for n in range(records):
            job = s.rng.choice([j for j in s.of("JobOrder").values() if j["isOpen"]])
            cand = s.add_candidate(n, BASE_MS + n * 3_600_000)
            sub = s.submit(cand, job, s.rng.choice(STATUSES), at=cand["dateAdded"])
            if n % 3 == 0:
                s.add_activity(cand, sub, cand["dateAdded"] + 60_000)
        return s

    def add_activity(self, cand: Raw, sub: Raw, at: int) -> None:
        """An interview appointment and a note about the candidate."""
        stub, job, user = _stub(cand), sub["jobOrder"], {"id": 1, "_subtype": "CorporateUser"}
        self.add("Appointment", candidateReference=stub, jobOrder=job, type="Interview", owner=user, isDeleted=False,
                 subject=f"Interview: {job['title']}", dateBegin=at + 86_400_000, dateEnd=at + 90_000_000,
                 dateAdded=at, dateLastModified=at)  # fmt: skip
        self.add("Note", personReference={"id": cand["id"], "_subtype": "Candidate"}, action="Phone Screen",
                 comments=f"Screened {cand['name']}", jobOrder={"id": job["id"]}, isDeleted=False,
                 commentingPerson=user, dateAdded=at, dateLastModified=at)  # fmt: skip

    def add_candidate(self, n: int, at: int | None = None, **values: Any) -> Raw:
        """Built from the entity reference (no Candidate list was recorded)."""
        first, last, at = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)], at or self.now()
        address = {"address1": "", "address2": "", "city": "Boston", "state": "MA", "zip": "02110", "countryID": 1}
        cand = self.add("Candidate", firstName=first, lastName=last, name=f"{first} {last}", email2=None, email3=None,
                        email=f"{first}.{last}.{n}@mail.example".lower(), phone=f"+1 617 555 {n:04d}", mobile=None,
                        phone2=None, address=address, companyName=None, occupation=None, companyURL=None,
                        source="Web Response", status="New Lead", isDeleted=False, isAnonymized=False,
                        owner={"id": 1, "firstName": "Ada", "lastName": "Recruiter"}, dateAdded=at,
                        dateLastModified=at)  # fmt: skip
        cand.update(values)
        if n % 4 == 0:
            self.add_file(cand["id"], {"name": f"cv-{cand['id']}.txt", "contentType": "text/plain", "type": "Resume",
                                       "fileType": "SAMPLE"}, f"CV of {cand['name']}".encode())  # fmt: skip
        return cand

    def submit(self, cand: Raw, job: Raw, status: str, at: int | None = None, **values: Any) -> Raw:
        at = at or self.now()
        sub = self.add("JobSubmission", candidate=_stub(cand),
                       jobOrder={"id": job["id"], "title": job["title"]}, status=status, isDeleted=False, dateAdded=at,
                       dateLastModified=at, dateWebResponse=at if status == "New Lead" else None)  # fmt: skip
        sub.update(values)
        if status == "Placed":
            self.place(sub["id"], at)
        return sub

    def place(self, sub_id: int, at: int | None = None) -> Raw:
        """A Placement for the submission: the submission itself is not touched (as over the API)."""
        sub, at = self.of("JobSubmission")[sub_id], at or self.now()
        if any(p["jobSubmission"]["id"] == sub_id for p in self.of("Placement").values()):
            raise VendorError(400, "A placement already exists for this submission")
        return self.add("Placement", candidate=sub["candidate"], jobOrder=sub["jobOrder"], jobSubmission={"id": sub_id},
                        status="Approved", dateAdded=at, dateBegin=at, dateLastModified=at)  # fmt: skip

    def add_file(self, cand_id: int, body: Raw, content: bytes) -> Raw:
        kind, _, sub = str(body.get("contentType") or "application/octet-stream").partition("/")
        c = self.of("Candidate")[cand_id]
        row = self.add("CandidateFileAttachment", candidate=_stub(c),
                       name=body.get("name"), type=body.get("type"), contentType=kind, contentSubType=sub or None,
                       fileType=body.get("fileType") or "SAMPLE", externalID=body.get("externalID"),
                       description=body.get("description"), fileSize=len(content), isDeleted=False,
                       dateAdded=self.now())  # fmt: skip
        self.files[row["id"]] = (content, f"{kind}/{sub}" if sub else kind)
        return row

    def touch(self, entity: str, rid: int, **values: Any) -> Raw:
        row = self.of(entity)[rid]
        row.update(values, dateLastModified=self.now())
        return row

    def delete_candidate(self, cid: int) -> None:
        """Soft delete, with the candidate's submissions."""
        self.touch("Candidate", cid, isDeleted=True)
        for sub in self.of("JobSubmission").values():
            if sub["candidate"]["id"] == cid and not sub["isDeleted"]:
                self.touch("JobSubmission", sub["id"], isDeleted=True)

    def set_status(self, sub_id: int, status: str, user: int = 1, comments: str | None = None) -> Raw:
        if status not in STATUSES:
            raise VendorError(400, f"Invalid value for field status: {status}")
        self.add("JobSubmissionHistory", jobSubmission={"id": sub_id}, status=status, comments=comments,
                 modifyingUser={"id": user}, dateAdded=self.now(), transactionID=None, migrateGUID=None)  # fmt: skip
        return self.touch("JobSubmission", sub_id, status=status)

"""The fake JobDiva tenant: users, jobs, candidates, activities (applications/submittals), candidate notes and
the deletion log, as BI rows (UPPER-CASE columns, string values), with the mutations tests, ``simulate`` and
the write handlers make. Shapes are built field by field (see the package docstring)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, 9, 0, 0)
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")
TITLES = ("Java Developer", "Registered Nurse", "Project Manager", "Data Analyst", "Forklift Operator")
STATUSES = ("Submitted", "Internal Submittal", "Client Interview", "Offer Extended", "On Hold")
#: Which column says when a row last changed, per resource (the BI window filters on it).
UPDATED = {"jobs": "DATEUPDATED", "candidates": "DATEUPDATED", "activities": "ACTIVITYDATE", "notes": "DATEUPDATED"}
ID_COLUMN = {"jobs": "JOBID", "candidates": "CANDIDATEID", "activities": "ACTIVITYID", "notes": "NOTEID"}


def stamp(ts: datetime) -> str:
    """BI answers carry naive ISO wall-clock timestamps [3p]."""
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def spring_error(status: int, error: str, message: str) -> JSONResponse:
    """Spring's default error body (what the login and the auth filter answer [3p])."""
    body = {"timestamp": stamp(datetime.now(UTC)), "status": status, "error": error, "message": message}
    return JSONResponse(body, status_code=status)


class JobDivaLogin(OAuth2ClientCredentials):
    """``GET /apiv2/authenticate?clientid=&username=&password=`` -> the token as the bare body (24 h). A refused
    login is a 500 whose message is ``INVALID_CREDENTIALS`` [3p]."""

    def __init__(self, client_id: str, username: str, password: str) -> None:
        super().__init__(f"{client_id}:{username}", password, path="/apiv2/authenticate", ttl=86_400.0)
        self.challenge = {}

    async def _login(self, request: Request) -> Response:
        q = request.query_params
        missing = next((p for p in ("clientid", "username", "password") if not q.get(p)), None)
        if missing:
            error = {"status": "BAD_REQUEST", "timestamp": stamp(datetime.now(UTC)),
                     "message": f"{missing} parameter is missing"}  # fmt: skip
            return JSONResponse({"apierror": error}, status_code=400)
        issued = self.issue(f"{q['clientid']}:{q['username']}", q["password"])
        if issued is None:
            return spring_error(500, "Internal Server Error", "INVALID_CREDENTIALS")
        return PlainTextResponse(issued[0])

    def routes(self) -> list[Route]:
        return [Route(self.path, self._login, methods=["GET"])]

    def describe(self) -> dict[str, str]:
        client_id, _, username = self.client_id.partition(":")
        return {"client_id": client_id, "username": username, "password": self.client_secret, "login": self.path}


@dataclass
class FakeState(Seeded):
    client_id: str = "4242"
    username: str = "api@agency.example"
    password: str = "jobdiva_secret"
    users: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    activities: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, Raw] = field(default_factory=dict)
    #: resource -> [(id, when deleted)]
    deleted: dict[str, list[tuple[str, datetime]]] = field(default_factory=dict)
    rate: tuple[int, float] | None = (5, 1.0)
    _last: datetime = BASE
    seq: int = 100_000

    def __post_init__(self) -> None:
        login = JobDivaLogin(self.client_id, self.username, self.password)
        self.serve(login)

    def now(self) -> datetime:
        """Wall clock for changes (UTC, naive), strictly increasing."""
        self._last = max(datetime.now(UTC).replace(tzinfo=None, microsecond=0), self._last + timedelta(seconds=1))
        return self._last

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (5, 1.0)) -> FakeState:
        rnd = random.Random(seed)
        s = cls(rate=rate)
        at = BASE
        for n in range(4):
            uid = str(500 + n)
            s.users[uid] = {"USERID": uid, "FIRSTNAME": FIRST[n], "LASTNAME": LAST[n],
                            "EMAIL": f"{FIRST[n].lower()}@agency.example", "ACTIVE": "1" if n < 3 else "0"}  # fmt: skip
        for n in range(max(2, records // 6)):
            at += timedelta(minutes=7)
            jid, city = str(20_000 + n), rnd.choice(("Newark", "Boston", "Austin"))
            s.jobs[jid] = {
                "JOBID": jid, "JOBDIVANO": f"24-{n:05d}", "TITLE": rnd.choice(TITLES), "COMPANYID": str(800 + n % 3),
                "COMPANYNAME": ("Acme Health", "Globex", "Initech")[n % 3], "DIVISIONID": "1",
                "DIVISIONNAME": "Staffing              ", "JOBSTATUS": "OPEN" if n % 5 else "CLOSED",
                "DATESTATUSUPDATED": stamp(at), "PRIORITY": "A", "POSITIONTYPE": "Contract", "OPENINGS": "2",
                "FILLS": "0", "ISSUEDATE": stamp(at), "CITY": city, "STATE": "NJ", "PRIMARYRECRUITERID": "500",
                "PRIMARYSALESID": "501", "PRIMARYOWNERID": "501", "DATEUPDATED": stamp(at),
            }  # fmt: skip
        for n in range(max(2, records * 2 // 3)):
            at += timedelta(minutes=5)
            s.add_candidate(rnd.choice(FIRST), rnd.choice(LAST), f"cand{n}@mail.example", at)
        cands, jobs = list(s.candidates), list(s.jobs)
        for n in range(records):
            at += timedelta(minutes=3)
            row = s.add_activity(rnd.choice(cands), rnd.choice(jobs), at, rnd.choice(STATUSES))
            if n % 7 == 3:
                row.update(HIREFLAG="1", START_STATUS="Active", STARTDATE=stamp(at), STATUS="Placed")
            elif n % 7 == 5:
                row.update(EXTERNALREJECTDATE=stamp(at), STATUS="Client Rejected")
        for _ in range(records // 3):
            at += timedelta(minutes=2)
            s.add_note(rnd.choice(cands), "Left a voicemail about the role.", None, at)
        s._last = at
        return s

    def add_candidate(self, first: str, last: str, email: str, at: datetime | None = None) -> Raw:
        at, cid = at or self.now(), self.new_id()
        self.candidates[cid] = {
            "CANDIDATEID": cid, "FIRSTNAME": first, "LASTNAME": last, "EMAIL": email, "ALTERNATEEMAIL": "",
            "CELLPHONE": "(201) 555-0100", "HOMEPHONE": "", "WORKPHONE": "", "CITY": "Newark", "STATE": "NJ",
            "ZIPCODE": "07102", "COUNTRY": "US", "TITLE": "Engineer", "DATECREATED": stamp(at),
            "DATEUPDATED": stamp(at),
        }  # fmt: skip
        return self.candidates[cid]

    def add_activity(self, candidate_id: str, job_id: str, at: datetime | None = None,
                     status: str = "Submitted") -> Raw:  # fmt: skip
        at, aid = at or self.now(), self.new_id()
        self.activities[aid] = {
            "ACTIVITYID": aid, "JOBID": job_id, "JOBREFERENCENUMBER": self.jobs[job_id]["JOBDIVANO"],
            "CANDIDATEID": candidate_id, "USERID": "500", "STATUS": status, "SUBMITTALFLAG": "1",
            "INTERNALSUBMITTALFLAG": "0", "SUBMITTALDATE": stamp(at), "INTERVIEWFLAG": "0", "INTERVIEWDATE": "",
            "HIREFLAG": "0", "STARTDATE": "", "START_STATUS": "", "EXTERNALREJECTDATE": "", "INTERNALREJECTDATE": "",
            "DATECREATED": stamp(at), "ACTIVITYDATE": stamp(at),
        }  # fmt: skip
        return self.activities[aid]

    def add_note(self, candidate_id: str, note: str, job_id: str | None, at: datetime | None = None) -> Raw:
        at, nid = at or self.now(), self.new_id()
        self.notes[nid] = {"NOTEID": nid, "CANDIDATEID": candidate_id, "RECRUITERID": "500", "ACTION": "Note",
                           "NOTE": note, "JOBID": job_id or "", "DATECREATED": stamp(at),
                           "DATEUPDATED": stamp(at)}  # fmt: skip
        return self.notes[nid]

    def touch(self, kind: str, rid: str, **changes: str) -> None:
        row = getattr(self, kind)[rid]
        row.update(changes)
        row[UPDATED[kind]] = stamp(self.now())

    def delete(self, kind: str, rid: str) -> None:
        getattr(self, kind).pop(rid)
        self.deleted.setdefault(kind, []).append((rid, self.now()))

    def delete_candidate(self, cid: str) -> None:
        """A candidate goes with its activities and notes."""
        for kind in ("activities", "notes"):
            for rid in [r for r, row in getattr(self, kind).items() if row["CANDIDATEID"] == cid]:
                self.delete(kind, rid)
        self.delete("candidates", cid)

    def create_note(self, body: Raw) -> str:
        """``createCandidateNote``: refusals are ``JobDivaException``s (HTTP 420, METHOD_FAILURE) [3p]."""
        cid, note = str(body.get("candidateid") or ""), body.get("note")
        if not isinstance(note, str) or not note.strip():
            raise VendorError(420, "Error: Note is required.")
        if cid not in self.candidates:
            raise VendorError(420, f"Error: Candidate {cid} is not found.")
        job = str(body.get("link2AnOpenJob") or "")
        if job and job not in self.jobs:
            raise VendorError(420, f"Error: Job {job} is not found.")
        return str(self.add_note(cid, note.strip(), job or None)["NOTEID"])

    def create_candidate(self, body: Raw) -> str:
        """``createCandidate`` (camelCase JSON) -> the new id."""
        first, last, email = (str(body.get(k) or "").strip() for k in ("firstName", "lastName", "email"))
        if not (first and last):
            raise VendorError(420, "Error: First Name and Last Name are required.")
        row = self.add_candidate(first, last, email.lower())
        row.update(CELLPHONE=str(body.get("cellphone") or ""), CITY=str(body.get("city") or ""),
                   STATE=str(body.get("state") or ""), ZIPCODE=str(body.get("zipCode") or ""))  # fmt: skip
        return str(row["CANDIDATEID"])

    def search(self, body: Raw) -> list[Raw]:
        """``searchCandidateProfile``: ``Candidate`` objects (camelCase, numeric ids) [3p]."""
        email = str(body.get("email") or "").strip().lower()
        found = [c for c in self.candidates.values() if email and c["EMAIL"].lower() == email]
        return [{"id": int(c["CANDIDATEID"]), "firstName": c["FIRSTNAME"], "lastName": c["LASTNAME"],
                 "email": c["EMAIL"], "city": c["CITY"], "state": c["STATE"], "zipCode": c["ZIPCODE"],
                 "country": c["COUNTRY"], "homePhone": c["HOMEPHONE"], "workPhone": c["WORKPHONE"]}
                for c in found[: int(body.get("maxreturned") or 100)]]  # fmt: skip

    def apply(self, body: Raw) -> str:
        """``createJobApplication`` -> ``true``; the activity shows in the activity report."""
        cid, jid = str(body.get("candidateid") or ""), str(body.get("jobid") or "")
        if cid not in self.candidates or jid not in self.jobs:
            raise VendorError(420, f"Error: Candidate {cid} or job {jid} is not found.")
        if any((a["CANDIDATEID"], a["JOBID"]) == (cid, jid) for a in self.activities.values()):
            raise VendorError(420, "Error: This candidate has already applied to this job.")
        self.add_activity(cid, jid, status="Applied")
        return "true"

"""The fake Zoho Recruit tenant: users, tags, the Application_Status picklist, job openings, candidates,
applications, notes, the deleted-records log, and the mutations tests, ``simulate`` and the write handlers make.
Shapes: see the package docstring."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import OAuth2ClientCredentials, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, tzinfo=UTC)
STATUSES = ("New", "In-Review", "Qualified", "Interview-Scheduled", "Offer-Made", "Hired", "Rejected",
            "Offer-Declined", "On-Hold")  # fmt: skip
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton")
OWNER = {"name": "Patricia Boyle", "id": "568998000000277007"}
#: A long-lived token the fake accepts besides the issued ones (the shape tests' credential).
STATIC_TOKEN = "1000.zr_static_token"


def stamp(ts: datetime) -> str:
    """Zoho's timestamps: ISO 8601 with the offset, second precision (``2021-02-02T06:38:24+00:00``)."""
    return ts.astimezone(UTC).isoformat(timespec="seconds")


class ZohoAuth(OAuth2ClientCredentials):
    """Zoho Accounts' refresh-token grant at ``/oauth/v2/token`` (fields in the form or the query) and the
    ``Authorization: Zoho-oauthtoken <token>`` header. A refused grant is HTTP 200 ``{"error": "invalid_code"}``."""

    def __init__(self, client_id: str, client_secret: str, refresh_token: str) -> None:
        super().__init__(client_id, client_secret, path="/oauth/v2/token")
        self.refresh_token = refresh_token

    def check(self, request: Request) -> Principal | None:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Zoho-oauthtoken "):
            return None
        token = auth.removeprefix("Zoho-oauthtoken ")
        if token == STATIC_TOKEN:
            return Principal(token)
        scope = dict(request.scope)
        scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k != b"authorization"]
        scope["headers"].append((b"authorization", f"Bearer {token}".encode()))
        return super().check(Request(scope))

    async def _grant(self, request: Request) -> Response:
        raw = await request.body()
        form = {k: v[0] for k, v in parse_qs(raw.decode(errors="replace")[:16_384]).items()}
        form.update({k: v for k, v in request.query_params.items() if k not in form})
        if form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": "unsupported_grant_type"})
        if form.get("refresh_token") != self.refresh_token:
            return JSONResponse({"error": "invalid_code"})
        issued = self.issue(form.get("client_id", ""), form.get("client_secret", ""))
        if issued is None:
            return JSONResponse({"error": "invalid_client"})
        token, expires = issued
        return JSONResponse({"access_token": token, "api_domain": str(request.base_url).rstrip("/"),
                             "token_type": "Bearer", "expires_in": int(expires - time.time())})  # fmt: skip

    def routes(self) -> list[Route]:
        return [Route(self.path, self._grant, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {**super().describe(), "refresh_token": self.refresh_token}


@dataclass
class FakeState(Seeded):
    client_id: str = "1000.ZRCLIENT"
    client_secret: str = "zr_secret"
    refresh_token: str = "1000.zr_refresh"
    users: dict[str, Raw] = field(default_factory=dict)
    tags: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, Raw] = field(default_factory=dict)
    #: module -> the deleted-records log (``/{module}/deleted``).
    deleted: dict[str, list[Raw]] = field(default_factory=dict)
    _next: int = 568998000001000000
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(ZohoAuth(self.client_id, self.client_secret, self.refresh_token))

    def module(self, name: str) -> dict[str, Raw]:
        tables = {"Job_Openings": self.jobs, "Candidates": self.candidates, "Applications": self.applications,
                  "Notes": self.notes}  # fmt: skip
        if name not in tables:
            raise VendorError(400, "the module name given seems to be invalid", code="INVALID_MODULE")
        return tables[name]

    def uid(self) -> str:
        self._next += 1 + self.rng.randrange(7)
        return str(self._next)

    def now(self) -> datetime:
        return datetime.fromtimestamp(int(self.advance()), UTC)  # Zoho's times have second precision

    def _meta(self, raw: Raw, when: datetime) -> Raw:
        raw.update(Created_Time=stamp(when), Modified_Time=stamp(when), Created_By=OWNER, Modified_By=OWNER,
                   **{"$approved": True})  # fmt: skip
        return raw

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for n, (first, last) in enumerate((("Patricia", "Boyle"), ("Ravi", "Kumar"), ("Mia", "Chen"))):
            uid = OWNER["id"] if n == 0 else s.uid()
            s.users[uid] = {"id": uid, "first_name": first, "last_name": last, "full_name": f"{first} {last}",
                            "email": f"{first.lower()}@acme.example", "status": "active" if n < 2 else "disabled",
                            "role": {"name": "CEO", "id": "5689980000000263"}, "confirm": True}  # fmt: skip
        for name in ("Java", "Remote", "Referral"):
            tid = s.uid()
            s.tags[tid] = s._meta({"id": tid, "name": name}, BASE)
        for n in range(max(3, records // 6)):
            jid, when = s.uid(), BASE + timedelta(days=n)
            s.jobs[jid] = s._meta({"id": jid, "Job_Opening_Name": f"Job {n}", "Posting_Title": f"Job {n}",
                "Job_Opening_ID": f"ZR_{n + 1}_JOB", "Job_Opening_Status": "Filled" if n % 5 == 4 else "In-progress",
                "Job_Type": ("Full time", "Part time", "Contract")[n % 3], "Remote_Job": n % 2 == 0,
                "City": "Chennai", "State": "TN", "Country": "India", "Zip_Code": "600001",
                "Department_Name": {"name": "Engineering", "id": "568998000000300001"}, "Industry": "Technology",
                "Work_Experience": "1-3 years", "Salary": "50000", "Job_Description": f"<p>Job {n}</p>",
                "Date_Opened": "2024-04-01", "Target_Date": "2024-06-30", "Number_of_Positions": "2",
                "Assigned_Recruiter": [{"name": OWNER["name"], "id": OWNER["id"], "email": "patricia@acme.example"}],
                "Client_Name": None, "Publish": n % 2 == 0}, when)  # fmt: skip
        open_jobs = [j for j in list(s.jobs)[1:] if s.jobs[j]["Job_Opening_Status"] == "In-progress"]
        for n in range(records):  # the first job opening has no applications (a free pair for the shape tests)
            cand = s.add_candidate(n, BASE + timedelta(days=s.rng.randint(0, 400), minutes=n))
            s.associate(cand["id"], s.rng.choice(open_jobs), when=s.candidates[cand["id"]]["Created_Time"],
                        status=s.rng.choice(STATUSES))  # fmt: skip
        return s

    def add_candidate(self, n: int, when: datetime, fields: Raw | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        cid = self.uid()
        tag = self.tags[sorted(self.tags)[n % len(self.tags)]] if n % 4 == 0 else None
        cand = self._meta({"id": cid, "Candidate_ID": f"ZR_{n + 1}_CAND", "First_Name": first, "Last_Name": last,
                "Full_Name": f"{first} {last}", "Email": f"{first}.{last}.{n}@mail.example".lower(),
                "Secondary_Email": None, "Mobile": f"+91 98400 {n:05d}" if n % 2 else None, "Phone": None,
                "Source": "Added by User", "Origin": "Added by User", "Current_Employer": "Acme" if n % 3 else None,
                "Current_Job_Title": "Engineer", "Experience_in_Years": n % 12, "Skill_Set": "Java, SQL",
                "City": "Chennai", "Country": "India", "Candidate_Status": "New", "Candidate_Owner": OWNER,
                "Associated_Tags": [{"name": tag["name"], "id": tag["id"]}] if tag else [], "Is_Locked": False,
                "Rating": None}, when)  # fmt: skip
        cand.update(fields or {})
        self.candidates[cid] = cand
        return cand

    def associate(self, cand_id: str, job_id: str, *, when: str | None = None, status: str = "Associated") -> Raw:
        cand, job = self.candidates.get(cand_id), self.jobs.get(job_id)
        if cand is None or job is None:
            raise VendorError(400, "the related id given seems to be invalid", code="INVALID_DATA")
        if any(a["Candidate_Name"]["id"] == cand_id and a["Job_Opening_Name"]["id"] == job_id
               for a in self.applications.values()):  # fmt: skip
            raise VendorError(400, "Candidate already associated with the job opening", code="ALREADY_ASSOCIATED")
        aid, stamped = self.uid(), when or stamp(self.now())
        app = {"id": aid, "Application_ID": f"ZR_{len(self.applications) + 1}_APP", "Application_Status": status,
               "Candidate_Name": {"name": cand["Full_Name"], "id": cand_id}, "Email": cand["Email"],
               "Job_Opening_Name": {"name": job["Job_Opening_Name"], "id": job_id}, "Application_Owner": OWNER,
               "Created_Time": stamped, "Modified_Time": stamped, "Created_By": OWNER, "Modified_By": OWNER,
               "$approved": True}  # fmt: skip
        self.applications[aid] = app
        return app

    def touch(self, raw: Raw, **changes: Any) -> Raw:
        raw.update(changes, Modified_Time=stamp(self.now()))
        return raw

    def set_status(self, cand_id: str, job_id: str | None, status: str) -> Raw:
        cand = self.candidates.get(cand_id)
        if cand is None:
            raise VendorError(400, "the id given seems to be invalid", code="INVALID_DATA")
        if job_id is None:
            return self.touch(cand, Candidate_Status=status)
        app = next((a for a in self.applications.values() if a["Candidate_Name"]["id"] == cand_id
                    and a["Job_Opening_Name"]["id"] == job_id), None)  # fmt: skip
        if app is None:
            raise VendorError(400, "the candidate is not associated with the job opening", code="NOT_ASSOCIATED")
        return self.touch(app, Application_Status=status)

    def delete(self, module: str, rid: str) -> None:
        """To the recycle bin: gone from listings, named in ``/{module}/deleted``; a candidate takes its
        applications with it."""
        raw = self.module(module).pop(rid)
        name = raw.get("Full_Name") or raw.get("Job_Opening_Name") or raw.get("Application_ID")
        self.deleted.setdefault(module, []).append({"deleted_by": OWNER, "id": rid, "display_name": name,
            "type": "recycle", "created_by": OWNER, "deleted_time": stamp(self.now())})  # fmt: skip
        if module == "Candidates":
            for aid in [a for a, app in self.applications.items() if app["Candidate_Name"]["id"] == rid]:
                self.delete("Applications", aid)

    def add_note(self, fields: Raw) -> Raw:
        module, parent = str(fields.get("se_module") or ""), str(fields.get("Parent_Id") or "")
        content = fields.get("Note_Content")
        if parent not in self.module(module) or module == "Notes":
            raise VendorError(400, "the related id given seems to be invalid", code="INVALID_DATA")
        if not isinstance(content, str) or not content.strip():
            raise VendorError(400, "required field not found: Note_Content", code="MANDATORY_NOT_FOUND")
        nid = self.uid()
        note = self._meta({"id": nid, "Note_Title": fields.get("Note_Title"), "Note_Content": content,
                           "Parent_Id": {"name": None, "id": parent}, "se_module": module}, self.now())  # fmt: skip
        self.notes[nid] = note
        return note

    def tag(self, cand_id: str, names: list[str], add: bool) -> Raw:
        cand = self.candidates.get(cand_id)
        if cand is None:
            raise VendorError(400, "the id given seems to be invalid", code="INVALID_DATA")
        current = [t for t in cand["Associated_Tags"] if add or t["name"] not in names]
        for name in names if add else []:
            tag = next((t for t in self.tags.values() if t["name"] == name), None)
            if tag is None:
                tid = self.uid()
                tag = self.tags[tid] = self._meta({"id": tid, "name": name}, self.now())
            if all(t["id"] != tag["id"] for t in current):
                current.append({"name": name, "id": tag["id"]})
        return self.touch(cand, Associated_Tags=current)

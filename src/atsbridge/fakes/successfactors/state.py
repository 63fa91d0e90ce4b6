"""The fake SuccessFactors tenant: status sets, requisitions, candidates, applications, comments, and the
mutations tests, ``simulate`` and the write handlers make. Rows are stored as OData v2 JSON values (dates
``/Date(ms)/``; ``lastModifiedDateTime`` as ``/Date(ms+0000)/``, as recorded)."""

from __future__ import annotations

import contextlib
import copy
import os
import random
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.odata import date
from atsbridge.fakes.kit.saml import SamlBearer
from atsbridge.fakes.kit.seeded import Seeded

Row = dict[str, Any]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
AUDIENCE = "www.successfactors.com"
#: status set id -> (appStatusId, name, application ``status`` text, hired) in pipeline order.
SETS = {
    "101": [("1001", "Default", "Open"), ("1002", "Phone Screen", "Open"), ("1003", "Interview", "Open"),
            ("1004", "Offer", "Open"), ("1005", "Hired", "Open"), ("1006", "Disqualified", "Disqualified"),
            ("1007", "Withdrawn By Candidate", "Withdraw")],
    "102": [("1011", "Default", "Open"), ("1012", "Assessment", "Open"), ("1013", "Hired", "Open"),
            ("1014", "Not Selected", "Disqualified"), ("1015", "Hired On Other Requisition", "Closed")],
}  # fmt: skip
TAGS = ({"tagId": "t1", "label": "Java"}, {"tagId": "t2", "label": "Referral"}, {"tagId": "t3", "label": "Nordics"})
#: Statuses only SuccessFactors itself sets (KBA 3151226).
SYSTEM = {"Withdrawn By Candidate", "Hired On Other Requisition"}
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")
URI = re.compile(r"^(?:.*/)?(JobApplication|Candidate)\((?:applicationId=|candidateId=)?(\d{1,20})L?\)$")


@cache
def tenant_key() -> rsa.RSAPrivateKey:
    """The private key of the fake tenant's registered OAuth client: made once on this machine and kept in the
    temp folder, so ``atsbridge fake-ats successfactors`` and ``atsbridge integrations create --fake`` (two
    processes) agree on it. A test key of a test server: no real tenant trusts it."""
    path = Path(tempfile.gettempdir()) / "atsbridge-fake-successfactors-key.pem"
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, rsa.RSAPrivateKey):
            return key
    except (OSError, ValueError):
        pass
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        scratch.write_bytes(pem)
        scratch.chmod(0o600)
        os.replace(scratch, path)
    return key


def private_pem() -> str:
    return tenant_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode()  # fmt: skip


@dataclass
class FakeState(Seeded):
    company_id: str = "SFCPART001523"
    client_id: str = "sf_api_key"
    user_id: str = "sfapi"
    password: str = "sf_legacy_password"
    statuses: dict[str, Row] = field(default_factory=dict)
    requisitions: dict[str, Row] = field(default_factory=dict)
    candidates: dict[str, Row] = field(default_factory=dict)
    applications: dict[str, Row] = field(default_factory=dict)
    comments: dict[str, Row] = field(default_factory=dict)
    users: dict[str, Row] = field(default_factory=dict)
    interviews: dict[str, Row] = field(default_factory=dict)
    offers: dict[str, Row] = field(default_factory=dict)
    #: Entity sets the API user has no permission for (answered 403, as a tenant without the RCM permission).
    denied: set[str] = field(default_factory=set)
    seq: int = 90_000
    TICK = 0.002

    def __post_init__(self) -> None:
        auth = SamlBearer(company_id=self.company_id, client_id=self.client_id, user_id=self.user_id,
                          public_key=tenant_key().public_key(), audience=AUDIENCE, password=self.password)  # fmt: skip
        self.serve(auth)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for set_id, items in SETS.items():
            for sid, name, _ in items:
                state.statuses[sid] = {"appStatusId": sid, "appStatusName": name, "appStatusSetId": set_id}
        for n in range(max(3, records // 6)):
            jid, when = str(2000 + n), BASE + timedelta(days=n)
            state.requisitions[jid] = {
                "jobReqId": jid, "templateId": "50" + "12"[n % 2], "statusSetId": "10" + "12"[n % 2],
                "deleted": False, "isDraft": False, "city": ("Stockholm", "Gothenburg")[n % 2], "country": "SE",
                "location": "1910-0002", "department": ("Engineering", "Operations")[n % 2], "division": "Nordics",
                "numberOpenings": 2, "openingsFilled": 0, "createdDateTime": date(when),
                "closedDateTime": date(when + timedelta(days=90)) if n % 5 == 4 else None,
                "lastModifiedDateTime": date(when, True), "salaryMin": 50000.0, "salaryMax": 70000.0,
                "currency": "SEK",
                "_locale": [{"jobReqId": jid, "locale": "en_US", "jobTitle": f"Job {n}", "externalTitle": f"Job {n}",
                             "jobDescription": f"<p>Job {n}</p>"}],
            }  # fmt: skip
        for n, uid in enumerate((state.user_id, "sfadmin", "recruiter1", "manager1")):
            state.users[uid] = {"userId": uid, "firstName": FIRST[n], "lastName": LAST[n], "status": "tf"[n // 3],
                                "email": f"{uid}@acme.example", "lastModifiedDateTime": date(BASE, True)}  # fmt: skip
        open_jobs = [j for j, r in state.requisitions.items() if not r["closedDateTime"]]
        for n in range(records):
            when = BASE + timedelta(days=state.rng.randint(0, 400), minutes=n)
            cand = state._candidate(n, when, None)
            app = state._apply(cand, state.requisitions[state.rng.choice(open_jobs)], when, random_status=True)
            if n % 4 == 1:
                iid = state.new_id()
                state.interviews[iid] = {"applicationInterviewId": iid, "applicationId": app["applicationId"],
                                         "startDate": date(when + timedelta(days=3)), "notes": None,
                                         "endDate": date(when + timedelta(days=3, hours=1)),
                                         "status": "cancelled" if n % 8 == 1 else "scheduled"}  # fmt: skip
            if n % 5 == 2:
                state.add_comment({"applicationId": app["applicationId"], "commentContent": "Good phone screen."})
            if app["hiredOn"]:
                oid = state.new_id()
                state.offers[oid] = {"offerApprovalId": oid, "applicationId": app["applicationId"],
                                     "salaryBase": 60000.0, "currency": "SEK", "approvers": None}  # fmt: skip
        return state

    def now(self) -> datetime:
        return self.tick()

    def set_of(self, job: Row) -> list[Row]:
        return [s for s in self.statuses.values() if s["appStatusSetId"] == job["statusSetId"]]

    def _candidate(self, n: int, when: datetime, email: str | None) -> Row:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        cid = self.new_id()
        row = {"candidateId": cid, "firstName": first, "lastName": last,
               "primaryEmail": email or f"{first}.{last}.{n}@mail.example".lower(), "contactEmail": None,
               "cellPhone": f"+46 8 555 {n}" if n % 2 else None, "city": "Stockholm", "country": "SE",
               "currentTitle": "Engineer" if n % 3 else None, "creationDateTime": date(when),
               "lastModifiedDateTime": date(when, True), "anonymized": False, "externalCandidate": True,
               "partnerSource": None, "_tags": [TAGS[n % 3]] if n % 3 else []}  # fmt: skip
        self.candidates[cid] = row
        return row

    def _apply(self, cand: Row, job: Row, when: datetime, random_status: bool = False) -> Row:
        statuses = self.set_of(job)
        status = self.rng.choice(statuses) if random_status else statuses[0]
        aid = self.new_id()
        app = {"applicationId": aid, "candidateId": cand["candidateId"], "jobReqId": job["jobReqId"],
               "appStatusSetItemId": status["appStatusId"], "status": "Open", "firstName": cand["firstName"],
               "lastName": cand["lastName"], "contactEmail": cand["primaryEmail"], "cellPhone": cand["cellPhone"],
               "source": "Career Site", "hiredOn": None, "hireDate": None, "averageRating": "-1",
               "anonymizedFlag": False, "applicationDate": date(when),
               "lastModifiedDateTime": date(when, True)}  # fmt: skip
        self.applications[aid] = app
        self._set_status(app, status, when)
        return app

    def _set_status(self, app: Row, status: Row, when: datetime) -> None:
        text = next(t for sid, _, t in SETS[status["appStatusSetId"]] if sid == status["appStatusId"])
        hired = status["appStatusName"] == "Hired"
        app.update(appStatusSetItemId=status["appStatusId"], status=text, hiredOn=date(when) if hired else None,
                   lastModifiedDateTime=date(when, True))  # fmt: skip

    # ------------------------------------------------------------------------------------- mutations
    def edit_candidate(self, cid: str, **changes: Any) -> Row:
        with self.lock:
            self.candidates[cid].update(changes, lastModifiedDateTime=date(self.now(), True))
            return self.candidates[cid]

    def move(self, app_id: str, status_id: str) -> Row:
        with self.lock:
            app = self.applications.get(app_id)
            if app is None:
                raise VendorError(404, f"JobApplication {app_id} not found")
            status = self.statuses.get(status_id)
            if status is None or status not in self.set_of(self.requisitions[app["jobReqId"]]):
                raise VendorError(400, f"Invalid appStatusSetItemId {status_id} for the requisition's status set")
            if status["appStatusName"] in SYSTEM:
                raise VendorError(400, "You are not allowed to change the candidate application status")
            self._set_status(app, status, self.now())
            return app

    def delete_candidate(self, cid: str) -> None:
        """A purge (Data Retention Management): the rows vanish; SuccessFactors has no deletion feed."""
        with self.lock:
            self.candidates.pop(cid)
            for aid in [a for a, app in self.applications.items() if app["candidateId"] == cid]:
                self.applications.pop(aid)
                for table in (self.comments, self.interviews, self.offers):
                    for key in [k for k, row in table.items() if row["applicationId"] == aid]:
                        table.pop(key)

    def create_candidate(self, body: Row) -> Row:
        with self.lock:
            missing = [k for k in ("primaryEmail", "firstName", "lastName", "country") if not body.get(k)]
            if missing:
                raise VendorError(400, f"[COE_PROPERTY_REQUIRED] Candidate: {missing[0]} is required")
            email = str(body["primaryEmail"]).lower()
            if any(c["primaryEmail"] == email for c in self.candidates.values()):
                raise VendorError(400, f"A candidate with the e-mail {email} already exists")
            row = self._candidate(len(self.candidates), self.now(), email)
            row.update({k: v for k, v in body.items() if k in row and k not in ("candidateId", "primaryEmail")})
            return row

    def create_application(self, body: Row) -> Row:
        with self.lock:
            cand = self.candidates.get(str(body.get("candidateId")))
            job = self.requisitions.get(str(body.get("jobReqId")))
            if cand is None or job is None:
                raise VendorError(400, "[COE_PROPERTY_INVALID] JobApplication: unknown candidateId or jobReqId")
            if job["closedDateTime"] or job["deleted"]:
                raise VendorError(400, f"Job requisition {job['jobReqId']} is not open for applications")
            if any(a["candidateId"] == cand["candidateId"] and a["jobReqId"] == job["jobReqId"]
                   for a in self.applications.values()):  # fmt: skip
                raise VendorError(400, "The candidate has already applied to this job requisition")
            app = self._apply(cand, job, self.now())
            app.update({k: v for k, v in body.items() if k in app and k not in ("applicationId", "candidateId")})
            return app

    def add_comment(self, body: Row) -> Row:
        with self.lock:
            app_id, text = str(body.get("applicationId")), body.get("commentContent")
            if app_id not in self.applications or not isinstance(text, str) or not text.strip():
                raise VendorError(400, "[COE_PROPERTY_INVALID] JobApplicationComments: applicationId and "
                                       "commentContent are required")  # fmt: skip
            row = {"commentId": self.new_id(), "applicationId": app_id, "commentator": self.user_id,
                   "commentContent": text, "creationDate": date(self.now())}  # fmt: skip
            self.comments[row["commentId"]] = row
            return row

    def upsert(self, rows: list[Row]) -> list[Row]:
        """``POST /upsert``: one result per row, errors inside HTTP 200 (``status: ERROR``)."""
        out: list[Row] = []
        for row in rows:
            uri = str((row.get("__metadata") or {}).get("uri") or "")
            match = URI.match(uri)
            fields = {k: v for k, v in row.items() if k != "__metadata"}
            try:
                if match is None:
                    raise VendorError(400, f"Invalid __metadata.uri {uri[:80]!r}")
                kind, key = match.groups()
                if kind == "JobApplication":
                    if "appStatusSetItemId" in fields:
                        self.move(key, str(fields.pop("appStatusSetItemId")))
                    app = self.applications.get(key)
                    if app is None:
                        raise VendorError(404, f"JobApplication {key} not found")
                    app.update({k: v for k, v in fields.items() if k in app and k != "applicationId"})
                elif key in self.candidates:
                    self.edit_candidate(key, **{k: v for k, v in fields.items() if k in self.candidates[key]
                                                and k != "candidateId"})  # fmt: skip
                else:
                    raise VendorError(404, f"Candidate {key} not found")
                out.append({"key": f"{kind}/{key}", "status": "OK", "editStatus": "UPSERTED", "message": None,
                            "index": len(out), "httpCode": 204, "inlineResults": None})  # fmt: skip
            except VendorError as exc:
                out.append({"key": None, "status": "ERROR", "editStatus": None, "message": exc.message,
                            "index": len(out), "httpCode": exc.status, "inlineResults": None})  # fmt: skip
        return copy.deepcopy(out)

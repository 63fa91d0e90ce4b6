"""A stateful fake of Cornerstone OnDemand's Recruiting API (``atsbridge fake-ats cornerstoneondemand``).

**No CSOD payload was ever recorded**: requisitions carry the fields the reference lists [conn] (``ReqId,
Title, CareerSites[{Name, EffectiveDate, ExpirationDate}], RangeLow, RangeHigh, Currency, Address, ExternalAd,
InternalAd, DivisionId, LocationId``) plus an assumed ``Status``; applicant rows are an assumed shape named
after the listing's filters [gap] (``payloads/`` holds one of each, written from those field lists).

Served under ``/services/api``: ``POST /oauth2/token`` (camelCase **JSON** ``{clientId, clientSecret,
grantType, scope}``; a form is refused with 400); ``GET /Recruiting/JobRequisitionDetails`` (``lastModifiedSince``
UTC ``yyyy-mm-ddThh:mm:ss``, which **ignores career-site changes**; ``FromDate``/``ToDate`` on creation,
``Statuses`` comma list, ``ReqId``, ``Title``); ``GET /Recruiting/JobApplicant`` (``CurrentStatus`` **required**,
400 without it; ``StatusDate`` ``yyyy-mm-dd``, read as on-or-after [gap]; ``CsodGUID``, ``FirstName``,
``LastName``, ``RequisitionID``, ``JobTitle``); ``POST /Recruiting/JobApplicantUpdateStatus``
(``{"data": {"record": [...]}}``, per-record ``Result``; an unknown status is a 400) and ``POST
/x/candidate/v1/application`` (an existing candidate with the mail is reused; a second application to the same
requisition is refused; the requisition must be Open; answer ``{"data": {"candidateId", "jobRequisitionId"}}``
[gap]). Paging ``Page``/``PageSize`` (<= 100) into ``{"data": [...]}``. No deletion feed. Errors
``{"error": {"code", "message", "field"}}`` [gap]; 10 requests a second, then 429 (no headers [gap]).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import JsonClientCredentials
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, error_object
from atsbridge.fakes.kit.paging import PageNumber
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks, reply
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
API = "/services/api"
CLIENT_ID, CLIENT_SECRET = "csod_client", "csod_secret"
PROBE_TOKEN = "csod_probe_token"
#: An authenticated read and its headers, for generic tests (the fake issues this token at start).
PROBE = (f"{API}/Recruiting/JobRequisitionDetails", {"Authorization": f"Bearer {PROBE_TOKEN}"})
PAGER = PageNumber(page_param="Page", size_param="PageSize", default_size=25, max_size=100, data_key="data")
#: The tenant's applicant statuses (Cornerstone's out-of-the-box names; tenants configure their own).
STATUSES = ("New Submission", "In Review", "Phone Screen", "Interview", "Offer Letter", "Hired", "Closed")
OPEN_STATUSES = STATUSES[:5]
FIRST = ("Ava", "Noah", "Mia", "Liam", "Zoé", "Hugo", "Emma", "Lucas")
LAST = ("Smith", "Martin", "Garcia", "Müller", "Rossi", "Dubois")
TITLES = ("Payroll Specialist", "Store Manager", "Data Engineer", "HR Business Partner", "Nurse")
EPOCH = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
FMT = "%Y-%m-%dT%H:%M:%S"


def _obj(value: Any) -> Raw:
    return value if isinstance(value, dict) else {}


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime(FMT)


@dataclass
class FakeState(FakeBase):
    requisitions: dict[str, Raw] = field(default_factory=dict)  # ReqId -> row (+ ``_modified``, ``_created``)
    users: dict[str, Raw] = field(default_factory=dict)  # UserId -> the person
    applicants: dict[str, Raw] = field(default_factory=dict)  # "ReqId:UserId" -> status row (+ ``_at``)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    seq: int = 48000
    oauth: JsonClientCredentials = field(
        default_factory=lambda: JsonClientCredentials(CLIENT_ID, CLIENT_SECRET, path=f"{API}/oauth2/token")
    )

    def __post_init__(self) -> None:
        FakeBase.__init__(self, self.oauth, FixedWindow(*self.rate, announce=False) if self.rate else None)
        self.oauth.grant(PROBE_TOKEN)

    def next_id(self) -> int:
        self.seq += 1
        return self.seq

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i in range(max(2, records // 10)):
            s.add_requisition(EPOCH + timedelta(days=i), "Closed" if i % 5 == 4 else "Open")
        open_reqs = [r for r, row in s.requisitions.items() if row["Status"] == "Open"]
        people = [s.add_user(EPOCH) for _ in range(max(1, records * 4 // 5))]
        for _ in range(records * 20):  # bounded: a tiny tenant may have fewer (requisition, person) pairs
            if len(s.applicants) >= records:
                break
            user, req = s.rng.choice(people), s.rng.choice(open_reqs)
            if f"{req}:{user}" not in s.applicants:
                s.add_applicant(req, user, s.rng.choice(STATUSES), EPOCH + timedelta(hours=len(s.applicants)))
        return s

    # ------------------------------------------------------------------------------------------ records
    def add_requisition(self, at: datetime, status: str = "Open") -> Raw:
        n = self.next_id()
        req = f"Req{n}"
        title = self.rng.choice(TITLES)
        self.requisitions[req] = {
            "ReqId": req, "Title": title, "Status": status, "DivisionId": f"DIV-{n % 4}",
            "LocationId": f"LOC-{n % 3}", "RangeLow": 40000 + n % 7 * 1000, "RangeHigh": 55000 + n % 7 * 1000,
            "Currency": "EUR",
            "Address": {"Line1": f"{n % 90 + 1} Rue de Rivoli", "Line2": None, "City": "Paris", "State": None,
                        "PostalCode": "75001", "Country": "FR"},
            "ExternalAd": f"<p>{title}: join us.</p>", "InternalAd": f"<p>{title} (internal mobility)</p>",
            "CareerSites": [{"Name": "External Career Site", "EffectiveDate": stamp(at), "ExpirationDate": None}],
            "_created": at, "_modified": at,
        }  # fmt: skip
        return self.requisitions[req]

    def add_user(self, at: datetime, first: str | None = None, last: str | None = None,
                 email: str | None = None, phone: str | None = None) -> str:  # fmt: skip
        uid = str(self.next_id())
        self.users[uid] = {"UserId": int(uid), "CsodGUID": f"{int(uid):08x}-csod-4a1b-9c2d-{int(uid):012x}",
                           "FirstName": first or self.rng.choice(FIRST), "LastName": last or self.rng.choice(LAST),
                           "Email": email or f"applicant{uid}@mail.example",
                           "Phone": phone or f"+33 6 {int(uid) % 100:02d} {int(uid) // 100 % 100:02d} 00"}  # fmt: skip
        return uid

    def add_applicant(self, req: str, uid: str, status: str, at: datetime, source: str = "Career Site") -> Raw:
        row = {"RequisitionID": req, "_user": uid, "CurrentStatus": status, "_at": at,
               "ApplicationDate": stamp(at), "SubmissionSource": source}  # fmt: skip
        self.applicants[f"{req}:{uid}"] = row
        return row

    def render(self, row: Raw) -> Raw:
        user = self.users[row["_user"]]
        return {**{k: user[k] for k in ("UserId", "CsodGUID", "FirstName", "LastName", "Email", "Phone")},
                "RequisitionID": row["RequisitionID"], "JobTitle": self.requisitions[row["RequisitionID"]]["Title"],
                "CurrentStatus": row["CurrentStatus"], "StatusDate": stamp(row["_at"]),
                "ApplicationDate": row["ApplicationDate"], "SubmissionSource": row["SubmissionSource"]}  # fmt: skip

    def set_status(self, req: str, uid: str, status: str) -> bool:
        row = self.applicants.get(f"{req}:{uid}")
        if row is None:
            return False
        row["CurrentStatus"], row["_at"] = status, datetime.now(UTC)
        return True

    def apply(self, body: Raw) -> Raw:
        req = str(body.get("jobRequisitionId") or "")
        cand = _obj(body.get("candidate"))
        if req not in self.requisitions:
            raise VendorError(400, f"Job requisition {req!r} was not found", code="InvalidRequisition",
                              field="jobRequisitionId")  # fmt: skip
        if self.requisitions[req]["Status"] != "Open":
            raise VendorError(400, f"Job requisition {req} is not open", code="RequisitionNotOpen")
        email = str(cand.get("email") or "")
        for key in ("firstName", "lastName", "email"):
            if not cand.get(key):
                raise VendorError(400, f"candidate.{key} is required", code="Required", field=f"candidate.{key}")
        if "@" not in email:
            raise VendorError(400, "candidate.email is not a valid email", code="Invalid", field="candidate.email")
        for slot, limit in (("resume", 10 * 10**6), ("coverLetter", 5 * 10**6)):
            if isinstance(body.get(slot), dict) and len(str(body[slot].get("file") or "")) * 3 // 4 > limit:
                raise VendorError(400, f"{slot} is too large", code="FileTooLarge", field=slot)
        uid = next((u for u, p in self.users.items() if p["Email"].lower() == email.lower()), None)
        if uid is not None and f"{req}:{uid}" in self.applicants:
            raise VendorError(400, "The candidate has already applied to this requisition", code="AlreadyApplied")
        contact = _obj(cand.get("contactDetails"))
        if uid is None:
            uid = self.add_user(datetime.now(UTC), str(cand["firstName"]), str(cand["lastName"]), email,
                                contact.get("phoneNumber"))  # fmt: skip
        src = _obj(body.get("source"))
        row = self.add_applicant(
            req, uid, STATUSES[0], datetime.now(UTC), src.get("submissionSource") or "Candidate API"
        )
        row["_files"] = [k for k in ("resume", "coverLetter") if isinstance(body.get(k), dict)]
        return {"candidateId": self.users[uid]["UserId"], "jobRequisitionId": req}

    def delete_user(self, uid: str) -> None:
        del self.users[uid]
        for key in [k for k, a in self.applicants.items() if a["_user"] == uid]:
            del self.applicants[key]


# ---------------------------------------------------------------------------------------------- reads
def _when(value: str, name: str, fmt: str) -> datetime:
    try:
        return datetime.strptime(value, fmt).replace(tzinfo=UTC)
    except ValueError:
        raise VendorError(400, f"{name} must be formatted {fmt.replace('%', '')}", code="InvalidFormat",
                          field=name) from None  # fmt: skip


def _page(call: Call[FakeState], rows: list[Raw]) -> Any:
    cursor = PAGER.cursor(call.request)
    page, following = PAGER.slice(cursor, [((i,), r) for i, r in enumerate(rows)], call.fake.page_cap)
    return PAGER.reply(call.request, page, following).body


def list_requisitions(call: Call[FakeState]) -> Any:
    q = call.query
    rows = list(call.fake.requisitions.values())
    if q.get("lastModifiedSince"):
        since = _when(q["lastModifiedSince"], "lastModifiedSince", FMT)
        rows = [r for r in rows if r["_modified"] >= since]
    if q.get("FromDate"):
        rows = [r for r in rows if r["_created"] >= _when(q["FromDate"], "FromDate", FMT)]
    if q.get("ToDate"):
        rows = [r for r in rows if r["_created"] <= _when(q["ToDate"], "ToDate", FMT)]
    if q.get("Statuses"):
        wanted = {s.strip().lower() for s in q["Statuses"].split(",")}
        rows = [r for r in rows if r["Status"].lower() in wanted]
    for key in ("ReqId", "Title"):
        if q.get(key):
            rows = [r for r in rows if r[key] == q[key]]
    return _page(call, [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])


def list_applicants(call: Call[FakeState]) -> Any:
    q = call.query
    status = q.get("CurrentStatus")
    if not status:
        raise VendorError(400, "CurrentStatus is required", code="Required", field="CurrentStatus")
    rows = [call.fake.render(a) for a in call.fake.applicants.values() if a["CurrentStatus"].lower() == status.lower()]
    if q.get("StatusDate"):
        day = _when(q["StatusDate"], "StatusDate", "%Y-%m-%d").strftime(FMT)
        rows = [r for r in rows if r["StatusDate"] >= day]
    for key in ("CsodGUID", "FirstName", "LastName", "RequisitionID", "JobTitle"):
        if q.get(key):
            rows = [r for r in rows if str(r[key]).lower() == q[key].lower()]
    rows.sort(key=lambda r: (r["RequisitionID"], r["UserId"]))
    return _page(call, rows)


# --------------------------------------------------------------------------------------------- writes
def update_status(call: Call[FakeState]) -> Any:
    body = call.json_object()
    records = (body.get("data") or {}).get("record") if isinstance(body.get("data"), dict) else None
    if not isinstance(records, list) or not records:
        raise VendorError(400, "data.record must be a non-empty list", code="Required", field="data.record")
    out = []
    for rec in records:
        rec = rec if isinstance(rec, dict) else {}
        status = str(rec.get("Status") or "")
        if status not in STATUSES:
            raise VendorError(400, f"Status {status!r} is not a valid applicant status", code="InvalidStatus",
                              field="Status")  # fmt: skip
        done = call.fake.set_status(str(rec.get("JobRequisitionId")), str(rec.get("UserId")), status)
        out.append({**rec, "Result": "Success" if done else "Failed",
                    "Message": None if done else "Applicant not found for this requisition"})  # fmt: skip
    return {"data": {"record": out}}


def post_application(call: Call[FakeState]) -> Any:
    return reply({"status": 201, "data": call.fake.apply(call.json_object())}, 201)


# ------------------------------------------------------------------------------------------- simulate
def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    key = pick(rnd, fake.applicants)
    if key is None:
        return None
    row = fake.applicants[key]
    fake.set_status(row["RequisitionID"], row["_user"], rnd.choice([s for s in STATUSES if s != row["CurrentStatus"]]))
    return Change("applicants", key, "updated")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    reqs = [r for r, row in fake.requisitions.items() if row["Status"] == "Open"]
    if not reqs:
        return None
    made = fake.apply({"jobRequisitionId": rnd.choice(reqs), "candidate": {
        "firstName": rnd.choice(FIRST), "lastName": "Sim", "email": f"sim{fake.seq}@mail.example"}})  # fmt: skip
    return Change("applicants", f"{made['jobRequisitionId']}:{made['candidateId']}", "created")


_delete = delete_one(lambda f: f.users, FakeState.delete_user, "candidates")


def _retitle(fake: FakeState, rnd: random.Random) -> Change | None:
    req = pick(rnd, fake.requisitions)
    if req is None:
        return None
    row = fake.requisitions[req]
    row["Title"], row["_modified"] = rnd.choice([t for t in TITLES if t != row["Title"]]), datetime.now(UTC)
    return Change("requisitions", req, "updated")


HOOKS = Hooks(
    lambda f: {"requisitions": len(f.requisitions), "candidates": len(f.users), "applicants": len(f.applicants)},
    simulator(_move, _move, _move, _apply, _delete, _retitle, refused=(VendorError,)),
    lambda f: {"jobs": list(f.requisitions), "applications": list(f.applicants),
               "candidates": sorted({a["_user"] for a in f.applicants.values()})},
    {"requisitions": "jobs", "candidates": "candidates", "applicants": "applications"},
)  # fmt: skip
SPEC = FakeSpec(
    name="cornerstoneondemand",
    errors=error_object,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{API}/Recruiting/JobRequisitionDetails", list_requisitions),
        Endpoint("GET", f"{API}/Recruiting/JobApplicant", list_applicants),
        Endpoint("POST", f"{API}/Recruiting/JobApplicantUpdateStatus", update_status),
        Endpoint("POST", f"{API}/x/candidate/v1/application", post_application),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a portal with ``records`` applicant rows.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "corp": "acme", "applicant_statuses": ",".join(STATUSES)},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)

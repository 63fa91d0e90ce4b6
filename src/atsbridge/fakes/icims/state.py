"""The fake iCIMS tenant: companies, jobs, people, applicant workflows and the customer's status nodes, with
the mutations tests, ``simulate`` and the write handlers make. Shapes: see the package docstring."""

from __future__ import annotations

import copy
import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from atsbridge.fakes.kit.auth import Auth, BasicAuth, OAuth2ClientCredentials, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow, Verdict
from atsbridge.fakes.kit.seeded import Seeded
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, tzinfo=UTC)
HOST = "https://api.icims.com/customers/1234"
#: The customer's workflow: ``D…`` standard nodes, ``C…`` customer-defined ones [rec id styles].
STATUSES = (("D10100", "New Submission"), ("C36951", "Phone Screen"), ("C36952", "Interview"), ("D10500", "Offer"),
            ("D10600", "Hired"), ("D10700", "Rejected"), ("D10800", "Candidate Withdrew"))  # fmt: skip
FOLDERS = (("D31002", "Approved - Open"), ("D31004", "Closed (Filled)"))
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton")
US = {"id": "D41001", "abbrev": "US", "value": "United States"}
ADDRESS = "Acme Learning, Inc. - 3035 Washington St  Roxbury, Massachusetts 02119-1227 United States "
#: 20,000 requests a day [rec 2016].
DAILY = (20000, 86400.0)
PROFILES = ("jobs", "people", "applicantworkflows", "companies")
ENTITY = {"jobs": "job", "people": "person", "applicantworkflows": "applicantworkflow", "companies": "company"}


#: ``2016-04-27 10:22 AM`` [conn: an iCIMS assessment partner's client]; UTC here [gap].
DATE_FORMAT = "%Y-%m-%d %I:%M %p"


def stamp(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime(DATE_FORMAT)


def parse_date(value: str) -> datetime:
    """A stamp (or an ISO timestamp) as a datetime; ValueError otherwise."""
    try:
        return datetime.strptime(value.strip(), DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromisoformat(value.strip())


def node(pair: tuple[str, str]) -> Raw:
    return {"id": pair[0], "formattedvalue": pair[1], "value": pair[1]}


def link(title: str, url: str) -> Raw:
    return {"rel": "self", "title": title, "url": url}


class DailyQuota(FixedWindow):
    """iCIMS' quota headers: lowercase ``x-ratelimit-*``, ``x-ratelimit-reset`` in seconds until the window
    (the day, 00:00 UTC) ends [rec], and no ``Retry-After``."""

    def admit(self) -> Verdict:
        verdict = super().admit()
        start, _count = self._window
        headers = {k.lower(): v for k, v in verdict.headers.items() if k != "Retry-After"}
        headers["x-ratelimit-reset"] = str(max(math.ceil(start + self.per - time.time()), 0))
        return Verdict(verdict.allowed, headers)


class BasicOrOAuth(Auth):
    """iCIMS issues either a Basic user or an OAuth2 client (token at ``POST /oauth/token``); both are accepted."""

    def __init__(self, basic: BasicAuth, oauth: OAuth2ClientCredentials) -> None:
        self.basic, self.oauth = basic, oauth
        self.challenge = basic.challenge

    def check(self, request: Request) -> Principal | None:
        return self.basic.check(request) or self.oauth.check(request)

    def routes(self) -> list[Route]:
        return self.oauth.routes()

    def describe(self) -> dict[str, str]:
        return {**self.basic.describe(), **self.oauth.describe()}


@dataclass
class FakeState(Seeded):
    user: str = "icims_user"
    password: str = "icims_pass"
    customer_id: str = "1234"
    companies: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Raw] = field(default_factory=dict)
    people: dict[str, Raw] = field(default_factory=dict)
    applicantworkflows: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = DAILY
    #: Most hits one search answers (1000 at iCIMS; smaller in tests that page).
    search_cap: int = 1000
    TICK = 1.0

    def __post_init__(self) -> None:
        oauth = OAuth2ClientCredentials("icims_client", "icims_secret", path="/oauth/token")
        FakeBase.__init__(self, BasicOrOAuth(BasicAuth(self.user, self.password, realm="iCIMS"), oauth),
                          DailyQuota(*self.rate, prefix="x-ratelimit-") if self.rate else None)  # fmt: skip

    def table(self, profile: str) -> dict[str, Raw]:
        found: dict[str, Raw] = getattr(self, profile)
        return found

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = DAILY) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        state.companies["1800"] = {
            "addresses": [{"addresscity": "Roxbury", "entry": 23, "addresszip": "02119-1227", "addressstate":
                          {"id": "D41001024", "abbrev": "MA", "value": "Massachusetts"}, "addresscountry": US,
                          "addressstreet1": "3035 Washington St"}, {"entry": 409, "addresscountry": US}],
            "folder": {"id": "D33001", "formattedvalue": "Active Location", "value": "Active Location"},
            "name": "Acme Learning, Inc.",
            "links": [link("The current profile being viewed.", f"{HOST}/companies/1800")],
        }  # fmt: skip
        for n in range(max(3, records // 6)):
            jid, when = str(1100 + n), BASE + timedelta(days=n)
            state.jobs[jid] = {
                "jobtitle": f"Job {n}",
                "positioncategory": node((f"C368{20 + n % 3}", ("Education", "Sales", "IT")[n % 3])),
                "links": [link("The current profile being viewed.", f"{HOST}/jobs/{jid}")],
                "joblocation": {"companyid": 1800, "address": f"{HOST}/companies/1800/fields/addresses/23", "id": 23,
                                "value": ADDRESS},
                "numberofpositions": 1 + n % 4, "folder": node(FOLDERS[1 if n % 5 == 4 else 0]),
                "createddate": stamp(when), "updateddate": stamp(when),
            }  # fmt: skip
        state.seq = 19000
        for n in range(records):
            job = state.rng.choice(sorted(state.jobs))
            state.apply(job, None, BASE + timedelta(days=state.rng.randint(0, 300), minutes=n), n=n,
                        status=state.rng.choice(STATUSES))  # fmt: skip
        return state

    # ------------------------------------------------------------------------------------- mutations
    def now(self) -> datetime:
        return self.tick()

    def add_person(self, body: Raw, when: datetime | None = None, n: int = 0) -> str:
        with self.lock:
            email = str(body.get("email") or "").lower()
            if not body.get("lastname") or "@" not in email:
                raise VendorError(400, "Field lastname and a valid email are required", code="1001")
            when = when or self.now()
            pid = self.new_id()
            person: Raw = {"firstname": body.get("firstname"), "lastname": body["lastname"], "email": email,
                           "createddate": stamp(when), "updateddate": stamp(when),
                           "links": [link("The current profile being viewed.", f"{HOST}/people/{pid}")]}  # fmt: skip
            phones = [p for p in body.get("phones") or [] if isinstance(p, dict) and p.get("phonenumber")]
            if phones or n % 2:
                numbers = [p["phonenumber"] for p in phones] or [f"617-555-{n:04d}"]
                person["phones"] = [{"entry": 1, "phonenumber": number, "phonetype": node(("D84002", "Mobile"))}
                                    for number in numbers]  # fmt: skip
            if n % 3:
                person["addresses"] = [{"entry": 7, "addresscity": "Boston", "addresscountry": US}]
            self.people[pid] = person
            return pid

    def apply(self, job: str, person: str | None, when: datetime, *, n: int = 0, status: tuple[str, str] | None = None,
              body: Raw | None = None) -> str:  # fmt: skip
        with self.lock:
            if person is None:
                first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
                person = self.add_person({"firstname": first, "lastname": last,
                                          "email": f"{first}.{last}.{n}@mail.example"}, when, n)  # fmt: skip
            if job not in self.jobs or person not in self.people:
                raise VendorError(400, "baseprofile and associatedprofile must name a job and a person", code="1002")
            if any(w["baseprofile"]["id"] == int(job) and w["associatedprofile"]["id"] == int(person)
                   for w in self.applicantworkflows.values()):  # fmt: skip
                raise VendorError(400, "This person has already applied to this job", code="1003")
            wid = self.new_id()
            p = self.people[person]
            wf: Raw = {
                "associatedprofile": {"profile": f"{HOST}/people/{person}", "id": int(person),
                                      "value": f"{p.get('firstname') or ''} {p['lastname']}".strip()},
                "baseprofile": {"profile": f"{HOST}/jobs/{job}", "id": int(job), "value": self.jobs[job]["jobtitle"]},
                "links": [link("The current profile being viewed.", f"{HOST}/applicantworkflows/{wid}"),
                          link("The base profile of this workflow.", f"{HOST}/jobs/{job}"),
                          link("The associated profile of this workflow.", f"{HOST}/people/{person}")],
                "source": node(("D12001", "Career Site")),
                "sourcename": (body or {}).get("sourcename") or "Careers page",
                "createddate": stamp(when), "updateddate": stamp(when),
            }  # fmt: skip
            if status is not None:
                wf["status"] = node(status)
            self.applicantworkflows[wid] = wf
            return wid

    def set_status(self, wid: str, status_id: str) -> None:
        with self.lock:
            found = next((s for s in STATUSES if s[0] == status_id), None)
            if found is None:
                raise VendorError(400, f"Invalid status id {status_id!r} for this workflow", code="1004")
            self.applicantworkflows[wid].update(status=node(found), updateddate=stamp(self.now()))

    def edit_person(self, pid: str, **changes: Any) -> None:
        with self.lock:
            self.people[pid].update(changes, updateddate=stamp(self.now()))

    def delete_person(self, pid: str) -> None:
        """No deletion feed at iCIMS: the person and their workflows simply stop being found."""
        with self.lock:
            self.people.pop(pid)
            for wid in [w for w, wf in self.applicantworkflows.items() if wf["associatedprofile"]["id"] == int(pid)]:
                self.applicantworkflows.pop(wid)

    def add_results(self, wid: str, entries: list[Raw]) -> None:
        with self.lock:
            wf = self.applicantworkflows[wid]
            wf["assessmentresults"] = [*wf.get("assessmentresults", []), *copy.deepcopy(entries)]
            wf["updateddate"] = stamp(self.now())

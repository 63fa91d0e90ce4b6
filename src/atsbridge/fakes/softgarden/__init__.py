"""A stateful fake of softgarden's Frontend API v3 jobs list (``atsbridge fake-ats softgarden``).

**No softgarden job payload was ever recorded** (the one recorded example, a legacy v2 applicant-facing
application, is not valid JSON as published): jobs are built field by field from the fields the open-source
clients read [conn] (see the connector's ``mappers``), dates in epoch milliseconds.

Served: ``GET /api/rest/v3/frontend/jobslist/{channel}`` (``{"results": [...]}``, the whole channel in one
answer) and ``.../jobslist/{channel}/job/{jobId}``, authorised by HTTP Basic with the client id as user and an
empty password [doc]. A wrong channel answers 404; a wrong client id 401 [gap: the exact statuses and error body
are not documented; ``{"message": ...}`` here]. Beyond the rate window (default 10/s, none documented) 429.
Taking a job offline removes it from the listing (``simulate``'s ``unpublish``); applying to it then answers 410.
The applicant-account apply flow (accounts, user tokens, drafts, save, submit) is in :mod:`.apply`; errors are
``{"code", "message"}`` as the apply pages document them [doc].
Built on the fake engine: faults, the request log and the control API (``/__fake/...``) are the kit's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, code_message
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase
from atsbridge.fakes.softgarden.apply import ENDPOINTS as APPLY_ENDPOINTS
from atsbridge.fakes.softgarden.apply import Applicants, ClientOrApplicant, policy_ok

__all__ = ["PROBE", "SPEC", "Applicants", "FakeState", "conformance_setup", "create_app", "policy_ok"]

Raw = dict[str, Any]
LIST = "/api/rest/v3/frontend/jobslist/{channel}"
PROBE = ("/api/rest/v3/frontend/jobslist/125411_extern", {"Authorization": "Basic c2dfY2xpZW50Og=="})
START = datetime(2024, 3, 4, 8, tzinfo=UTC)
TITLES = ("Softwareentwickler (m/w/d)", "Vertriebsmitarbeiter (m/w/d)", "Werkstudent Marketing (m/w/d)",
          "Buchhalter (m/w/d)", "Pflegefachkraft (m/w/d)")  # fmt: skip
PLACES = (("Berlin", "Berlin", "10115"), ("München", "Bayern", "80331"), ("Hamburg", "Hamburg", "20095"))


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


@dataclass
class FakeState(FakeBase):
    channel: str = "125411_extern"
    client_id: str = "sg_client"
    jobs: dict[str, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    now: datetime = START
    applicants: Applicants = field(default_factory=Applicants)

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, ClientOrApplicant(self.client_id, self.applicants), limit)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for _ in range(max(3, min(records // 5, 500))):
            state.post()
        return state

    def stamp(self) -> int:
        self.now += timedelta(minutes=11)
        return _ms(self.now)

    def post(self) -> Raw:
        """A job newly published on the channel, every field the clients read."""
        rnd = self.rng
        job_id = str(rnd.randrange(10_000_000, 99_999_999))
        while job_id in self.jobs:
            job_id = str(rnd.randrange(10_000_000, 99_999_999))
        city, state, zip_code = rnd.choice(PLACES)
        job: Raw = {
            "jobDbId": job_id, "externalPostingName": rnd.choice(TITLES),
            "applyOnlineLink": f"https://acme.softgarden.io/de/job/{job_id}/apply",
            "company_id": "4711", "company_name": "Acme GmbH", "geo_city": city, "geo_country": "DE",
            "geo_lat": "52.52", "geo_long": "13.40", "geo_name": f"{city}, {state}", "geo_state": state,
            "geo_street": "Hauptstraße 1", "geo_zip": zip_code, "locale": "de",
            "jobAdText": "<p>Ihre Aufgaben</p>", "internalJobAdText": None,
            "jobStartDate": _ms(START + timedelta(days=30)), "postingLastUpdatedDate": self.stamp(),
            "job_ad_url": f"https://acme.softgarden.io/de/job/{job_id}",
            "project_number": f"P-{rnd.randrange(100, 999)}",
            "employmentTypes": ["EMPLOYMENT_TYPE_1"], "industries": ["21"],
            "workTimes": ["WORKING_HOURS_FULLTIME"],
            "workExperiences": ["c4b3e8d2-0f4a-4b8e-9c1a-3d2e1f0a9b8c"],
            "remote_status": rnd.choice(("NONE", "HYBRID", "REMOTE")), "keywords": "",
        }  # fmt: skip
        self.jobs[job_id] = job
        return job


def _channel(call: Call[FakeState]) -> None:
    if call.path["channel"] != call.fake.channel:
        raise VendorError(404, "Channel not found")


def list_jobs(call: Call[FakeState]) -> Raw:
    _channel(call)
    return {"results": list(call.fake.jobs.values())}


def get_job(call: Call[FakeState]) -> Raw:
    _channel(call)
    found = call.fake.jobs.get(call.path["job"])
    if found is None:
        raise VendorError(404, "Job not found")
    return found


def _retitle(fake: FakeState, rnd: random.Random) -> Change | None:
    job_id = pick(rnd, fake.jobs)
    if job_id is None:
        return None
    fake.jobs[job_id].update(externalPostingName=f"{rnd.choice(TITLES)} #{rnd.randrange(50)}",
                             postingLastUpdatedDate=fake.stamp())  # fmt: skip
    return Change("jobs", job_id, "updated")


def _unpublish(fake: FakeState, rnd: random.Random) -> Change | None:
    job_id = pick(rnd, fake.jobs)
    if job_id is None or len(fake.jobs) < 2:
        return None
    del fake.jobs[job_id]
    fake.applicants.inactive.add(job_id)
    return Change("jobs", job_id, "deleted")


def _post(fake: FakeState, rnd: random.Random) -> Change | None:
    return Change("jobs", fake.post()["jobDbId"], "created")


HOOKS = Hooks(
    lambda fake: {"jobs": len(fake.jobs)},
    simulator(_retitle, _retitle, _unpublish, _post),
    lambda fake: {"jobs": list(fake.jobs)},
    {"jobs": "jobs"},
)
SPEC = FakeSpec(
    name="softgarden",
    errors=code_message,
    hooks=HOOKS,
    endpoints=[Endpoint("GET", LIST, list_jobs), Endpoint("GET", f"{LIST}/job/{{job}}", get_job), *APPLY_ENDPOINTS],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake company with ``records // 5`` jobs on its
#: channel (at least 3; or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/api/rest/v3/frontend/jobslist/125411_extern",
                      "channel_id": "125411_extern"},
    {"client_id": "sg_client"},
)  # fmt: skip

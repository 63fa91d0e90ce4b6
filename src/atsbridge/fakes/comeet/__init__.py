"""A stateful fake of Comeet's Careers API for tests and demos (``atsbridge fake-ats comeet``).

**No Comeet payload was ever recorded**: positions are built field by field from the documented Careers
position model (developers.comeet.com, "Careers position model" [doc]; see the connector's ``mappers``).

Served: ``GET /careers-api/2.0/company/{company_uid}/positions`` (every published position in one array;
``details=true`` adds the ``details`` sections) and ``.../positions/{uid}``, authorised by ``?token=``. A
wrong company UID answers 404; a wrong or missing token 401 [gap: the status Comeet uses is not documented].
Errors are ``{"message": ...}`` [gap]. Beyond the rate window (default 10/s, Comeet documents none) 429.
Unpublishing a position removes it from the listing (``simulate``'s ``unpublish``), as on Comeet.
Every position change is pushed to the registered webhook URLs as Comeet's position updates (``webhooks``).
Built on the fake engine: faults, the request log and the control API (``/__fake/...``) are the kit's.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.comeet.webhooks import WEBHOOKS, PositionChange
from atsbridge.fakes.kit.auth import QueryKey
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, message_only
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
PREFIX = "/careers-api/2.0/company/{company}"
BASE = datetime(2024, 4, 1, tzinfo=UTC)
TITLES = ("Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter", "SRE")
DEPARTMENTS = ("R&D", "Design", "Sales", "Operations")
CITIES = (("Tel Aviv", "IL"), ("New York", "US"), ("London", "GB"), ("Berlin", "DE"))
EMPLOYMENT = ("Full-time", "Part-time", "Contractor", "Internship")
WORKPLACE = ("On-site", "Hybrid", "Remote")


@dataclass
class FakeState(FakeBase):
    company_uid: str = "89.002"
    token: str = "comeet_token"
    positions: dict[str, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    clock: datetime = BASE

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, QueryKey(self.token, "token"), limit)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for _ in range(max(3, min(records // 5, 500))):
            state.publish()
        return state

    def tick(self) -> str:
        self.clock += timedelta(minutes=7)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def publish(self, name: str | None = None) -> Raw:
        """A newly published position (documented Careers position model, every field present)."""
        rnd = self.rng
        uid = f"{rnd.randrange(0x10, 0xFF):02X}.{rnd.randrange(0x100, 0xFFF):03X}"
        while uid in self.positions:
            uid = f"{rnd.randrange(0x10, 0xFF):02X}.{rnd.randrange(0x100, 0xFFF):03X}"
        city, country = rnd.choice(CITIES)
        host = f"https://www.comeet.com/jobs/acme/{self.company_uid}"
        position: Raw = {
            "uid": uid, "name": name or rnd.choice(TITLES), "department": rnd.choice(DEPARTMENTS),
            "email": f"jobs+{uid.lower()}@acme.comeet.co", "url_comeet_hosted_page": f"{host}/{uid}",
            "url_active_page": f"https://acme.example/careers?comeet_pid={uid}",
            "employment_type": rnd.choice(EMPLOYMENT), "experience_level": rnd.choice(("Junior", "Mid", "Senior")),
            "workplace_type": rnd.choice(WORKPLACE), "internal_use_custom_id": f"REQ-{rnd.randrange(1000, 9999)}",
            "picture_url": None, "time_updated": self.tick(), "company_name": "Acme",
            "position_url": f"https://www.comeet.co/careers-api/2.0/company/{self.company_uid}/positions/{uid}",
            "location": {"name": f"{city} office", "country": country, "city": city, "state": None,
                         "postal_code": None, "street_name": None, "street_number": None, "timezone": None,
                         "arrival_instructions": None, "is_remote": False},
            "categories": [{"name": "Team", "value": rnd.choice(DEPARTMENTS), "order": 1}],
            "details": [{"name": "Description", "value": "<p>What you will do.</p>", "order": 1},
                        {"name": "Requirements", "value": "<ul><li>Curiosity</li></ul>", "order": 2}],
        }  # fmt: skip
        self.positions[uid] = position
        return position

    def edit(self, uid: str, **changes: Any) -> None:
        self.positions[uid].update(changes, time_updated=self.tick())

    def unpublish(self, uid: str) -> None:
        del self.positions[uid]


def _company(call: Call[FakeState]) -> None:
    if call.path["company"] != call.fake.company_uid:
        raise VendorError(404, "Company not found")


def _public(position: Raw, details: bool) -> Raw:
    return position if details else {k: v for k, v in position.items() if k != "details"}


def list_positions(call: Call[FakeState]) -> list[Raw]:
    _company(call)
    details = call.query.get("details") == "true"
    return [_public(p, details) for p in call.fake.positions.values()]


def get_position(call: Call[FakeState]) -> Raw:
    _company(call)
    found = call.fake.positions.get(call.path["uid"])
    if found is None:
        raise VendorError(404, "Position not found")
    return _public(found, call.query.get("details") == "true")


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    uid = pick(rnd, fake.positions)
    if uid is None:
        return None
    fake.edit(uid, name=f"{rnd.choice(TITLES)} ({rnd.randrange(100)})")
    return PositionChange("positions", uid, "updated", copy.deepcopy(fake.positions[uid]))


def _unpublish(fake: FakeState, rnd: random.Random) -> Change | None:
    uid = pick(rnd, fake.positions)
    if uid is None or len(fake.positions) < 2:
        return None
    gone = copy.deepcopy(fake.positions[uid])
    fake.unpublish(uid)
    return PositionChange("positions", uid, "deleted", gone)


def _publish(fake: FakeState, rnd: random.Random) -> Change | None:
    position = fake.publish()
    return PositionChange("positions", position["uid"], "created", copy.deepcopy(position))


HOOKS = Hooks(
    lambda fake: {"positions": len(fake.positions)},
    simulator(_edit, _edit, _unpublish, _publish),
    lambda fake: {"jobs": list(fake.positions)},
    {"positions": "jobs"},
    WEBHOOKS,
)
SPEC = FakeSpec(
    name="comeet",
    errors=message_only,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{PREFIX}/positions", list_positions),
        Endpoint("GET", f"{PREFIX}/positions/{{uid}}", get_position),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake company with ``records // 5`` published
#: positions (at least 3; or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/careers-api/2.0/company/89.002", "company_uid": "89.002"},
    {"token": "comeet_token"},
)

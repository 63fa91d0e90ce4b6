"""A stateful fake of ReachMee's public API v1 (``atsbridge fake-ats reachmee``).

**No ReachMee payload was ever recorded**: records are built field by field from client code [conn] (the
ColigoAB C# client's User/Role/Organization models; the job-feed fields a feed consumer reads, see the
connector's ``mappers``). Keys are served in lower snake case [gap: the wire casing is unverified].

Served under ``/api/public/v1`` (one site host):

* Admin API, HTTP Basic ``apiUserName:apiKey`` [conn]: ``GET /users`` (``page_size``, ``page`` from 1, filters
  ``user_name``, ``email``, ``external_org_unit_id``, ``employee_number``; an empty filter is no filter, as the
  client sends them all) answering ``{"pages", "total_count", "result", "prev", "next"}`` with ready-made
  ``next``/``prev`` URLs (null at the ends) [conn]; page sizes above 100 are refused [gap]. ``GET /roles`` and
  ``GET /orgunits`` (``external_id`` / ``internal_id`` filters, ``children``) answer plain arrays [conn].
* Public job feed, ``GET /feed/{feed_id}?lang=&customer=&format=json&feed_key=`` [conn]: no header, the
  ``feed_key`` parameter authenticates (a wrong one: 401 [gap]); an unknown feed or customer: 404 [gap]; only
  ``format=json`` is served [gap: the real feed also has XML]. It lists the **published ads in the requested
  language**; a project (job) may have several ads (advertised in two municipalities [gap: modelled so the
  connector's grouping is exercised]). Unpublishing a project removes its ads (``simulate``).
* Errors: ``{"Message": "..."}`` (ASP.NET Web API's default body) [gap: undocumented]. 10 requests/s, then 429
  with ``Retry-After`` [gap: no limit published].
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from atsbridge.fakes.kit.auth import Auth, BasicAuth, Principal, QueryKey
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
BASE = "/api/public/v1"
USER, KEY, FEED_KEY, CUSTOMER, FEED = "atsbridge_api", "rm_api_key", "rm_feed_key", "1234", "5"
PROBE = (f"{BASE}/users", {"Authorization": "Basic YXRzYnJpZGdlX2FwaTpybV9hcGlfa2V5"})
FIRST = ("Anna", "Erik", "Maja", "Lars", "Ingrid", "Olof", "Sara", "Nils")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson")
TITLES = ("Sjuksköterska", "Lärare i matematik", "Socialsekreterare", "Systemutvecklare", "Ekonom", "Undersköterska")
AREAS = (("Skåne län", "Helsingborg"), ("Skåne län", "Höganäs"), ("Stockholms län", "Solna"),
         ("Västra Götalands län", "Göteborg"))  # fmt: skip
LEVELS = (("Heltid", 1), ("Deltid", 2))
DEGREES = (("Tillsvidareanställning", 1), ("Visstidsanställning", 2), ("Vikariat", 3), ("Sommarjobb", 4))


class FeedOrBasic(Auth):
    """The feed answers its ``feed_key`` parameter, everything else HTTP Basic: two credentials, one host."""

    def __init__(self, basic: BasicAuth, feed: QueryKey) -> None:
        self.basic, self.feed = basic, feed
        self.challenge = basic.challenge

    def check(self, request: Request) -> Principal | None:
        feed = request.url.path.startswith(f"{BASE}/feed/")
        return (self.feed if feed else self.basic).check(request)

    def describe(self) -> dict[str, str]:
        return {**self.basic.describe(), "feed_key": FEED_KEY}


@dataclass
class FakeState(FakeBase):
    users: dict[str, Raw] = field(default_factory=dict)
    roles: list[Raw] = field(default_factory=list)
    orgunits: list[Raw] = field(default_factory=list)
    ads: dict[str, Raw] = field(default_factory=dict)  # ad id -> ad (each names its project)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    seq: int = 1000

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, FeedOrBasic(BasicAuth(USER, KEY), QueryKey(FEED_KEY, "feed_key")), limit)

    def next_id(self) -> int:
        self.seq += 1
        return self.seq

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        s.orgunits = [
            {"org_unit_id": 10, "external_org_unit_id": "K1", "parent_external_org_unit_id": None,
             "name": "Helsingborgs stad", "visit_address": "Stortorget 17", "visit_zip_code": "251 89",
             "visit_city": "Helsingborg", "postal_address": None, "postal_zip_code": None, "postal_city": None,
             "contact_name": None, "contact_email": None, "contact_phone": None, "review_person_email": None,
             "vat_number": "212000-1132", "children": []},
        ]  # fmt: skip
        for i, name in enumerate(("Socialförvaltningen", "Skol- och fritidsförvaltningen")):
            s.orgunits[0]["children"].append({**{k: None for k in s.orgunits[0]}, "org_unit_id": 11 + i,
                                              "external_org_unit_id": f"K1-{i + 1}", "children": [],
                                              "parent_external_org_unit_id": "K1", "name": name})  # fmt: skip
        s.roles = [{"role_id": str(i + 1), "name": name, "description": desc, "external_id": f"R{i + 1}"}
                   for i, (name, desc) in enumerate((("Administratör", "Full access"), ("Rekryterare", "Recruiter"),
                                                     ("Chef", "Hiring manager")))]  # fmt: skip
        for _ in range(max(5, records // 3)):
            s.add_user()
        for _ in range(max(3, records // 10)):
            s.publish()
        return s

    def add_user(self) -> Raw:
        uid = self.next_id()
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        user = {"user_name": f"{first.lower()}.{last.lower()}{uid}", "user_id": uid, "first_name": first,
                "surname": last, "email_work": f"{first.lower()}.{last.lower()}{uid}@helsingborg.example",
                "email_home": None, "telephone_1": "042-10 50 00", "telephone_2": None, "telephone_3": None,
                "org_unit_id": "11", "external_org_unit_id": "K1-1", "employee_number": f"E{uid}",
                "login_type": self.rng.choice(("INT", "EXT")), "last_login": "2026-11-02 08:14:00",
                "date_removed": None}  # fmt: skip
        self.users[str(uid)] = user
        return user

    def publish(self) -> str:
        """A new project with one ad, or two in different municipalities (a quarter of them)."""
        project = self.next_id()
        title = self.rng.choice(TITLES)
        for area in self.rng.sample(AREAS, 2 if self.rng.random() < 0.25 else 1):
            self.add_ad(project, title, area)
        return str(project)

    def add_ad(self, project: int, title: str, area: tuple[str, str]) -> Raw:
        ad_id = self.next_id()
        level, degree = self.rng.choice(LEVELS), self.rng.choice(DEGREES)
        link = (f"https://helsingborg.attract.reachmee.com/jobs/main?site=106&validator=abc&lang=SE&rmpage=job"
                f"&rmjob={ad_id}")  # fmt: skip
        ad = {"ad_id": ad_id, "project_id": project, "publishing_date": "2026-11-01", "expiration_date": "2026-12-15",
              "title": title, "description": f"<p>Vi söker en {title.lower()}.</p>", "prefix_text": "<p>Välkommen!</p>",
              "suffix_text": None, "hide_apply_button": False, "working_hours": level[0],
              "working_hours_id": level[1], "country_code": 143, "country": "Sverige", "position": title,
              "position_id": 300 + TITLES.index(title), "occupation_area_id": 7,
              "occupation_area": "Hälso- och sjukvård",
              "occupation_orientation_id": 71, "occupation_orientation": "Sjuksköterskor",
              "occupation_degree_id": degree[1], "occupation_degree": degree[0], "employment_level": level[0],
              "employment_level_id": level[1], "ad_language": "SE", "image_link": None, "image_alt_text": None,
              "link": link, "url": f"https://site106.reachmee.com/I003/apply?site=106&lang=SE&job_id={ad_id}",
              "contact_persons": [{"first_name": "Maja", "surname": "Nilsson", "email": "maja@helsingborg.example",
                                   "phone": "042-10 50 01", "position": "Enhetschef"}],
              "organizations": [{"orgunitseqno": 10, "nameorgunit": "Helsingborgs stad"},
                                {"orgunitseqno": 11, "nameorgunit": "Socialförvaltningen"}],
              "areas": [{"id": 12, "name": area[0]}, {"id": 1283, "name": area[1]}]}  # fmt: skip
        self.ads[str(ad_id)] = ad
        return ad

    def projects(self) -> list[str]:
        return list(dict.fromkeys(str(ad["project_id"]) for ad in self.ads.values()))

    def unpublish(self, project: str) -> None:
        for ad_id in [a for a, ad in self.ads.items() if str(ad["project_id"]) == project]:
            del self.ads[ad_id]


def _int(call: Call[FakeState], name: str, default: int) -> int:
    try:
        return int(call.query.get(name) or default)
    except ValueError:
        raise VendorError(400, f"The request is invalid: {name} must be an integer") from None


def list_users(call: Call[FakeState]) -> Raw:
    size, page = _int(call, "page_size", 50), _int(call, "page", 1)
    if not 1 <= size <= 100 or page < 1:
        raise VendorError(400, "The request is invalid: page_size must be 1..100 and page at least 1")
    wanted = {k: call.query[k] for k in ("user_name", "external_org_unit_id", "employee_number") if call.query.get(k)}
    email = (call.query.get("email") or "").lower()
    rows = [u for u in call.fake.users.values() if all(str(u[k]) == v for k, v in wanted.items())
            and (not email or email in (str(u["email_work"]).lower(), str(u["email_home"]).lower()))]  # fmt: skip
    pages = max(1, -(-len(rows) // size))

    def link(n: int) -> str | None:
        if not 1 <= n <= pages or n == page:
            return None
        return f"{call.base_url}{BASE}/users?{urlencode({**call.query, 'page_size': size, 'page': n})}"

    return {"pages": pages, "total_count": len(rows), "result": rows[(page - 1) * size : page * size],
            "prev": link(page - 1), "next": link(page + 1)}  # fmt: skip


def list_orgunits(call: Call[FakeState]) -> list[Raw]:
    ext, internal = call.query.get("external_id"), call.query.get("internal_id")
    flat = [o for top in call.fake.orgunits for o in (top, *top["children"])]
    if ext or internal:
        return [o for o in flat if (ext and o["external_org_unit_id"] == ext) or
                (internal and str(o["org_unit_id"]) == internal)]  # fmt: skip
    return call.fake.orgunits


def feed(call: Call[FakeState]) -> list[Raw]:
    if call.path["feed_id"] != FEED or call.query.get("customer") != CUSTOMER:
        raise VendorError(404, "The feed was not found")
    if call.query.get("format") != "json":
        raise VendorError(400, "Only format=json is served by this fake")
    lang = (call.query.get("lang") or "SE").upper()
    return [ad for ad in call.fake.ads.values() if ad["ad_language"] == lang]


def _retitle(fake: FakeState, rnd: random.Random) -> Change | None:
    project = pick(rnd, fake.projects())
    if project is None:
        return None
    title = f"{rnd.choice(TITLES)} ({rnd.randrange(100)})"
    for ad in fake.ads.values():
        if str(ad["project_id"]) == project:
            ad["title"] = title
    return Change("projects", project, "updated")


def _unpublish(fake: FakeState, rnd: random.Random) -> Change | None:
    project = pick(rnd, fake.projects())
    if project is None or len(fake.projects()) < 2:
        return None
    fake.unpublish(project)
    return Change("projects", project, "deleted")


def _publish(fake: FakeState, rnd: random.Random) -> Change | None:
    return Change("projects", fake.publish(), "created")


def _deactivate(fake: FakeState, rnd: random.Random) -> Change | None:
    uid = pick(rnd, [u for u, user in fake.users.items() if user["date_removed"] is None])
    if uid is None:
        return None
    fake.users[uid]["date_removed"] = "2026-12-01"
    return Change("users", uid, "updated")


def _hire_user(fake: FakeState, rnd: random.Random) -> Change | None:
    return Change("users", str(fake.add_user()["user_id"]), "created")


def _message(error: VendorError) -> Raw:
    return {"Message": error.message}


HOOKS = Hooks(
    lambda f: {"users": len(f.users), "roles": len(f.roles), "ads": len(f.ads), "projects": len(f.projects())},
    simulator(_retitle, _retitle, _unpublish, _publish, _deactivate, _hire_user),
    lambda f: {"jobs": f.projects(), "users": list(f.users), "roles": [r["role_id"] for r in f.roles]},
    {"projects": "jobs", "users": "users"},
)
SPEC = FakeSpec(
    name="reachmee",
    errors=_message,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{BASE}/users", list_users),
        Endpoint("GET", f"{BASE}/roles", lambda call: call.fake.roles),
        Endpoint("GET", f"{BASE}/orgunits", list_orgunits),
        Endpoint("GET", f"{BASE}/feed/{{feed_id}}", feed),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake site with ``records // 3`` users and
#: ``records // 10`` published projects (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{BASE}", "site": "site106", "customer": CUSTOMER, "feed_id": FEED,
                      "lang": "SE"},
    {"api_user": USER, "api_key": KEY, "feed_key": FEED_KEY},
)  # fmt: skip

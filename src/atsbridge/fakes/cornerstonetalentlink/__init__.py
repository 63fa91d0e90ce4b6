"""A stateful fake of Cornerstone TalentLink's REST proxy (``atsbridge fake-ats cornerstonetalentlink``).

**No TalentLink payload was ever recorded**: records are built field by field from the shapes HrFlow's
connector asks for [conn] (see the connector's ``mappers`` for the nested shapes, which are [gap]).

Served under ``/tlk/rest``: ``GET /candidate``, ``/application``, ``/publishedadvert`` each answering a
GraphQL-like ``query`` parameter (``query.py``) — with ``stream=true`` as **NDJSON chunks** of 10 rows
(``{"data": {"candidates": [...]}}`` per line; without it one JSON body) — ``POST /candidate`` (201 with the
candidate; ``openingId`` files an application to that opening) and each attachment's ``fileUrl``. The quirks
kept: only the selected fields are answered; ``first`` above 100 is refused; ``after`` is an offset; an empty
listing is an empty stream. Auth: headers ``username`` (``Company:user:BO``) and ``password`` plus
``?api_key=``. Rate limit not published [gap]: 10 requests/second, then 429 with ``Retry-After``. Error bodies
``{"errors": [message]}`` [gap].
"""

from __future__ import annotations

import hmac
import random
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from atsbridge.fakes.cornerstonetalentlink.query import Query, matches, parse
from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, errors_list
from atsbridge.fakes.kit.ndjson import chunks, ndjson_response
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import create_on, delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, Hooks, reply
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
COMPANY, USER, PASSWORD, API_KEY = "Acme", "api", "tl_password", "tl_key"
PREFIX = "/tlk/rest"
_PROBE_QUERY = "%7B%20publishedAdverts(first%3A%201)%20%7Bid%7D%20%7D"  # { publishedAdverts(first: 1) {id} }
PROBE = (f"{PREFIX}/publishedadvert?api_key={API_KEY}&stream=true&query={_PROBE_QUERY}",
         {"username": f"{COMPANY}:{USER}:BO", "password": PASSWORD})  # fmt: skip
EPOCH_MS = 1_700_000_000_000
FIRST = ("Anna", "Lukas", "Sofia", "Jonas", "Emma", "Noah")
LAST = ("Schmidt", "Meyer", "Rossi", "Dupont", "Smith")
STATUSES = ("New", "In review", "Interview", "Offer", "Hired")
TITLES = ("Data Engineer", "Payroll Specialist", "Store Manager", "Nurse")
CHUNK = 10


class UserKeyAuth(Auth):
    """``username``/``password`` headers and ``?api_key=``: all three must match."""

    def check(self, request: Request) -> Principal | None:
        ok = all(hmac.compare_digest(str(a).encode(), b.encode()) for a, b in (
            (request.headers.get("username", ""), f"{COMPANY}:{USER}:BO"),
            (request.headers.get("password", ""), PASSWORD),
            (request.query_params.get("api_key", ""), API_KEY)))  # fmt: skip
        return Principal(USER) if ok else None

    def describe(self) -> dict[str, str]:
        return {"company": COMPANY, "username": USER, "password": PASSWORD, "api_key": API_KEY}


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class FakeState(FakeBase):
    openings: dict[str, Raw] = field(default_factory=dict)
    adverts: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)  # with ``_candidate`` and ``_opening``
    files: dict[str, bytes] = field(default_factory=dict)  # attachment id -> content
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    seq: int = 5000
    #: Kombo: submission is asynchronous [conn]. A POSTed candidate's application is filed after this many
    #: later list requests (0: at once); ``pending`` holds (candidate id, opening id, requests left).
    filing_delay: int = 0
    pending: list[list[Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        FakeBase.__init__(self, UserKeyAuth(), FixedWindow(*self.rate, announce=False) if self.rate else None)

    def next_id(self) -> int:
        self.seq += 1
        return self.seq

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for _ in range(max(2, records // 10)):
            s.add_opening()
        for _ in range(records):
            s.add_candidate({"firstname": s.rng.choice(FIRST), "lastname": s.rng.choice(LAST),
                             "email": f"c{s.seq}@mail.example", "openingId": int(pick(s.rng, s.openings) or 0)},
                            stamp=EPOCH_MS + s.seq)  # fmt: skip
        return s

    def add_opening(self) -> None:
        oid, aid = self.next_id(), self.next_id()
        opening = {"id": oid, "jobNumber": f"REQ-{oid}", "jobTitle": self.rng.choice(TITLES)}
        self.openings[str(oid)] = opening
        self.adverts[str(aid)] = {
            "id": aid, "status": "PUBLISHED", "postingStartDate": EPOCH_MS, "postingEndDate": None,
            "creationDate": EPOCH_MS + aid, "updateDate": EPOCH_MS + aid, "jobAdTitle": opening["jobTitle"],
            "advertId": f"ADV{aid}", "opening": dict(opening),
            "jobLocations": [{"city": "Munich", "zip": "80331", "countryName": "Germany"}],
            "customFields": [], "lovs": [], "remote": False, "hybrid": True, "onSite": False,
        }  # fmt: skip

    def add_candidate(self, body: Raw, stamp: int | None = None) -> Raw:
        mail = str(body.get("email") or "")
        if "@" not in mail or not body.get("firstname") or not body.get("lastname"):
            raise VendorError(400, "firstname, lastname and a valid email are required")
        opening = body.get("openingId")
        if opening is not None and str(opening) not in self.openings:
            raise VendorError(400, f"Unknown opening {opening}")
        cid, at = self.next_id(), stamp or now_ms()
        given = body.get("address")
        address: Raw = given if isinstance(given, dict) else {}
        cand = {"id": cid, "firstname": body["firstname"], "lastname": body["lastname"], "email": mail,
                "srcChannelName": body.get("srcChannelName") or "Career site", "origin": "API", "creation": at,
                "update": at, "status": "ACTIVE", "anonymous": False, "partiallyDeleted": False,
                "address": {"address1": None, "city": "Munich", "zip": "80331", "regionName": "Bavaria",
                            "countryName": "Germany", "mobilePhone": "+49 151 0000", **address},
                "tags": [{"id": 90 + cid % 3, "name": ("Talent pool", "Referral", "Silver medal")[cid % 3],
                          "icon": None, "category": {"id": 1, "name": "General"}}] if cid % 2 else []}  # fmt: skip
        fid = self.next_id()
        cand["_attachments"] = [{"id": fid, "mimeType": "application/pdf", "fileName": f"cv-{cid}.pdf",
                                 "type": "CV"}]  # fmt: skip
        self.files[str(fid)] = b"%PDF-1.4 fake cv " + str(cid).encode()
        self.candidates[str(cid)] = cand
        if opening is not None:
            self.apply(str(cid), str(opening), at)
        return cand

    def apply(self, cid: str, opening: str, at: int | None = None) -> Raw:
        aid, at = self.next_id(), at or now_ms()
        app = {"id": aid, "sourceChannelName": self.candidates[cid]["srcChannelName"], "creation": at, "update": at,
               "applicationDate": at, "status": STATUSES[0], "memo": None, "shortListed": False, "archived": False,
               "activeApplication": True, "completionReason": None, "statusComment": None, "score": None,
               "_candidate": cid, "_opening": opening}  # fmt: skip
        self.applications[str(aid)] = app
        return app

    def file_pending(self) -> None:
        """One list request later: file the asynchronous applications whose time has come."""
        for item in list(self.pending):
            item[2] -= 1
            if item[2] < 0:
                self.pending.remove(item)
                if item[0] in self.candidates:
                    self.apply(item[0], item[1])

    def delete_candidate(self, cid: str) -> None:
        for doc in self.candidates.pop(cid)["_attachments"]:
            self.files.pop(str(doc["id"]), None)
        for aid in [a for a, app in self.applications.items() if app["_candidate"] == cid]:
            del self.applications[aid]

    # ------------------------------------------------------------------------------------------ rendering

    def render(self, kind: str, row: Raw, base: str) -> Raw:
        out = {k: v for k, v in row.items() if not k.startswith("_")}
        if kind == "candidates":
            mine = [a for a in self.applications.values() if a["_candidate"] == str(row["id"])]
            out["applications"] = [{"id": a["id"], "status": a["status"], "opening": {"id": int(a["_opening"])}}
                                   for a in mine]  # fmt: skip
            files = f"{base}{PREFIX}/candidate/{row['id']}/attachments"
            out["attachments"] = [{**d, "fileUrl": {"href": f"{files}/{d['id']}/file"}} for d in row["_attachments"]]
        elif kind == "applications":
            out["candidate"] = {"id": int(row["_candidate"])}
            out["opening"] = dict(self.openings.get(row["_opening"]) or {"id": int(row["_opening"])})
        return out


TABLES = {"candidates": "candidates", "applications": "applications", "publishedAdverts": "adverts"}
ENTITY_OF = {"candidate": "candidates", "application": "applications", "publishedadvert": "publishedAdverts"}


def listing(call: Call[FakeState]) -> Any:
    call.fake.file_pending()
    entity = ENTITY_OF.get(call.path["resource"])
    if entity is None:
        raise VendorError(404, f"Unknown resource {call.path['resource']}")
    q: Query = parse(call.query.get("query", ""))
    if q.entity != entity:
        raise VendorError(400, f"Invalid query: {q.entity} is not served by /{call.path['resource']}")
    table: dict[str, Raw] = getattr(call.fake, TABLES[entity])
    rendered = [call.fake.render(entity, table[k], call.base_url) for k in sorted(table, key=int)]
    # filters see the whole record (``id``, ``update``, ``email``...), the answer only the selected fields
    rows = [r for r in rendered if matches(r, q.where)]
    if q.descending:
        rows.reverse()
    size = min(q.first, call.fake.page_cap or q.first)
    page = [{k: r.get(k) for k in q.fields} for r in rows[q.after : q.after + size]]
    if call.query.get("stream") == "true":
        return ndjson_response(chunks(f"data.{entity}", page, CHUNK))
    return {"data": {entity: page}}


def create_candidate(call: Call[FakeState]) -> Any:
    body = call.json_object()
    opening = body.get("openingId") if call.fake.filing_delay else None
    cand = call.fake.add_candidate({k: v for k, v in body.items() if k != "openingId"} if opening else body)
    if opening is not None:
        if str(opening) not in call.fake.openings:
            raise VendorError(400, f"Unknown opening {opening}")
        call.fake.pending.append([str(cand["id"]), str(opening), call.fake.filing_delay])
    return reply(call.fake.render("candidates", cand, call.base_url), 201)


def attachment_file(call: Call[FakeState]) -> Response:
    cand = call.fake.candidates.get(call.path["cid"])
    doc = next((d for d in (cand or {}).get("_attachments", []) if str(d["id"]) == call.path["aid"]), None)
    if doc is None:
        raise VendorError(404, "Attachment not found")
    headers = {"Content-Disposition": f'attachment; filename="{doc["fileName"]}"'}
    return Response(call.fake.files[str(doc["id"])], media_type=doc["mimeType"], headers=headers)


# ---------------------------------------------------------------------------------------------- simulate


def _rename(fake: FakeState, cid: str, rnd: random.Random) -> None:
    cand = fake.candidates[cid]
    cand["firstname"] = rnd.choice([n for n in FIRST if n != cand["firstname"]])
    cand["update"] = now_ms()


def _advance(fake: FakeState, aid: str, rnd: random.Random) -> None:
    app = fake.applications[aid]
    if rnd.random() < 0.3 and app["status"] != "Rejected":
        app.update(status="Rejected", completionReason="Not qualified", archived=True, activeApplication=False)
    else:
        app["status"] = rnd.choice([s for s in STATUSES if s != app["status"]])
    app["update"] = now_ms()


def _application(fake: FakeState, opening: str, rnd: random.Random) -> object:
    cand = fake.add_candidate({"firstname": rnd.choice(FIRST), "lastname": "Sim", "email": f"sim{fake.seq}@x.example",
                               "openingId": int(opening)})  # fmt: skip
    return next(a for a, app in fake.applications.items() if app["_candidate"] == str(cand["id"]))


_edit = update_one(lambda f: f.candidates, _rename, "candidates")
_move = update_one(lambda f: f.applications, _advance, "applications")
_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")
_apply = create_on(lambda f: f.openings, _application, "applications")


HOOKS = Hooks(
    lambda f: {
        "openings": len(f.openings),
        "adverts": len(f.adverts),
        "candidates": len(f.candidates),
        "applications": len(f.applications),
    },  # fmt: skip
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError,)),
    lambda f: {
        "candidates": list(f.candidates),
        "applications": list(f.applications),
        "jobs": sorted({str(a["opening"]["id"]) for a in f.adverts.values()}),
    },  # fmt: skip
    {"candidates": "candidates", "applications": "applications", "openings": "jobs"},
)
SPEC = FakeSpec(
    name="cornerstonetalentlink",
    errors=errors_list,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", PREFIX + "/{resource:str}", listing),
        Endpoint("POST", PREFIX + "/candidate", create_candidate),
        Endpoint("GET", PREFIX + "/candidate/{cid}/attachments/{aid}/file", attachment_file),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake company with ``records`` candidates.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{PREFIX}"},
    {"company": COMPANY, "username": USER, "password": PASSWORD, "api_key": API_KEY},
)

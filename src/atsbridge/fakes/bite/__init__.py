"""A stateful fake of BITE's API v1 (``atsbridge fake-ats bite``).

**No BITE payload was ever recorded.** Job postings have the fields a maintained client reads (``rrze-jobs``
``Provider/BITE.php`` [conn]); candidates, statuses, users, notes and documents the objects Kombo and unified.to
name for BITE [3p], with field names chosen here [gap] (the connector's ``mappers`` says the same).

Served under ``/v1`` with ``BAPI-Token`` [conn]:

* ``POST /jobpostings/search`` ``{"filter": {"standard": {"active": bool}}, "offset", "limit"}`` ->
  ``{"total", "entries": [{"id", "hash"}]}``: **ids only**, each read with ``GET /jobpostings/{id}`` (the quirk).
  **Deleted postings stay**: a deletion turns ``active`` off (candidates remain linked [3p]).
* ``POST /candidates/search`` (filter ``standard.email`` / ``standard.jobPostingId``), full candidates; a
  candidate is one application to one posting, ``status`` may be **null** (no stage) [3p].
* ``GET /statuses`` (the **global** stage list [3p]), ``/users``, ``/candidates/{id}``,
  ``/candidates/{id}/notes``, ``/candidates/{id}/documents``, ``/documents/{id}/content`` (bare arrays / bytes).
* Writes: ``POST /candidates``, ``/candidates/{id}/notes`` ``{text}``, ``/candidates/{id}/documents``
  ``{name, contentType, type, content (base64)}``; 201 with the created object.

Errors ``{"code": <status>, "message"}`` [conn]. No published rate limit [gap]: 10 requests/s, then 429 with
``Retry-After``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.body_offset import body_offset_page
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import delete_one, pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks, StatusReply, reply
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
TOKEN = "bite_token"
PROBE = ("/v1/statuses", {"BAPI-Token": TOKEN})
FIRST = ("Anna", "Lukas", "Marie", "Jonas", "Sophie", "Felix")
LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber")
TITLES = ("Wissenschaftliche/r Mitarbeiter/in", "Sachbearbeiter/in Personal", "IT-Administrator/in",
          "Laboringenieur/in")  # fmt: skip
STATUSES = ("Eingang", "Vorauswahl", "Vorstellungsgespräch", "Eingestellt", "Absage")
PDF = b"%PDF-1.4\n% fake BITE document\n"


def _ts(n: int) -> str:
    return f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00+00:00"


def _error(error: VendorError) -> Any:
    """``{"code": 404, "message": "..."}``: the HTTP status as the code [conn]."""
    return {"code": error.status, "message": error.message}


@dataclass
class FakeState(FakeBase):
    postings: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    statuses: list[Raw] = field(default_factory=list)
    users: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, Raw] = field(default_factory=dict)  # each with ``_candidate``
    documents: dict[str, Raw] = field(default_factory=dict)  # each with ``_candidate`` and ``_content``
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    seq: int = 1000

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, HeaderKey(TOKEN, "BAPI-Token", ""), limit)

    def next_id(self, prefix: str) -> str:
        self.seq += 1
        return f"{prefix}{self.seq:x}"

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        s.statuses = [{"id": f"st{i + 1}", "name": name, "position": i} for i, name in enumerate(STATUSES)]
        for i in range(3):
            uid = s.next_id("u")
            s.users[uid] = {"id": uid, "firstName": FIRST[i], "lastName": LAST[i], "email": f"hr{i}@uni.example",
                            "active": i != 2}  # fmt: skip
        for _ in range(max(2, records // 10)):
            s.add_posting()
        for _ in range(records):
            s.add_candidate(s.rng.choice(list(s.postings)), {"firstName": s.rng.choice(FIRST),
                            "lastName": s.rng.choice(LAST), "email": f"c{s.seq}@mail.example"})  # fmt: skip
        for cid in list(s.candidates)[: records // 2]:
            s.add_note(cid, "Telefoninterview vereinbart")
        for cid in list(s.candidates)[: max(1, records // 4)]:
            s.add_document(cid, {"name": f"Lebenslauf-{cid}.pdf", "contentType": "application/pdf", "type": "cv",
                                 "content": base64.b64encode(PDF).decode()})  # fmt: skip
        return s

    def add_posting(self) -> Raw:
        pid = self.next_id("jp")
        n = self.seq
        posting = {
            "id": pid, "hash": "", "active": True, "title": self.rng.choice(TITLES), "identification": f"K-{n}",
            "locale": "de", "keywords": ["Universität"], "location": {"city": "Erlangen", "postalCode": "91058",
            "country": "DE", "street": "Schlossplatz 4"}, "subsidiary": {"id": "sub1", "name": "Zentrale"},
            "assignees": [next(iter(self.users))], "jobSite": {"id": "js1"}, "emailTemplate": {"id": "et1"},
            "content": {"aufgaben": "<p>Aufgaben</p>", "profil": "<p>Profil</p>"},
            "seo": {"employmentType": [self.rng.choice(("FULL_TIME", "PART_TIME", "TEMPORARY"))]},
            "channels": {
                "channel0": {"from": _ts(n), "to": "2099-12-31T23:59:59+00:00",
                             "route": {"application": f"https://bewerbung.example/{pid}/apply",
                                       "email": "jobs@uni.example", "posting": f"https://bewerbung.example/{pid}"}},
                "channel1": {"from": _ts(n), "to": "2099-12-31T23:59:59+00:00",
                             "route": {"application": None, "email": None, "posting": None}},
            },
            "custom": {"ausschreibungskennziffer": f"{n}-W", "beschaeftigungsumfang": "Vollzeit"},
        }  # fmt: skip
        self.postings[pid] = posting
        self.rehash(pid)
        return posting

    def rehash(self, pid: str) -> None:
        """``hash`` is in every posting [conn]; that it changes with the content is this fake's reading [gap]."""
        posting = self.postings[pid]
        posting["hash"] = hashlib.sha1(repr(sorted((k, repr(v)) for k, v in posting.items() if k != "hash"))
                                       .encode()).hexdigest()  # fmt: skip

    def add_candidate(self, posting_id: str, body: Raw) -> Raw:
        posting = self.postings.get(posting_id)
        if posting is None:
            raise VendorError(404, f"Job posting {posting_id} not found")
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email or not body.get("firstName") or not body.get("lastName"):
            raise VendorError(400, "firstName, lastName and a valid email are required")
        cid = self.next_id("c")
        status = self.rng.choice([None, *self.statuses[:3]])
        self.candidates[cid] = {
            "id": cid, "salutation": None, "firstName": body["firstName"], "lastName": body["lastName"],
            "email": email, "phone": body.get("phone"), "address": {"city": "Nürnberg", "country": "DE"},
            "jobPosting": {"id": posting_id, "title": posting["title"]},
            "status": dict(status) if status else None, "process": None, "subsidiary": posting["subsidiary"],
            "source": {"name": body.get("source") or "Karriereseite"},
            "createdAt": _ts(self.seq), "updatedAt": _ts(self.seq),
        }  # fmt: skip
        return self.candidates[cid]

    def touch(self, cid: str) -> None:
        self.candidates[cid]["updatedAt"] = _ts(self.seq + self.rng.randint(1, 500))

    def add_note(self, cid: str, text: Any) -> Raw:
        self.candidate(cid)
        if not isinstance(text, str) or not text.strip():
            raise VendorError(400, "text is required")
        nid = self.next_id("n")
        self.notes[nid] = {"id": nid, "text": text, "author": None, "createdAt": _ts(self.seq), "_candidate": cid}
        return self.notes[nid]

    def add_document(self, cid: str, body: Raw) -> Raw:
        self.candidate(cid)
        name, kind = body.get("name"), body.get("contentType")
        try:
            content = base64.b64decode(str(body.get("content") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise VendorError(400, "content must be base64") from None
        if not isinstance(name, str) or not name or not isinstance(kind, str) or not content:
            raise VendorError(400, "name, contentType and content are required")
        did = self.next_id("d")
        self.documents[did] = {"id": did, "name": name, "contentType": kind, "type": body.get("type") or "other",
                               "size": len(content), "createdAt": _ts(self.seq), "_candidate": cid,
                               "_content": content}  # fmt: skip
        return self.documents[did]

    def candidate(self, cid: str) -> Raw:
        if cid not in self.candidates:
            raise VendorError(404, f"Candidate {cid} not found")
        return self.candidates[cid]

    def delete_candidate(self, cid: str) -> None:
        del self.candidates[cid]
        for table in (self.notes, self.documents):
            for key in [k for k, v in table.items() if v["_candidate"] == cid]:
                del table[key]


def _public(row: Raw) -> Raw:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def search_postings(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    standard = (body.get("filter") or {}).get("standard") or {}
    rows = [{"id": p["id"], "hash": p["hash"]} for p in call.fake.postings.values()
            if "active" not in standard or p["active"] is standard["active"]]  # fmt: skip
    return body_offset_page(body, rows)


def search_candidates(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    standard = (body.get("filter") or {}).get("standard") or {}
    email, job = str(standard.get("email") or "").lower(), standard.get("jobPostingId")
    rows = [c for c in call.fake.candidates.values()
            if (not email or c["email"].lower() == email) and (not job or c["jobPosting"]["id"] == job)]  # fmt: skip
    return body_offset_page(body, rows)


def get_posting(call: Call[FakeState]) -> Raw:
    if call.path["id"] not in call.fake.postings:
        raise VendorError(404, f"Job posting {call.path['id']} not found")
    return call.fake.postings[call.path["id"]]


def children(table: str) -> Any:
    def handler(call: Call[FakeState]) -> list[Raw]:
        cid = call.fake.candidate(call.path["id"])["id"]
        return [_public(r) for r in getattr(call.fake, table).values() if r["_candidate"] == cid]

    return handler


def post_candidate(call: Call[FakeState]) -> StatusReply:
    body = call.json_object()
    return reply(call.fake.add_candidate(str(body.get("jobPostingId") or ""), body), 201)


def post_note(call: Call[FakeState]) -> StatusReply:
    return reply(_public(call.fake.add_note(call.path["id"], call.json_object().get("text"))), 201)


def post_document(call: Call[FakeState]) -> StatusReply:
    return reply(_public(call.fake.add_document(call.path["id"], call.json_object())), 201)


def download(call: Call[FakeState]) -> Response:
    doc = call.fake.documents.get(call.path["id"])
    if doc is None:
        raise VendorError(404, f"Document {call.path['id']} not found")
    return Response(doc["_content"], media_type=doc["contentType"],
                    headers={"Content-Disposition": f'attachment; filename="{doc["name"]}"'})  # fmt: skip


def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    cand = fake.candidates[cid]
    cand["lastName"] = rnd.choice([n for n in LAST if n != cand["lastName"]])
    fake.touch(cid)
    return Change("candidates", cid, "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    if cid is None:
        return None
    cand = fake.candidates[cid]
    current = (cand["status"] or {}).get("id")
    cand["status"] = dict(rnd.choice([s for s in fake.statuses if s["id"] != current]))
    fake.touch(cid)
    return Change("candidates", cid, "updated")


_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    pid = pick(rnd, fake.postings)
    if pid is None:
        return None
    made = fake.add_candidate(pid, {"firstName": rnd.choice(FIRST), "lastName": "Sim",
                                    "email": f"sim{fake.seq}@mail.example"})  # fmt: skip
    return Change("candidates", made["id"], "created")


def _note(fake: FakeState, rnd: random.Random) -> Change | None:
    cid = pick(rnd, fake.candidates)
    return None if cid is None else Change("notes", fake.add_note(cid, "Rückruf erbeten")["id"], "created")


def _retire(fake: FakeState, rnd: random.Random) -> Change | None:
    """Deleting a posting in BITE leaves it listed, inactive: its candidates stay linked [3p]."""
    pid = pick(rnd, [p for p, row in fake.postings.items() if row["active"]])
    if pid is None or len(fake.postings) < 2:
        return None
    fake.postings[pid]["active"] = False
    fake.rehash(pid)
    return Change("jobpostings", pid, "updated")


HOOKS = Hooks(
    lambda f: {
        "jobpostings": len(f.postings),
        "candidates": len(f.candidates),
        "statuses": len(f.statuses),
        "users": len(f.users),
        "notes": len(f.notes),
        "documents": len(f.documents),
    },  # fmt: skip
    simulator(_edit, _move, _move, _delete, _apply, _note, _retire, refused=(VendorError,)),
    lambda f: {
        "candidates": list(f.candidates),
        "applications": list(f.candidates),
        "jobs": list(f.postings),
        "notes": list(f.notes),
        "attachments": list(f.documents),
    },  # fmt: skip
    {"candidates": "candidates", "jobpostings": "jobs", "notes": "notes", "documents": "attachments"},
)
SPEC = FakeSpec(
    name="bite",
    errors=_error,
    hooks=HOOKS,
    endpoints=[
        Endpoint("POST", "/v1/jobpostings/search", search_postings),
        Endpoint("GET", "/v1/jobpostings/{id}", get_posting),
        Endpoint("POST", "/v1/candidates/search", search_candidates),
        Endpoint("POST", "/v1/candidates", post_candidate),
        Endpoint("GET", "/v1/candidates/{id}", lambda call: call.fake.candidate(call.path["id"])),
        Endpoint("GET", "/v1/candidates/{id}/notes", children("notes")),
        Endpoint("POST", "/v1/candidates/{id}/notes", post_note),
        Endpoint("GET", "/v1/candidates/{id}/documents", children("documents")),
        Endpoint("POST", "/v1/candidates/{id}/documents", post_document),
        Endpoint("GET", "/v1/documents/{id}/content", download),
        Endpoint("GET", "/v1/statuses", lambda call: call.fake.statuses),
        Endpoint("GET", "/v1/users", lambda call: list(call.fake.users.values())),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a tenant with ``records`` candidates (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}/v1"}, {"api_key": TOKEN})

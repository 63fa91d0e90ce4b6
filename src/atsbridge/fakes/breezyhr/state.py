"""The fake Breezy HR company: pipelines, positions, candidates (one per position), their discussion streams,
the sign-in sessions, and the mutations tests, ``simulate`` and the write handlers make."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
BUILT_IN = (("applied", "Applied"), ("feedback", "Feedback"), ("interviewing", "Interviewing"), ("offer", "Offer"),
            ("hired", "Hired"), ("disqualified", "Disqualified"))  # fmt: skip
STATES = ("published", "closed", "published", "draft", "published", "archived", "pending")
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")
SOURCES = (("indeed", "Indeed", "job_board"), ("careers", "Careers Page", "careers_site"),
           ("referral", "Referral", "referral"))  # fmt: skip


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def hex_id(rnd: random.Random) -> str:
    return "".join(rnd.choice("0123456789abcdef") for _ in range(12))


class BreezyAuth(Auth):
    """``Authorization: <token>`` with no scheme: the personal access token, or a session token from
    ``POST /v3/signin``. A request without the header is told ``missingAccessToken`` (400) by the handler."""

    def __init__(self, token: str, email: str, password: str) -> None:
        self.token, self.email, self.password = token, email, password
        self.sessions: set[str] = set()
        #: Sessions issued (sign-ins are not API requests: the request log does not show them).
        self.signins = 0

    def check(self, request: Request) -> Principal | None:
        value = request.headers.get("authorization")
        if value is None or value == "":
            return Principal("missing")
        if secrets.compare_digest(value, self.token) or value in self.sessions:
            return Principal("user")
        return None

    async def _signin(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("email") != self.email or body.get("password") != self.password:
            error = {"type": "invalidCredentials", "message": "email or password is invalid"}  # [gap] shape
            return JSONResponse({"error": error}, status_code=401)
        session = f"session_{secrets.token_hex(8)}"
        self.sessions.add(session)
        self.signins += 1
        return JSONResponse({"access_token": session, "user": {"_id": "user_1", "email_address": self.email}})

    def expire_sessions(self) -> None:
        self.sessions.clear()

    def routes(self) -> list[Route]:
        return [Route("/v3/signin", self._signin, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {"header": "Authorization", "value": self.token, "email": self.email, "password": self.password}


class ResetWindow(FixedWindow):
    """Breezy's 429 is waited out until ``X-RateLimit-Reset`` (epoch seconds) [conn]; no ``Retry-After``."""

    def admit(self) -> Any:
        verdict = super().admit()
        verdict.headers.pop("Retry-After", None)
        return verdict

    def storm_headers(self, retry_after: float) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limit), "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(int(time.time() + retry_after + 0.999))}  # fmt: skip


@dataclass
class FakeState(FakeBase):
    company_id: str = "5f1d2c3b4a59"
    token: str = "breezy_pat_fake"
    email: str = "admin@breezy.example"
    password: str = "breezy-password"
    pipelines: dict[str, Raw] = field(default_factory=dict)
    positions: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    #: candidate id -> its position id (a Breezy candidate exists per position).
    position_of: dict[str, str] = field(default_factory=dict)
    streams: dict[str, list[Raw]] = field(default_factory=dict)
    #: webhook endpoint id -> the endpoint object (with its secret; ``webhooks.py``).
    webhook_endpoints: dict[str, Raw] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (100, 60.0)
    _last: float = 0.0

    def __post_init__(self) -> None:
        FakeBase.__init__(self, BreezyAuth(self.token, self.email, self.password),
                          ResetWindow(*self.rate) if self.rate else None)  # fmt: skip

    def now(self) -> str:
        """A strictly increasing wall-clock stamp (a delta sync compares it with its own clock)."""
        self._last = max(time.time(), self._last + 0.001)
        return iso(datetime.fromtimestamp(self._last, UTC))

    def new_id(self) -> str:
        found = hex_id(self.rng)
        while found in self.candidates or found in self.positions:
            found = hex_id(self.rng)
        return found

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (100, 60.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        rnd = state.rng
        for n, custom in enumerate(((), (("phone_screen", "Phone screen"),))):
            pid = f"pl{n:010d}"
            stages = [{"id": sid, "name": name} for sid, name in BUILT_IN[:1] + tuple(custom) + BUILT_IN[1:]]
            state.pipelines[pid] = {"_id": pid, "name": f"Pipeline {n + 1}", "stages": stages}
        for n in range(max(5, records // 6)):
            pos_id = state.new_id()
            made = BASE + timedelta(days=n)
            state.positions[pos_id] = {
                "_id": pos_id, "name": f"{rnd.choice(('Backend', 'Data', 'Sales'))} Engineer {n}",
                "state": STATES[n % len(STATES)], "type": {"id": "fullTime", "name": "Full-Time"},
                "location": {"country": {"id": "US", "name": "United States"},
                             "state": {"id": "CA", "name": "California"}, "city": "Oakland",
                             "name": "Oakland, CA", "is_remote": n % 3 == 0},
                "department": "Engineering", "org_type": "position", "pipeline_id": f"pl{n % 2:010d}",
                "questionnaire_id": None, "scorecard_id": None, "tags": ["urgent"] if n % 4 == 0 else [],
                "custom_attributes": [], "application_form": {}, "requisition_id": f"REQ-{100 + n}",
                "category": {"id": "software", "name": "Software Development"},
                "experience": {"id": "mid", "name": "Mid Level"}, "education": "unspecified",
                "description": "<p>Build things.</p>", "creation_date": iso(made), "updated_date": iso(made),
            }  # fmt: skip
        positions = sorted(state.positions)
        for n in range(records):
            made = BASE + timedelta(hours=6 * n)
            state.add_candidate(positions[n % len(positions)], {
                "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}", "email_address": f"cand{n}@mail.example",
                "phone_number": f"+1 555 01{n:04d}", "origin": rnd.choice(("applied", "sourced", "referral")),
            }, stamp=iso(made), stage=rnd.choice(BUILT_IN)[0])  # fmt: skip
        return state

    def stages_of(self, position_id: str) -> list[Raw]:
        return list(self.pipelines[self.positions[position_id]["pipeline_id"]]["stages"])

    def add_candidate(self, position_id: str, body: Raw, *, stamp: str | None = None, stage: str = "applied") -> Raw:
        if position_id not in self.positions:
            raise VendorError(404, "position not found", code="positionNotFound")
        name, email = str(body.get("name") or "").strip(), str(body.get("email_address") or "").strip()
        if not name:
            raise VendorError(400, "name is null or empty", code="addCandidateMissingName")
        when = stamp or self.now()
        cid = self.new_id()
        source = SOURCES[int(cid, 16) % len(SOURCES)]
        candidate = {
            "_id": cid, "meta_id": f"m{cid}", "creation_date": when, "email_address": email.lower(),
            "headline": body.get("headline") or "Software engineer", "initial": name[:1].upper(), "name": name,
            "origin": body.get("origin") or "applied", "phone_number": body.get("phone_number") or "",
            "profile_photo_url": f"https://gravatar.example/{cid}",
            "resume": self.resume(position_id, cid),
            "source": {"id": source[0], "name": source[1], "type": source[2]},
            "stage": {}, "tags": ["python"] if int(cid, 16) % 3 == 0 else [], "updated_date": when,
        }  # fmt: skip
        self.candidates[cid] = candidate
        self.position_of[cid] = position_id
        self.streams[cid] = []
        self.set_stage(cid, stage, stamp=when)
        return candidate

    def resume(self, position_id: str, cid: str) -> Raw | None:
        """Two candidates in three have a resume (a ``.pdf`` or ``.doc``); the others have none (null)."""
        if int(cid, 16) % 3 == 2:
            return None
        url = f"https://api.breezy.hr/v3/company/{self.company_id}/position/{position_id}/candidate/{cid}/resume"
        return {"file_name": f"resume-{cid}.{'pdf' if int(cid, 16) % 2 else 'doc'}", "url": url, "pdf_url": url}

    def set_stage(self, cid: str, stage_id: str, *, stamp: str | None = None) -> None:
        stages = {s["id"]: s for s in self.stages_of(self.position_of[cid])}
        if stage_id not in stages:
            raise VendorError(400, f"stage {stage_id} is not in the position's pipeline", code="invalidStageId")
        kind = stage_id if stage_id in dict(BUILT_IN) else "custom"
        kind_of = {"id": kind, "name": kind.capitalize(), "icon": f"icon-{kind}"}
        self.candidates[cid]["stage"] = {"id": stage_id, "name": stages[stage_id]["name"], "type": kind_of}
        self.candidates[cid]["updated_date"] = stamp or self.now()

    def edit_candidate(self, cid: str, **fields: Any) -> None:
        self.candidates[cid].update(fields, updated_date=self.now())

    def delete_candidate(self, cid: str) -> None:
        for table in (self.candidates, self.position_of, self.streams):
            table.pop(cid, None)

    def add_note(self, cid: str, body: str) -> Raw:
        author = {"_id": "user_1", "name": "API User"}
        note = {"_id": self.new_id(), "type": "companyNotePosted", "stream_id": f"s{cid}",
                "object": {"body": body, "user": author}, "timestamp": self.now()}  # fmt: skip
        self.streams[cid].append(note)
        return note

"""The fake Greenhouse's state: records in Harvest v1 payload shapes, OAuth tokens, planned faults.

Records are stored as the real (v1 documentation) payloads shape them and rendered per request, so
embedded copies (a candidate's applications, signed attachment URLs) are always current. Timestamps live
beside the record (:class:`Row`) because not every v1 shape has ``updated_at``, yet v3 filters on it.

Tests mutate the state from their own thread while uvicorn serves from another: every access holds
:attr:`FakeState.lock`. The write endpoints (``writes.py``) use :meth:`insert`, :meth:`touch` and
:meth:`remove` like the test mutations, and every fault knob can aim at them (``writes=True`` counts
write requests only); :meth:`stall_after_commit_next` commits a write and then answers too late.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson

from atsbridge.core.timeutil import format_ts

Json = dict[str, Any]
#: The v3 list endpoints this fake serves, by path segment.
KINDS = (
    "users", "candidate_tags", "rejection_reasons", "jobs", "job_posts", "job_interview_stages", "candidates",
    "applications", "interviews", "offers", "notes", "scorecards", "attachments", "sources",
    "applied_candidate_tags",
)  # fmt: skip
SEVEN_DAYS = 7 * 24 * 3600.0


@dataclass
class Row:
    data: Json
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Fault:
    kind: Literal["fail", "storm", "truncate", "slow", "stall"]
    status: int = 503
    seconds: float = 0.0


class FakeState:
    """One fake tenant. ``rate_limit`` is (requests, per seconds) in a fixed window, or None."""

    def __init__(
        self,
        *,
        client_id: str = "gh_client",
        client_secret: str = "gh_secret",
        rate_limit: tuple[int, float] | None = (50, 10.0),
        latency: float = 0.0,
        token_ttl: float = 3600.0,
        attachment_url_ttl: float = SEVEN_DAYS,
        page_cap: int | None = None,
    ):
        self.lock = threading.RLock()
        self.client_id = client_id
        self.client_secret = client_secret
        self.rate_limit = rate_limit
        self.latency = latency
        self.token_ttl = token_ttl
        self.attachment_url_ttl = attachment_url_ttl
        #: Serve at most this many records per page whatever ``per_page`` asks (forces cursor paging).
        self.page_cap = page_cap
        self.tables: dict[str, dict[int, Row]] = {kind: {} for kind in KINDS}
        #: Greenhouse's built-in rejection reasons: listed only with ``include_defaults=true``.
        self.default_reasons: set[int] = set()
        self.counters: Counter[str] = Counter()
        #: ``path?query`` of every v3 request, in order (lets tests check what the connector sent).
        self.requests: list[str] = []
        #: (method, path, JSON body) of every authorised write request, in order.
        self.writes: list[tuple[str, str, Any]] = []
        self._tokens: dict[str, float] = {}
        #: token -> the ``sub`` (acting user id) it was issued for; None = the service account.
        self._subs: dict[str, str | None] = {}
        #: Uploaded file bytes and MIME type by attachment id (generated ones are made up on download).
        self._contents: dict[int, tuple[bytes, str]] = {}
        self._expire_countdown: int | None = None
        self._seq = 0
        self._faults: dict[int, list[Fault]] = {}
        self._write_seq = 0
        self._write_faults: dict[int, list[Fault]] = {}
        self._window = (0.0, 0)
        self._url_key = secrets.token_bytes(16)
        self._urls_valid_after = 0.0
        self._version = 0
        self._indexes: dict[tuple[str, str], tuple[int, dict[Any, list[int]]]] = {}

    # ------------------------------------------------------------------------------------ records
    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def insert(
        self, kind: str, data: Json, created_at: datetime | None = None, updated_at: datetime | None = None
    ) -> Json:
        created = created_at or self.now()
        with self.lock:
            self.tables[kind][int(data["id"])] = Row(data, created, updated_at or created)
            self._version += 1
        return data

    def next_id(self, kind: str) -> int:
        with self.lock:
            return max(self.tables[kind], default=0) + 1

    def get(self, kind: str, record_id: int) -> Json:
        with self.lock:
            return self.tables[kind][record_id].data

    def ids(self, kind: str, **where: Any) -> list[int]:
        """Ids of ``kind`` whose fields equal ``where`` (one field: through a cached index)."""
        with self.lock:
            if len(where) == 1:
                ((key, value),) = where.items()
                return list(self._index(kind, key).get(value, []))
            rows = self.tables[kind].items()
            return sorted(i for i, row in rows if all(row.data.get(k) == v for k, v in where.items()))

    def _index(self, kind: str, key: str) -> dict[Any, list[int]]:
        """field value -> ids, rebuilt after any insert, touch or removal (rendering a page of candidates
        looks up each one's applications and attachments)."""
        cached = self._indexes.get((kind, key))
        if cached is not None and cached[0] == self._version:
            return cached[1]
        index: dict[Any, list[int]] = {}
        for i in sorted(self.tables[kind]):
            index.setdefault(self.tables[kind][i].data.get(key), []).append(i)
        self._indexes[(kind, key)] = (self._version, index)
        return index

    def touch(self, kind: str, record_id: int) -> None:
        """A change: ``updated_at`` moves to now (what v3's ``updated_at`` filter sees)."""
        with self.lock:
            self.tables[kind][record_id].updated_at = self.now()
            self._version += 1

    def remove(self, kind: str, record_id: int) -> None:
        with self.lock:
            self.tables[kind].pop(record_id, None)
            self._version += 1

    # ---------------------------------------------------------------------------------- mutations
    def edit_candidate(self, candidate_id: int, **changes: Any) -> None:
        with self.lock:
            self.get("candidates", candidate_id).update(changes)
            self.touch("candidates", candidate_id)

    def move_application(self, application_id: int, stage_id: int) -> None:
        with self.lock:
            app = self.get("applications", application_id)
            stage = self.get("job_interview_stages", stage_id)
            if stage["job_id"] != app["jobs"][0]["id"]:
                raise ValueError("a stage of another job")
            app["current_stage"] = {"id": stage["id"], "name": stage["name"]}
            self.touch("applications", application_id)

    def hire(self, application_id: int) -> None:
        """v1 semantics: ``status`` hired and ``current_stage`` null."""
        with self.lock:
            self.get("applications", application_id).update(status="hired", current_stage=None)
            self.touch("applications", application_id)

    def reject(self, application_id: int, reason_id: int) -> None:
        with self.lock:
            reason = self.get("rejection_reasons", reason_id)
            app = self.get("applications", application_id)
            app.update(status="rejected", rejected_at=format_ts(self.now()), rejection_reason=dict(reason))
            app["rejection_details"] = {"custom_fields": {}, "keyed_custom_fields": {}}
            self.touch("applications", application_id)

    def delete_application(self, application_id: int) -> None:
        """Greenhouse deletes what hangs off an application with it."""
        with self.lock:
            for kind in ("interviews", "offers", "scorecards", "attachments", "notes"):
                for child in self.ids(kind, application_id=application_id):
                    self.remove(kind, child)
            self.remove("applications", application_id)

    def delete_candidate(self, candidate_id: int) -> None:
        with self.lock:
            for app in self.ids("applications", candidate_id=candidate_id):
                self.delete_application(app)
            for kind in ("notes", "attachments", "scorecards", "applied_candidate_tags"):
                for child in self.ids(kind, candidate_id=candidate_id):
                    self.remove(kind, child)
            self.remove("candidates", candidate_id)

    def delete(self, kind: str, record_id: int) -> None:
        """Any other record (a job, a user, an offer...); no cascade."""
        self.remove(kind, record_id)

    # ------------------------------------------------------------------------------------- tokens
    def issue_token(self, client_id: str, client_secret: str, sub: str | None = None) -> tuple[str, float] | None:
        ok = hmac.compare_digest(client_id, self.client_id) and hmac.compare_digest(client_secret, self.client_secret)
        if not ok:
            return None
        token = secrets.token_urlsafe(24)
        expires = time.time() + self.token_ttl
        with self.lock:
            self._tokens[token] = expires
            self._subs[token] = sub or None
            self.counters["tokens"] += 1
        return token, expires

    def actor(self, token: str) -> Json | None:
        """The user a token acts as (its ``sub``), as v1 embeds users; None for the service account."""
        sub = self._subs.get(token)
        with self.lock:
            if not sub or not sub.isdigit() or int(sub) not in self.tables["users"]:
                return None
            user = self.get("users", int(sub))
        return {k: user.get(k) for k in ("id", "first_name", "last_name", "name", "employee_id")}

    def authorize(self, token: str) -> bool:
        with self.lock:
            if self._expire_countdown is not None:
                self._expire_countdown -= 1
                if self._expire_countdown <= 0:
                    self.expire_tokens()
            return self._tokens.get(token, 0.0) > time.time()

    def expire_tokens(self) -> None:
        """Every token issued so far is now expired (the next request with one gets 401)."""
        with self.lock:
            self._tokens.clear()
            self._expire_countdown = None

    def expire_tokens_after(self, requests: int) -> None:
        """Expire all tokens once this many more API requests arrived (a token dying mid-sync)."""
        with self.lock:
            self._expire_countdown = requests

    # ------------------------------------------------------------------------------------- faults
    def _plan(self, n: int, fault: Fault, after: int, writes: bool = False) -> None:
        """Faults for the next ``n`` requests after skipping ``after``: of all API requests, or (``writes``)
        of write requests only."""
        with self.lock:
            start = (self._write_seq if writes else self._seq) + after + 1
            plan = self._write_faults if writes else self._faults
            for seq in range(start, start + n):
                plan.setdefault(seq, []).append(fault)

    def fail_next(
        self, n: int, status: int = 503, *, after: int = 0, retry_after: float = 0.0, writes: bool = False
    ) -> None:
        """The next ``n`` requests (after skipping ``after``) fail with ``status`` and ``Retry-After``; a write
        failing so is not applied."""
        self._plan(n, Fault("fail", status, retry_after), after, writes)

    def rate_limit_storm(self, n: int, *, after: int = 0, retry_after: float = 0.0, writes: bool = False) -> None:
        self._plan(n, Fault("storm", 429, retry_after), after, writes)

    def truncate_next(self, n: int, *, after: int = 0, writes: bool = False) -> None:
        """The next ``n`` responses are 200 with the JSON body cut in half (a write is applied first)."""
        self._plan(n, Fault("truncate"), after, writes)

    def slow_next(self, n: int, seconds: float, *, after: int = 0, writes: bool = False) -> None:
        self._plan(n, Fault("slow", seconds=seconds), after, writes)

    def stall_after_commit_next(self, n: int, seconds: float, *, after: int = 0) -> None:
        """The next ``n`` write requests are applied, then answered only after ``seconds`` (longer than the
        client's timeout: the caller never learns that the write happened)."""
        self._plan(n, Fault("stall", seconds=seconds), after, writes=True)

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()
            self._write_faults.clear()

    def begin_request(self, target: str, write: tuple[str, Any] | None = None) -> list[Fault]:
        """Count one authorised API request and hand back the faults planned for it. ``write`` is the
        (method, body) of a write request, which is logged in :attr:`writes` and counted separately."""
        with self.lock:
            self._seq += 1
            self.requests.append(target)
            self.counters["requests"] += 1
            faults = self._faults.pop(self._seq, [])
            if write is not None:
                self._write_seq += 1
                self.writes.append((write[0], target, write[1]))
                faults += self._write_faults.pop(self._write_seq, [])
            return faults

    def admit(self) -> tuple[bool, dict[str, str]]:
        """Fixed-window rate limit: (allowed, X-RateLimit-* headers)."""
        if self.rate_limit is None:
            return True, {}
        limit, per = self.rate_limit
        now = time.time()
        with self.lock:
            start, count = self._window
            if now - start >= per:
                start, count = now, 0
            count += 1
            self._window = (start, count)
        reset = start + per
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(limit - count, 0)),
            "X-RateLimit-Reset": str(math.ceil(reset)),
        }
        if count > limit:
            headers["Retry-After"] = str(max(math.ceil(reset - now), 1))
            return False, headers
        return True, headers

    # -------------------------------------------------------------------------------- attachments
    def attachment_url(self, attachment_id: int, base_url: str) -> str:
        """A signed URL valid for ``attachment_url_ttl`` seconds, like Greenhouse's S3 links."""
        issued = time.time()
        body = orjson.dumps([attachment_id, issued, issued + self.attachment_url_ttl])
        sig = hmac.new(self._url_key, body, hashlib.sha256).hexdigest()[:32]
        return f"{base_url}/files/{base64.urlsafe_b64encode(body).decode().rstrip('=')}.{sig}"

    def resolve_url(self, token: str) -> int | None:
        """The attachment a URL token names, or None when it is forged or expired."""
        body_text, _, sig = token.partition(".")
        try:
            body = base64.urlsafe_b64decode(body_text + "=" * (-len(body_text) % 4))
            attachment_id, issued, expires = orjson.loads(body)
        except (ValueError, TypeError):
            return None
        expected = hmac.new(self._url_key, body, hashlib.sha256).hexdigest()[:32]
        if not hmac.compare_digest(sig, expected) or issued < self._urls_valid_after or expires < time.time():
            return None
        return int(attachment_id)

    def expire_attachment_urls(self) -> None:
        """Every attachment URL handed out so far stops working (what 7 days do to a real one)."""
        self._urls_valid_after = time.time() + 1e-6

    def store_content(self, attachment_id: int, content: bytes, content_type: str) -> None:
        with self.lock:
            self._contents[attachment_id] = (content, content_type)

    def attachment_content(self, attachment_id: int) -> bytes:
        if attachment_id in self._contents:
            return self._contents[attachment_id][0]
        data = self.get("attachments", attachment_id)
        return f"%PDF-1.4\n% fake Greenhouse attachment {attachment_id}: {data['filename']}\n%%EOF\n".encode()

    def attachment_type(self, attachment_id: int) -> str | None:
        """The MIME type an upload was sent with (None for generated files: guess from the name)."""
        stored = self._contents.get(attachment_id)
        return stored[1] if stored else None

    # ---------------------------------------------------------------------------------- rendering
    def render(self, kind: str, record_id: int, base_url: str) -> Json:
        """The record as the API shows it now (caller holds the lock)."""
        row = self.tables[kind][record_id]
        out = dict(row.data)
        created, updated = format_ts(row.created_at), format_ts(row.updated_at)
        if kind == "applications":
            out.update(applied_at=created, last_activity_at=updated)
            out["attachments"] = self._embedded_attachments(base_url, application_id=record_id)
        elif kind == "candidates":
            apps = self.ids("applications", candidate_id=record_id)
            out.update(created_at=created, updated_at=updated, last_activity=updated, application_ids=apps)
            out["applications"] = [self.render("applications", a, base_url) for a in apps]
            out["attachments"] = self._embedded_attachments(base_url, candidate_id=record_id)
        elif kind == "attachments":
            out.update(created_at=created, url=self.attachment_url(record_id, base_url))
        elif kind == "notes":
            out["created_at"] = created
        elif kind not in ("candidate_tags", "rejection_reasons", "sources"):
            out.update(created_at=created, updated_at=updated)
        return out

    def _embedded_attachments(self, base_url: str, **where: Any) -> list[Json]:
        """v1 embeds attachments without ids: filename, url, type, created_at."""
        keys = ("filename", "url", "type", "created_at")
        rendered = (self.render("attachments", a, base_url) for a in self.ids("attachments", **where))
        return [{k: a[k] for k in keys} for a in rendered]

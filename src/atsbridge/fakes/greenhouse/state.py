"""The fake Greenhouse's state: records in Harvest v1 payload shapes, on the fake engine's
:class:`~atsbridge.fakes.kit.state.FakeBase` (lock, faults, request log, counters, auth, rate limit).

Records are stored as the real (v1 documentation) payloads shape them and rendered per request, so
embedded copies (a candidate's applications, signed attachment URLs) are always current. Timestamps live
beside the record (:class:`Row`) because not every v1 shape has ``updated_at``, yet v3 filters on it.

Tests mutate the state from their own thread while uvicorn serves from another: every access holds
:attr:`FakeState.lock`. The write endpoints (``writes.py``) use :meth:`insert`, :meth:`touch` and
:meth:`remove` like the test mutations. Faults are the kit's (``fake.faults.fail_next(...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from atsbridge.core.timeutil import format_ts
from atsbridge.fakes.kit.auth import OAuth2ClientCredentials, Principal, expires_at_answer
from atsbridge.fakes.kit.log import Logged
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.signed import SignedUrls
from atsbridge.fakes.kit.state import FakeBase

Json = dict[str, Any]
#: The v3 list endpoints this fake serves, by path segment.
KINDS = (
    "users", "candidate_tags", "rejection_reasons", "jobs", "job_posts", "job_interview_stages", "candidates",
    "applications", "interviews", "offers", "notes", "scorecards", "attachments", "sources",
    "applied_candidate_tags",
)  # fmt: skip
SEVEN_DAYS = 7 * 24 * 3600.0
#: What a candidate's embedded applications lack (as recorded) that the applications list shows.
EMBED_DROPS = frozenset({"custom_fields", "keyed_custom_fields"})


@dataclass
class Row:
    data: Json
    created_at: datetime
    updated_at: datetime


class FakeState(FakeBase):
    """One fake tenant. ``rate_limit`` is (requests, per seconds) in a fixed window, or None."""

    auth: OAuth2ClientCredentials

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
        auth = OAuth2ClientCredentials(client_id, client_secret, ttl=token_ttl, answer=expires_at_answer)
        window = FixedWindow(*rate_limit) if rate_limit is not None else None
        super().__init__(auth, window, latency=latency, page_cap=page_cap)
        self.signed = SignedUrls(attachment_url_ttl)
        self.tables: dict[str, dict[int, Row]] = {kind: {} for kind in KINDS}
        #: Greenhouse's built-in rejection reasons: listed only with ``include_defaults=true``.
        self.default_reasons: set[int] = set()
        #: Uploaded file bytes and MIME type by attachment id (generated ones are made up on download).
        self._contents: dict[int, tuple[bytes, str]] = {}
        self._version = 0
        self._indexes: dict[tuple[str, str], tuple[int, dict[Any, list[int]]]] = {}

    # ----------------------------------------------------------------------------------- the log
    @property
    def requests(self) -> list[str]:
        """``path?query`` of every authorised v3 request, in order."""
        return [e.target for e in self.log.entries() if e.status != 401]

    @property
    def writes(self) -> list[tuple[str, str, Any]]:
        """(method, path?query, JSON body) of every authorised write request, in order."""
        return [(e.method, e.target, e.json()) for e in self.log.writes() if e.status != 401]

    def logged_writes(self) -> list[Logged]:
        return [e for e in self.log.writes() if e.status != 401]

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
    def actor(self, principal: Principal) -> Json | None:
        """The user a token acts as (its ``sub``), as v1 embeds users; None for the service account."""
        sub = principal.sub
        with self.lock:
            if not sub or not sub.isdigit() or int(sub) not in self.tables["users"]:
                return None
            user = self.get("users", int(sub))
        return {k: user.get(k) for k in ("id", "first_name", "last_name", "name", "employee_id")}

    # -------------------------------------------------------------------------------- attachments
    def attachment_url(self, attachment_id: int, base_url: str) -> str:
        """A signed URL valid for ``attachment_url_ttl`` seconds, like Greenhouse's S3 links."""
        return self.signed.url(base_url, attachment_id)

    def expire_attachment_urls(self) -> None:
        """Every attachment URL handed out so far stops working (what 7 days do to a real one)."""
        self.signed.expire_all()

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
            embedded = (self.render("applications", a, base_url) for a in apps)  # v1 embeds them without custom fields
            out["applications"] = [{k: v for k, v in a.items() if k not in EMBED_DROPS} for a in embedded]
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

"""What a connector's write action receives and returns.

The API validates the body and resolves every id against the store *before* a connector is called, so an
action gets vendor ids and checked values, never raw client input. Actions return the vendor records they
created or changed; the API maps them with the connector's own stream mappers and writes them through to
the store, so reads reflect a write at once and the next sync finds nothing to flip back.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic

from pydantic import BaseModel
from typing_extensions import TypeVar as DefaultTypeVar

from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model.record import UnifiedRecord

Json = dict[str, Any]
#: The validated request body an action receives (``WriteCall[bodies.Reject]``...); a bare ``WriteCall`` is
#: ``WriteCall[BaseModel]``, so code that does not care about the body type need not name it.
B = DefaultTypeVar("B", bound=BaseModel, covariant=True, default=BaseModel)


@dataclass(frozen=True)
class FileData:
    name: str
    type: str  # CV | COVER_LETTER | OTHER
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ResolvedAnswer:
    """An answer checked against its question: ``value`` is a str, bool, float, ISO date, list of option
    dicts (select questions: ``{"id", "name", "remote_id"}``) or a :class:`FileData`."""

    question: Json
    type: str
    value: Any


class UnknownOutcome(RemoteError):
    """A create may have committed at the vendor but cannot be looked up: creating again could duplicate it."""

    def __init__(self, message: str):
        super().__init__("REMOTE.UNKNOWN_HTTP_ERROR", message)


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class WriteCall(Generic[B]):
    """One write as the API resolved it. Generic in its body so an action declares what it takes
    (``WriteCall[bodies.Note]``) and the write table checks it once, instead of each action asserting it."""

    action: str
    integration_id: str
    body: B
    #: Stored wire records the action concerns (with their ``remote_id``).
    job: Json | None = None
    application: Json | None = None
    candidate: Json | None = None
    stage: Json | None = None
    rejection_reason: Json | None = None
    sourced_by_remote_id: str | None = None
    answers: list[ResolvedAnswer] = field(default_factory=list)
    files: list[FileData] = field(default_factory=list)
    #: This tool's subtree of ``remote_fields`` (passed through untouched).
    remote_fields: Json = field(default_factory=dict)
    #: Vendor steps already done under the same Idempotency-Key (e.g. ``candidate_remote_id``): skip them.
    progress: Json = field(default_factory=dict)
    save_progress: Callable[[], None] = lambda: None
    #: Job remote id when the caller named a job atsbridge has not synced (``remote:<id>``).
    job_remote_id: str | None = None
    #: Warnings found while validating (skipped questions...), put before the connector's own.
    warnings: list[str] = field(default_factory=list)

    def step(self, key: str, value: Any) -> None:
        """Record a finished vendor step at once, so a retry after a later failure does not redo it."""
        self.progress[key] = value
        self.save_progress()

    async def once(
        self,
        key: str,
        create: Callable[[], Awaitable[Json]],
        *,
        find: Callable[[Any], Awaitable[Json | None]] | None,
        fetch: Callable[[str], Awaitable[Json]] | None = None,
        marker: Any = None,
        id_of: Callable[[Json], object] = lambda raw: raw["id"],
    ) -> Json:
        """Create one vendor record at most once under this call's Idempotency-Key (the create-once protocol).

        Vendor POSTs are not idempotent, and a timeout or cut-off answer leaves it unknown whether the record
        was made. So: ``<key>_remote_id`` in the progress means done (``fetch`` it again, or ``{"id": ...}``).
        Otherwise the intent ``<key>_create_started`` (``marker``: by default the ms the try began) is saved
        *before* ``create`` runs; a resumed call that finds that intent without an id runs ``find(marker)`` to
        look for what the first try may have made, and only creates again when nothing is found. A definite
        refusal (a non-retryable :class:`RemoteError`, :class:`JobClosed`, :class:`AlreadyApplied`) drops the
        intent again: nothing was made, so a retry must not adopt a look-alike record someone else created.

        ``find=None`` declares that the vendor offers no way to look: a resumed call then refuses with
        :class:`UnknownOutcome` rather than risk a duplicate. ``create`` must itself not retry on 5xx or
        timeouts (use ``retry=False``); a 429, refused before anything happened, may be retried.
        """
        done = self.progress.get(f"{key}_remote_id")
        if done:
            return await fetch(str(done)) if fetch is not None else {"id": done}
        started = f"{key}_create_started"
        if started in self.progress:
            if find is None:
                raise UnknownOutcome(f"{key}: an earlier try may have created it and the ATS cannot be searched")
            found = await find(self.progress[started])
            if found is not None:
                self.step(f"{key}_remote_id", id_of(found))
                return found
        self.step(started, now_ms() if marker is None else marker)
        try:
            created = await create()
        except (JobClosed, AlreadyApplied):
            self._forget(started)
            raise
        except RemoteError as exc:
            if not exc.retryable:  # refused outright: nothing was made, and a retry must not adopt a look-alike
                self._forget(started)
            raise
        self.step(f"{key}_remote_id", id_of(created))
        return created

    async def once_id(
        self,
        key: str,
        create: Callable[[], Awaitable[object]],
        *,
        find: Callable[[Any], Awaitable[object | None]] | None,
        marker: Any = None,
    ) -> str:
        """:meth:`once` for vendors whose create answers, and whose search finds, an id rather than a record."""

        async def created() -> Json:
            return {"id": await create()}

        async def found(mark: Any) -> Json | None:
            rid = await find(mark) if find is not None else None
            return None if rid is None else {"id": rid}

        record = await self.once(key, created, find=found if find is not None else None, marker=marker)
        return str(record["id"])

    def _forget(self, key: str) -> None:
        self.progress.pop(key, None)
        self.save_progress()


@dataclass
class WriteResult:
    #: (stream name, vendor record) pairs to map and write through.
    records: list[tuple[str, Json]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Remote ids of what was created (an application, a candidate, a note...).
    created: Json = field(default_factory=dict)
    #: Records already in the unified model, stored as they are: what a careers-only vendor accepted but
    #: cannot be read back from (``kit.as_submitted``), so the create can still answer with the records.
    unified: list[UnifiedRecord] = field(default_factory=list)


class JobClosed(Exception):
    """The ATS refuses applications to this job (maps to ``ATS.JOB_CLOSED``)."""


class AlreadyApplied(Exception):
    """The candidate already applied to this job (maps to ``ATS.APPLICATION_ALREADY_EXISTS``)."""


Action = Callable[[Any, WriteCall[Any]], Awaitable[WriteResult]]

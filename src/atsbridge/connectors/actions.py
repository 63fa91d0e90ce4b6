"""What a connector's write action receives and returns.

The API validates the body and resolves every id against the store *before* a connector is called, so an
action gets vendor ids and checked values, never raw client input. Actions return the vendor records they
created or changed; the API maps them with the connector's own stream mappers and writes them through to
the store, so reads reflect a write at once and the next sync finds nothing to flip back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

Json = dict[str, Any]


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


@dataclass
class WriteCall:
    action: str
    integration_id: str
    body: BaseModel
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


@dataclass
class WriteResult:
    #: (stream name, vendor record) pairs to map and write through.
    records: list[tuple[str, Json]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Remote ids of what was created (an application, a candidate, a note...).
    created: Json = field(default_factory=dict)


class JobClosed(Exception):
    """The ATS refuses applications to this job (maps to ``ATS.JOB_CLOSED``)."""


class AlreadyApplied(Exception):
    """The candidate already applied to this job (maps to ``ATS.APPLICATION_ALREADY_EXISTS``)."""


Action = Callable[[Any, WriteCall], Awaitable[WriteResult]]

"""The write table and the helpers many vendors share.

* :func:`writes` builds a connector's ``actions`` from :class:`Write` rows: each names the body type its
  action takes, checked once here, so actions take ``WriteCall[bodies.Note]`` and never assert.
* Create-once is :meth:`atsbridge.connectors.actions.WriteCall.once` (every non-idempotent POST goes through it).
* Tags by replace, result links kept as notes, and import-tracked ids are the same few lines everywhere.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel

from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

B = TypeVar("B", bound=BaseModel)


@dataclass(frozen=True)
class Write(Generic[B]):
    """One row of the write table: the contract's action name, the body type(s) it takes, the function."""

    action: str
    body: type[B] | tuple[type[BaseModel], ...]
    run: Callable[[Any, WriteCall[B]], Awaitable[WriteResult]]


def _checked(row: Write[Any]) -> Action:
    async def run(source: Any, call: WriteCall[Any]) -> WriteResult:
        if not isinstance(call.body, row.body):
            raise TypeError(f"{row.action} takes {row.body}, not {type(call.body).__name__}")
        return await row.run(source, call)

    run.__name__ = getattr(row.run, "__name__", row.action)
    run.__doc__ = row.run.__doc__
    return run


def writes(*rows: Write[Any]) -> dict[str, Action]:
    """The connector's ``actions`` (and capabilities' action list) from its write table."""
    table: dict[str, Action] = {}
    for row in rows:
        if row.action in table:
            raise ValueError(f"write action {row.action} declared twice")
        table[row.action] = _checked(row)
    return table


# --------------------------------------------------------------------------------------------- sending

#: A 429 means the vendor refused before doing anything, so even a create may be sent again after one.
CREATE_RATE_LIMIT_TRIES = 3
CREATE_RATE_LIMIT_PAUSE = 0.25


async def create_request(
    client: HttpClient,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    files: Any = None,
    data: Any = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """One non-idempotent request (the ``create`` of :meth:`WriteCall.once`): never re-sent on a 5xx or a
    timeout, whose outcome is unknown (the caller's recorded intent reconciles it on the next try), but
    re-sent after a 429, which the vendor answers before doing anything."""
    for attempt in range(CREATE_RATE_LIMIT_TRIES):
        try:
            return await client.request(method, path, params=params, json=json, files=files, data=data, retry=False,
                                        content=content, headers=headers)  # fmt: skip
        except RemoteError as exc:
            if exc.status != 429 or attempt + 1 == CREATE_RATE_LIMIT_TRIES:
                raise
            await asyncio.sleep(CREATE_RATE_LIMIT_PAUSE * 2**attempt)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------------------------------- tags


def same_tag(a: str, b: str) -> bool:
    """Tag names compare case-insensitively and trimmed (as the sandbox and most ATS do)."""
    return a.strip().lower() == b.strip().lower()


def with_tag(current: Sequence[str], name: str) -> list[str] | None:
    """The full tag list with ``name`` added, for vendors whose tag write replaces the list; None when the
    record already has it (nothing to send)."""
    if any(same_tag(t, name) for t in current):
        return None
    return [*current, name.strip()]


def without_tag(current: Sequence[str], name: str) -> list[str] | None:
    """The full tag list without ``name``; None when the record does not have it (say so in a warning)."""
    kept = [t for t in current if not same_tag(t, name)]
    return None if len(kept) == len(current) else kept


def missing_tag_warning(name: str) -> str:
    return f"the candidate had no tag {name.strip()!r}; nothing to remove"


# ----------------------------------------------------------------------------------------- result links


def result_link_text(body: bodies.ResultLink) -> str:
    """A result link as plain note text, for vendors without result links: the label and URL, then each
    detail attribute under its prefix."""
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        prefix = body.details.custom_field_name_prefix
        lines += [f"{prefix} {a.key}: {a.value}" for a in body.details.attributes]
    return "\n".join(lines)


def result_link_warning(label: str) -> str:
    return f"{label} has no result links: the link was added as a note"


# ------------------------------------------------------------------------------------------ import tracked


def tracked_id(body: bodies.ImportTracked, key: str | None, label: str, pattern: str = r"^[\w-]{1,200}$") -> str:
    """The application id to import: the contract's per-tool key (``body.<key>.application_id`` and
    friends) when it has one, else the ``application_remote_id`` extension; checked against ``pattern``
    before it reaches a URL."""
    given = getattr(body, key, None) if key else None
    rid = getattr(given, "application_id", None) or getattr(given, "application_remote_id", None)
    rid = rid or body.application_remote_id
    if not rid or not re.match(pattern, str(rid)):
        where = f"{key}.application_id" if key else "application_remote_id"
        raise RemoteError("REMOTE.INPUT_INVALID", f"{label} needs a valid application id in {where}; got {rid!r}")
    return str(rid)

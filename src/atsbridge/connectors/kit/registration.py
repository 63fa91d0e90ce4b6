"""Registering webhooks through a vendor's API: the bookkeeping every vendor repeats.

A registration that fails half-way must leave nothing at the vendor (:func:`undo_on_failure`); removing
them is done once each id is gone, and one already gone is no failure (:func:`delete_each`); what the vendor
answered must carry an id (:func:`made_id`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

from atsbridge.connectors.http.errors import RemoteError


def not_found(exc: RemoteError) -> bool:
    """The usual "already gone": the vendor answered 404."""
    return exc.status == 404


async def delete_each(
    ids: Iterable[str], delete: Callable[[str], Awaitable[object]], gone: Callable[[RemoteError], bool] = not_found
) -> None:
    """``delete`` each id in turn; an error ``gone`` accepts (by default a 404) means it is already removed."""
    for rid in ids:
        try:
            await delete(rid)
        except RemoteError as exc:
            if not gone(exc):
                raise


@contextlib.asynccontextmanager
async def undo_on_failure(undo: Callable[[list[str]], Awaitable[None]]) -> AsyncIterator[list[str]]:
    """The ids list a registration appends to as it creates; on any failure ``undo`` removes those made (its
    own failure is swallowed: the first error is the one to report) and the error goes on."""
    ids: list[str] = []
    try:
        yield ids
    except Exception:
        with contextlib.suppress(RemoteError):
            await undo(ids)
        raise


def made_id(made: object, what: str) -> str:
    """The id of what the vendor says it created (``what``: "Lever created a webhook"); none is an error."""
    rid = made.get("id") if isinstance(made, dict) else None
    if not rid:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{what} without an id")
    return str(rid)

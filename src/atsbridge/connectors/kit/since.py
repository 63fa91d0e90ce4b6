"""How a listing asks for "changed since": a query parameter in the vendor's time format, or a vendor sync
token kept between runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors.http.paginators import dig

TimeFormat = Callable[[datetime], object]


def iso(ts: datetime) -> str:
    """``2024-05-01T12:00:00Z`` (UTC, second precision)."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(ts: datetime) -> str:
    """``2024-05-01T12:00:00.000Z``."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def epoch_ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


def epoch_s(ts: datetime) -> int:
    return int(ts.timestamp())


def template(pattern: str) -> TimeFormat:
    """A vendor-specific ``strftime`` pattern (``"%Y-%m-%d %H:%M:%S"``), in UTC."""

    def fmt(ts: datetime) -> str:
        return ts.astimezone(UTC).strftime(pattern)

    return fmt


@dataclass(frozen=True)
class Since:
    """``?<param>=<since in format>`` on a delta run (``Since("updated_at_start", epoch_ms)``)."""

    param: str
    format: TimeFormat = iso
    #: Extra fixed parameters sent with the filter (some vendors need a sort order with it).
    extra: Mapping[str, Any] | None = None

    def params(self, since: datetime) -> dict[str, Any]:
        return {self.param: self.format(since), **(self.extra or {})}


@dataclass(frozen=True)
class SyncToken:
    """The vendor hands out a token with the last page (``token_path``) and takes it back (``param``) to list
    only what changed since. The engine keeps the token per stream and stores it only once everything the
    stream listed has committed; ``in_body`` sends it in a POST body (RPC-style APIs)."""

    param: str
    token_path: str
    in_body: bool = False

    def token(self, body: Any) -> str | None:
        value = dig(body, self.token_path)
        return str(value) if value else None


@dataclass(frozen=True)
class BodySince:
    """A "changed since" filter written into a POST search body: ``apply(body, since)`` returns the body to send
    (Eploy appends ``{"Route": "Application.ModificationDate", "Operation": "GreaterThan", "Value": ...}``
    to its ``Filters``)."""

    apply: Callable[[Any, datetime], Any]


Incremental = Since | SyncToken | BodySince

"""Embedded shapes, computed once when a record is written.

When a record appears *inside* another (an application's candidate, stage, job, interviews and offers),
the API needs only a small projection of it. Computing that projection at write time — one row, no fan-out
— lets the read path splice pre-serialised JSON instead of parsing and re-serialising whole documents per
request. Embedded data stays current: it is read from the embedded record's own row at request time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Json = dict[str, Any]
Projection = Callable[[str, str | None, Json], Json]


def _pick(record_id: str, remote_id: str | None, fields: Json, keys: tuple[str, ...]) -> Json:
    out: Json = {"id": record_id, "remote_id": remote_id}
    for key in keys:
        out[key] = fields.get(key)
    return out


def candidate(record_id: str, remote_id: str | None, fields: Json) -> Json:
    """An application's ``candidate`` without ``tags`` (tags are spliced in from the tag rows)."""
    return _pick(
        record_id,
        remote_id,
        fields,
        ("first_name", "last_name", "source", "remote_url", "email_addresses", "phone_numbers", "social_media"),
    )


def stage(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("name", "status", "custom_fields", "index"))


def job(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("name",))


def interview(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("title", "starting_at", "ending_at", "canceled", "location"))


def offer(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("status",))


def application(record_id: str, remote_id: str | None, fields: Json) -> Json:
    """A candidate's abbreviated application, without ``changed_at``, ``current_stage`` and ``job``."""
    return _pick(
        record_id,
        remote_id,
        fields,
        ("outcome", "rejection_reason_name", "rejected_at", "remote_url", "remote_created_at", "remote_updated_at"),
    )


def user(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("first_name", "last_name", "email"))


def tag(record_id: str, remote_id: str | None, fields: Json) -> Json:
    return _pick(record_id, remote_id, fields, ("name",))

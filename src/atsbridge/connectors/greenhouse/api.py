"""Harvest v3, declared once, and the per-run lookup tables its streams and writes share.

v3 knows the acting user only through the OAuth token: ``sub`` in the client-credentials request names a
Greenhouse user (empty: the integration's service account). v1's ``On-Behalf-Of`` header, which Kombo
exposes as ``remote_fields.greenhouse.post_headers["On-Behalf-Of"]``, therefore becomes a second token
with that ``sub``: :func:`acting_as`.

Candidates carry tag *names*, v3 applications a bare ``rejection_reason_id``, scheduled interviews the
planned interview (not its stage): a pure mapper cannot resolve those, so the source (or a write action that
returns such a record for write-through) attaches the lookup table under a ``_`` key first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient

BASE_URL = "https://harvest.greenhouse.io/v3"
TOKEN_URL = "https://auth.greenhouse.io/token"

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.OAuthClientCredentials(
        TOKEN_URL,
        kit.Text("client_id", "Client ID", help="Configure > Dev Center > API Credentials > Harvest v3 (OAuth)."),
        kit.Secret("client_secret", "Client secret"),
        extra_config=("sub",),  # the acting user; empty = the service account
    ),
    # ``Link: <...?cursor=...>; rel="next"``: the cursor must be the only parameter (else 422); per_page <= 500
    pager=kit.LinkHeader(page_size=500, cursor_only=True),
    rate=kit.RatePolicy(50, 10.0),
    timeout_seconds=30.0,
    passthrough="harvestv3",
)

Page = list[dict[str, Any]]


def make_client(info: IntegrationInfo, sub: str | None = None) -> HttpClient:
    """Never raises on bad config: missing credentials surface as the token endpoint's 401 in the run."""
    if sub:
        info = dataclasses.replace(info, config={**info.config, "sub": sub})
    return API.client(info)


def acting_as(source: kit.KitSource, user: str | None) -> kit.KitSource:
    """This source, or one whose token names ``user`` as the acting user (closed with this one)."""
    info = source.info
    if not user or info is None or user == str(info.config.get("sub") or ""):
        return source
    return source.sibling(f"sub:{user}", lambda: make_client(info, user))


async def list_all(source: kit.KitSource, path: str, params: Mapping[str, Any] | None = None) -> Page:
    """Every record of a (filtered) listing; for the small, targeted reads of write actions."""
    return await source.all_records(path.strip("/"), path, params)


# ------------------------------------------------------------------------------------------------ lookups
#: tag name -> tag id (candidates name their tags).
TAGS: kit.Lookup[Any] = kit.Lookup("tag_ids")
#: rejection reason id -> reason (v3 applications name the id only).
REASONS: kit.Lookup[dict[str, Any]] = kit.Lookup("rejection_reasons")
#: planned (job) interview id -> its stage id (scheduled interviews name the planned interview).
STAGES: kit.Lookup[Any] = kit.Lookup("interview_stage")
#: job id -> its job posts (editing a post does not touch its job).
POSTS: kit.Lookup[list[dict[str, Any]]] = kit.Lookup("job_posts")


def fold_tag(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    table[rec["name"]] = rec["id"]


def fold_reason(table: dict[Any, dict[str, Any]], rec: dict[str, Any]) -> None:
    table[rec["id"]] = rec


def fold_stage(table: dict[Any, Any], rec: dict[str, Any]) -> None:
    for planned in rec.get("interviews") or []:  # the stage's interview plan: job interview id -> stage id
        table[planned["id"]] = rec["id"]


def fold_post(table: dict[Any, list[dict[str, Any]]], rec: dict[str, Any]) -> None:
    table.setdefault(rec.get("job_id"), []).append(rec)


def with_tags(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    return {**rec, "_tag_ids": table}


def with_reason(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    """v3 applications carry ``rejection_reason_id`` only; v1 embeds the reason object."""
    reason = table.get(rec.get("rejection_reason_id"))
    return {**rec, "_rejection_reason": reason} if reason and not rec.get("rejection_reason") else rec


def with_stage(rec: dict[str, Any], table: dict[Any, Any]) -> dict[str, Any]:
    """A scheduled interview names its planned interview; the plan says which stage that belongs to."""
    planned = rec.get("interview") or {}
    stage = table.get(planned.get("id")) if isinstance(planned, dict) else None
    return {**rec, "_stage_id": stage} if stage is not None else rec

"""Sage HR's API (``https://{subdomain}.sage.hr/api``) declared once: ``X-Auth-Token``, page numbers, and the
lookups the recruitment streams share."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]

API = kit.VendorApi(
    base_url="https://{subdomain}.sage.hr/api",
    auth=kit.HeaderKey(
        "X-Auth-Token",
        kit.Secret(
            "api_key",
            "API key",
            help="Sage HR > Settings > Integrations > API: enable API access, then copy your API key.",
        ),
    ),
    # ``page`` from 1 and ``per_page`` (default 30, max 100) [doc]; ``meta.total_pages`` says when to stop
    pager=kit.PageNumber(
        param="page", size_param="per_page", page_size=100, total_path="meta.total_pages", records_path="data"
    ),  # fmt: skip
    records_path="data",
    # no limit is documented [gap]: a modest pace, and a 429 (Retry-After honoured) backs off
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="api",
)

#: Recruitment positions listed in this run: their applicants are listed per position (no global listing).
POSITIONS: kit.Lookup[Raw] = kit.Lookup("positions")
#: Pipeline stages seen on this run's applicants, ``"<position id>:<stage id>"`` -> ``{id, title, _position}``:
#: the API has no stage list.
STAGES: kit.Lookup[Raw] = kit.Lookup("stages")


def position_context(raw: Raw) -> Raw:
    """What an applicant's mapper needs of its position (small: it stays in memory for the run)."""
    return {"id": raw["id"], "title": raw.get("title")}


def stage_key(position_id: object, stage_id: object) -> str:
    """Stages belong to one position's pipeline; whether their ids are unique across positions is not
    documented [gap], so the remote id carries the position."""
    return f"{position_id}:{stage_id}"


def fold_stage(table: dict[str, Raw], applicant: Raw) -> None:
    stage, position = (
        applicant.get("stage"),
        applicant.get("position_id") or (applicant.get("_position") or {}).get("id"),
    )
    if isinstance(stage, dict) and stage.get("id") is not None and position is not None:
        table[stage_key(position, stage["id"])] = {"id": stage["id"], "title": stage.get("title"),
                                                   "_position": position}  # fmt: skip

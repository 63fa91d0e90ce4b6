"""The read path: one keyset query per page, then batched ``IN`` loads for embedded records.

Pages are ordered by record id. Ids never change, so a record that is edited while a client pages
through a list keeps its place: it is served exactly once, never skipped and never twice. Deep pages cost
what the first does (``id > :last`` on the ``(integration_id, id)`` index). Embedded objects are loaded
per page (at most 250 ids per ``IN``), never per row, and never materialised, so they are always current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Select, and_, or_, select

from atsbridge.core.timeutil import format_ts, start_of_day
from atsbridge.model.registry import MODELS, Filter
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES

Json = dict[str, Any]


@dataclass
class ListQuery:
    model: str
    integration_id: str
    ids: list[str] | None = None
    remote_ids: list[str] | None = None
    #: Endpoint filters by param name, already parsed (lists, strings, datetimes).
    filters: dict[str, Any] | None = None
    updated_after: datetime | None = None
    include_deleted: bool = False
    after_id: str | None = None
    limit: int = 100


def _ts(value: datetime | None) -> str | None:
    return None if value is None else format_ts(value)


def _filter_clause(flt: Filter, model: str, integration_id: str, value: Any) -> ColumnElement[bool]:
    table = MODEL_TABLES[model]
    if flt.side is not None:
        side = SIDE_TABLES[(model, flt.side)]
        sub = select(side.c.record_id).where(side.c.integration_id == integration_id, side.c.value == value.lower())
        side_clause: ColumnElement[bool] = table.c.id.in_(sub)
        return side_clause
    if flt.via is not None:
        other_model, other_col, local_col = flt.via
        other = MODEL_TABLES[other_model]
        sub = select(other.c[local_col]).where(
            other.c.integration_id == integration_id,
            other.c[other_col].in_(value),
            other.c.remote_deleted_at.is_(None),
        )
        clause: ColumnElement[bool] = table.c[flt.target].in_(sub)
        return clause
    column = table.c[flt.target]
    result: ColumnElement[bool]
    if flt.kind in ("list", "enum_list"):
        if flt.target.endswith("_ci"):
            value = [v.lower() for v in value]
        result = column.in_(value)
    elif flt.kind == "ci_str":
        result = column == value.lower()
    elif flt.kind == "datetime_day":
        result = column >= start_of_day(value)
    elif flt.kind == "contains":
        escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        result = column.like(f"%{escaped}%", escape="\\")
    else:
        result = column == value
    return result


def build_query(q: ListQuery) -> Select[Any]:
    spec = MODELS[q.model]
    table = MODEL_TABLES[q.model]
    cols = [table.c.id, table.c.remote_id, table.c.data, table.c.nested, table.c.changed_at, table.c.remote_deleted_at]
    stmt = select(*cols).where(table.c.integration_id == q.integration_id)
    if not q.include_deleted:
        stmt = stmt.where(table.c.remote_deleted_at.is_(None))
    if q.ids is not None:
        stmt = stmt.where(table.c.id.in_(q.ids))
    if q.remote_ids is not None:
        stmt = stmt.where(table.c.remote_id.in_(q.remote_ids))
    if q.updated_after is not None:
        stmt = stmt.where(table.c.effective_changed_at > q.updated_after)
    by_param = {f.param: f for f in spec.filters}
    for param, value in (q.filters or {}).items():
        stmt = stmt.where(_filter_clause(by_param[param], q.model, q.integration_id, value))
    if q.after_id is not None:
        stmt = stmt.where(table.c.id > q.after_id)
    return stmt.order_by(table.c.id).limit(q.limit + 1)


def list_page(conn: Connection, q: ListQuery) -> tuple[list[Json], str | None]:
    """One page of wire-shaped records and the id to continue after (None on the last page)."""
    rows = conn.execute(build_query(q)).all()
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    records = [_base(r) for r in rows]
    EXPANDERS[q.model](Loader(conn, q.integration_id), records, [_nested(r) for r in rows])
    return records, (rows[-1].id if more and rows else None)


def _base(row: Any) -> Json:
    obj: Json = orjson.loads(row.data)
    obj["id"] = row.id
    obj["remote_id"] = row.remote_id
    obj["changed_at"] = format_ts(row.changed_at)
    obj["remote_deleted_at"] = _ts(row.remote_deleted_at)
    return obj


def _nested(row: Any) -> Json:
    return orjson.loads(row.nested) if row.nested else {}


class Loader:
    """Batched, per-request cache of records by id (a dataloader bounded by one page)."""

    def __init__(self, conn: Connection, integration_id: str):
        self.conn = conn
        self.integration_id = integration_id
        self._cache: dict[str, dict[str, tuple[Json, Json]]] = defaultdict(dict)

    def get(self, model: str, ids: Iterable[str | None]) -> dict[str, tuple[Json, Json]]:
        """Records (wire base, nested) by id; deleted records are included, missing ones are absent."""
        cache = self._cache[model]
        wanted = {i for i in ids if i is not None and i not in cache}
        if wanted:
            table = MODEL_TABLES[model]
            stmt = select(
                table.c.id,
                table.c.remote_id,
                table.c.data,
                table.c.nested,
                table.c.changed_at,
                table.c.remote_deleted_at,
            ).where(table.c.integration_id == self.integration_id, table.c.id.in_(sorted(wanted)))
            for row in self.conn.execute(stmt):
                cache[row.id] = (_base(row), _nested(row))
        return cache

    def children(self, model: str, fk: str, parent_ids: Sequence[str]) -> dict[str, list[Json]]:
        """Live records of ``model`` whose ``fk`` is one of ``parent_ids``, grouped by parent, in id order."""
        grouped: dict[str, list[Json]] = defaultdict(list)
        if not parent_ids:
            return grouped
        table = MODEL_TABLES[model]
        stmt = (
            select(
                table.c.id,
                table.c.remote_id,
                table.c.data,
                table.c.nested,
                table.c.changed_at,
                table.c.remote_deleted_at,
            )
            .where(
                table.c.integration_id == self.integration_id,
                table.c[fk].in_(sorted(set(parent_ids))),
                table.c.remote_deleted_at.is_(None),
            )
            .order_by(table.c.id)
        )
        cache = self._cache[model]
        for row in self.conn.execute(stmt):
            base = _base(row)
            cache.setdefault(row.id, (base, _nested(row)))
            grouped[base[fk]].append(base)
        return grouped


# ------------------------------------------------------------------------------------- embedded shapes
def _tag_refs(loader: Loader, tag_ids: list[str]) -> list[Json]:
    tags = loader.get("tags", tag_ids)
    out = []
    for tid in tag_ids:
        hit = tags.get(tid)
        if hit is not None and hit[0]["remote_deleted_at"] is None:
            out.append({"id": tid, "remote_id": hit[0]["remote_id"], "name": hit[0].get("name")})
    return out


def _job_ref(job: Json | None) -> Json | None:
    if job is None:
        return None
    return {"id": job["id"], "remote_id": job["remote_id"], "name": job.get("name")}


def _stage_full(stage: Json | None) -> Json | None:
    if stage is None:
        return None
    return {
        "id": stage["id"],
        "remote_id": stage["remote_id"],
        "name": stage.get("name"),
        "status": stage.get("status"),
        "custom_fields": stage.get("custom_fields"),
        "index": stage.get("index"),
    }


def _stage_short(stage: Json | None) -> Json | None:
    if stage is None:
        return None
    return {"id": stage["id"], "name": stage.get("name"), "remote_id": stage["remote_id"], "index": stage.get("index")}


def _user_ref(user: Json | None) -> Json | None:
    if user is None:
        return None
    return {
        "id": user["id"],
        "remote_id": user["remote_id"],
        "first_name": user.get("first_name"),
        "last_name": user.get("last_name"),
        "email": user.get("email"),
    }


def _short_candidate(cand: Json | None) -> Json | None:
    if cand is None:
        return None
    return {
        "id": cand["id"],
        "remote_id": cand["remote_id"],
        "first_name": cand.get("first_name"),
        "last_name": cand.get("last_name"),
        "email_addresses": cand.get("email_addresses"),
    }


def _first(loaded: dict[str, tuple[Json, Json]], key: str | None) -> Json | None:
    hit = loaded.get(key) if key is not None else None
    return hit[0] if hit is not None else None


# ----------------------------------------------------------------------------------------- expanders
def _expand_applications(loader: Loader, recs: list[Json], _nested: list[Json]) -> None:
    cands = loader.get("candidates", (r.get("candidate_id") for r in recs))
    stages = loader.get("application_stages", (r.get("current_stage_id") for r in recs))
    jobs = loader.get("jobs", (r.get("job_id") for r in recs))
    ids = [r["id"] for r in recs]
    interviews = loader.children("interviews", "application_id", ids)
    offers = loader.children("offers", "application_id", ids)
    for r in recs:
        hit = cands.get(str(r.get("candidate_id") or ""))
        if hit is None:
            r["candidate"] = None
        else:
            c, cn = hit
            r["candidate"] = {
                "id": c["id"],
                "remote_id": c["remote_id"],
                "first_name": c.get("first_name"),
                "last_name": c.get("last_name"),
                "source": c.get("source"),
                "remote_url": c.get("remote_url"),
                "tags": _tag_refs(loader, cn.get("tag_ids", [])),
                "email_addresses": c.get("email_addresses"),
                "phone_numbers": c.get("phone_numbers"),
                "social_media": c.get("social_media"),
            }
        r["current_stage"] = _stage_full(_first(stages, r.get("current_stage_id")))
        r["job"] = _job_ref(_first(jobs, r.get("job_id")))
        r["interviews"] = [
            {
                "id": i["id"],
                "remote_id": i["remote_id"],
                "title": i.get("title"),
                "starting_at": i.get("starting_at"),
                "ending_at": i.get("ending_at"),
                "canceled": i.get("canceled"),
                "location": i.get("location"),
            }
            for i in interviews.get(r["id"], [])
        ]
        r["offers"] = [
            {"id": o["id"], "remote_id": o["remote_id"], "status": o.get("status")} for o in offers.get(r["id"], [])
        ]
        r["integration_fields"] = []
        r["remote_data"] = None


def _expand_candidates(loader: Loader, recs: list[Json], nested: list[Json]) -> None:
    apps = loader.children("applications", "candidate_id", [r["id"] for r in recs])
    all_apps = [a for group in apps.values() for a in group]
    stages = loader.get("application_stages", (a.get("current_stage_id") for a in all_apps))
    jobs = loader.get("jobs", (a.get("job_id") for a in all_apps))
    for r, n in zip(recs, nested, strict=True):
        r["applications"] = [
            {
                "id": a["id"],
                "remote_id": a["remote_id"],
                "outcome": a.get("outcome"),
                "rejection_reason_name": a.get("rejection_reason_name"),
                "rejected_at": a.get("rejected_at"),
                "remote_url": a.get("remote_url"),
                "changed_at": a["changed_at"],
                "remote_created_at": a.get("remote_created_at"),
                "remote_updated_at": a.get("remote_updated_at"),
                "current_stage": _stage_short(_first(stages, a.get("current_stage_id"))),
                "job": _job_ref(_first(jobs, a.get("job_id"))),
            }
            for a in apps.get(r["id"], [])
        ]
        r["tags"] = _tag_refs(loader, n.get("tag_ids", []))
        r["integration_fields"] = []
        r["remote_data"] = None


def _expand_jobs(loader: Loader, recs: list[Json], nested: list[Json]) -> None:
    stages = loader.children("application_stages", "job_id", [r["id"] for r in recs])
    users = loader.get("users", (m["user_id"] for n in nested for m in n.get("hiring_team", [])))
    for r, n in zip(recs, nested, strict=True):
        job_stages = sorted(
            stages.get(r["id"], []), key=lambda s: (s.get("index") is None, s.get("index") or 0, s["id"])
        )
        r["stages"] = [_stage_full(s) for s in job_stages]
        r["screening_questions"] = n.get("screening_questions", [])
        r["job_postings"] = n.get("job_postings", [])
        team = []
        for member in n.get("hiring_team", []):
            user = _first(users, member["user_id"])
            if user is None or user["remote_deleted_at"] is not None:
                continue
            team.append(
                {
                    **(_user_ref(user) or {}),
                    "hiring_team_roles": member.get("hiring_team_roles", []),
                    "job_roles": member.get("job_roles", []),
                }
            )
        r["hiring_team"] = team
        r["integration_fields"] = []
        r["remote_data"] = None


def _expand_users(_loader: Loader, recs: list[Json], nested: list[Json]) -> None:
    for r, n in zip(recs, nested, strict=True):
        r["system_roles"] = n.get("system_roles", [])


def _short_application(loader: Loader, app_ids: Iterable[str | None]) -> dict[str, Json]:
    apps = loader.get("applications", app_ids)
    app_list = [a for a, _ in apps.values()]
    cands = loader.get("candidates", (a.get("candidate_id") for a in app_list))
    jobs = loader.get("jobs", (a.get("job_id") for a in app_list))
    out: dict[str, Json] = {}
    for aid, (a, _) in apps.items():
        out[aid] = {
            "id": a["id"],
            "remote_id": a["remote_id"],
            "outcome": a.get("outcome"),
            "rejection_reason_name": a.get("rejection_reason_name"),
            "candidate": _short_candidate(_first(cands, a.get("candidate_id"))),
            "job": _job_ref(_first(jobs, a.get("job_id"))),
        }
    return out


def _expand_offers(loader: Loader, recs: list[Json], _nested: list[Json]) -> None:
    apps = _short_application(loader, (r.get("application_id") for r in recs))
    for r in recs:
        app = apps.get(str(r.get("application_id") or ""))
        r["application"] = None if app is None else {"candidate": app["candidate"], "job": app["job"]}
        r["integration_fields"] = []
        r["remote_data"] = None


def _expand_interviews(loader: Loader, recs: list[Json], nested: list[Json]) -> None:
    apps = _short_application(loader, (r.get("application_id") for r in recs))
    users = loader.get("users", (u for n in nested for u in n.get("user_ids", [])))
    for r, n in zip(recs, nested, strict=True):
        r["users"] = [ref for ref in (_user_ref(_first(users, u)) for u in n.get("user_ids", [])) if ref is not None]
        r["application"] = apps.get(r.get("application_id") or "")
        r["remote_data"] = None


def _expand_authored(loader: Loader, recs: list[Json], _nested: list[Json]) -> None:
    users = loader.get("users", (r.get("author_id") for r in recs))
    for r in recs:
        r["author"] = _user_ref(_first(users, r.get("author_id")))


def _expand_nothing(_loader: Loader, _recs: list[Json], _nested: list[Json]) -> None:
    """Flat models: the stored document is the wire shape."""


EXPANDERS = {
    "applications": _expand_applications,
    "candidates": _expand_candidates,
    "jobs": _expand_jobs,
    "users": _expand_users,
    "offers": _expand_offers,
    "interviews": _expand_interviews,
    "notes": _expand_authored,
    "scorecards": _expand_authored,
    "tags": _expand_nothing,
    "roles": _expand_nothing,
    "rejection_reasons": _expand_nothing,
    "application_stages": _expand_nothing,
    "attachments": _expand_nothing,
}


def get_one(conn: Connection, model: str, integration_id: str, record_id: str) -> Json | None:
    """A single wire-shaped record by id (deleted ones included), or None."""
    records, _ = list_page(
        conn, ListQuery(model=model, integration_id=integration_id, ids=[record_id], include_deleted=True, limit=1)
    )
    return records[0] if records else None


def find_by_id_or_remote(conn: Connection, model: str, integration_id: str, ref: str) -> str | None:
    """Resolve an atsbridge id or ``remote:<vendor id>`` to an atsbridge id."""
    table = MODEL_TABLES[model]
    if ref.startswith("remote:"):
        cond = and_(table.c.integration_id == integration_id, table.c.remote_id == ref[len("remote:") :])
    else:
        cond = and_(table.c.integration_id == integration_id, or_(table.c.id == ref))
    return conn.execute(select(table.c.id).where(cond).limit(1)).scalar_one_or_none()

"""The read path: one keyset query per page, then batched ``IN`` loads for embedded records.

Pages are ordered by record id. Ids never change, so a record edited while a client pages through a list
keeps its place: it is served exactly once, never skipped and never twice. Deep pages cost what the first
does (``id > :last`` on the ``(integration_id, id)`` index).

Responses are assembled from pre-serialised JSON: a record's own fields are stored as a JSON document and
spliced in as bytes, and embedded records contribute their write-time projection (``embed`` column).
Nothing is parsed and re-serialised per request except small nested lists, which keeps a 250-row page of
applications with candidates, stages, jobs, interviews and offers close to the cost of reading the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Row, Select, and_, select

from atsbridge.core.timeutil import format_ts, start_of_day
from atsbridge.model.registry import MODELS, Filter
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES

Json = dict[str, Any]
Extra = list[tuple[bytes, bytes]]
_NULL = b"null"
_EMPTY = b"[]"


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


def _page_columns(model: str) -> list[Any]:
    """What a page needs: the document, bookkeeping and the foreign keys its expander follows."""
    table = MODEL_TABLES[model]
    cols = [table.c.id, table.c.remote_id, table.c.data, table.c.nested, table.c.changed_at, table.c.remote_deleted_at]
    cols += [table.c[p.column] for p in MODELS[model].promoted if p.type == "str" and p.column.endswith("_id")]
    return cols


def build_query(q: ListQuery) -> Select[Any]:
    spec = MODELS[q.model]
    table = MODEL_TABLES[q.model]
    stmt = select(*_page_columns(q.model)).where(table.c.integration_id == q.integration_id)
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


def list_page(conn: Connection, q: ListQuery) -> tuple[list[bytes], str | None]:
    """One page of wire-shaped records (each a JSON object, as bytes) and the id to continue after."""
    rows = list(conn.execute(build_query(q)))
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    extras = EXPANDERS[q.model](Loader(conn, q.integration_id), rows)
    items = [_assemble(row, extra) for row, extra in zip(rows, extras, strict=True)]
    return items, (rows[-1].id if more and rows else None)


def list_records(conn: Connection, q: ListQuery) -> tuple[list[Json], str | None]:
    """:func:`list_page`, parsed (for callers that need Python objects)."""
    items, last = list_page(conn, q)
    return [orjson.loads(i) for i in items], last


def _assemble(row: Row[Any], extra: Extra) -> bytes:
    parts = [
        b'{"id":"',
        row.id.encode(),  # ids are base58: nothing to escape
        b'","remote_id":',
        orjson.dumps(row.remote_id),
        b',"changed_at":"',
        format_ts(row.changed_at).encode(),
        b'","remote_deleted_at":',
        b'"' + format_ts(row.remote_deleted_at).encode() + b'"' if row.remote_deleted_at is not None else _NULL,
    ]
    data = row.data.encode()
    if len(data) > 2:
        parts += [b",", data[1:-1]]
    for key, value in extra:
        if key == b"integration_fields" and b'"integration_fields":[' in data:
            continue  # passthrough fields stored with the record (fields.plan) win over the empty default
        parts += [b',"', key, b'":', value]
    parts.append(b"}")
    return b"".join(parts)


def _array(items: Iterable[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def _with(embed: bytes, extra: Extra) -> bytes:
    """Add keys to a pre-serialised object."""
    return embed[:-1] + b"".join(b',"' + k + b'":' + v for k, v in extra) + b"}"


class Loader:
    """Batched, per-request access to embedded records (a dataloader bounded by one page)."""

    def __init__(self, conn: Connection, integration_id: str):
        self.conn = conn
        self.integration_id = integration_id
        self._embeds: dict[str, dict[str, tuple[bytes, bool]]] = defaultdict(dict)

    def embeds(self, model: str, ids: Iterable[str | None], *, live_only: bool = False) -> dict[str, bytes]:
        """Projections by id (deleted records included unless ``live_only``); missing ids are absent."""
        cache = self._embeds[model]
        wanted = {i for i in ids if i is not None and i not in cache}
        if wanted:
            table = MODEL_TABLES[model]
            stmt = select(table.c.id, table.c.embed, table.c.remote_deleted_at).where(
                table.c.integration_id == self.integration_id, table.c.id.in_(sorted(wanted))
            )
            for r in self.conn.execute(stmt):
                cache[r.id] = (r.embed.encode(), r.remote_deleted_at is not None)
        return {k: v for k, (v, deleted) in cache.items() if not (live_only and deleted)}

    def global_stages(self) -> list[Row[Any]]:
        """Live stages that belong to no job (tools with one pipeline for all jobs)."""
        table = MODEL_TABLES["application_stages"]
        stmt = select(table.c.id, table.c.embed, table.c.job_id).where(
            table.c.integration_id == self.integration_id,
            table.c.job_id.is_(None),
            table.c.remote_deleted_at.is_(None),
        )
        return list(self.conn.execute(stmt))

    def rows(
        self,
        model: str,
        ids: Iterable[str | None] = (),
        *,
        fk: str | None = None,
        parents: Sequence[str] = (),
        columns: Sequence[str] = (),
    ) -> list[Row[Any]]:
        """Rows (``id``, ``embed``, ``remote_deleted_at`` and ``columns``) by id, or the live children of
        ``parents`` through column ``fk``, in id order."""
        table = MODEL_TABLES[model]
        wanted_cols = ["id", "embed", "remote_deleted_at", *columns, *([fk] if fk else [])]
        stmt = select(*[table.c[c] for c in dict.fromkeys(wanted_cols)]).where(
            table.c.integration_id == self.integration_id
        )
        if fk is not None:
            if not parents:
                return []
            stmt = stmt.where(table.c[fk].in_(sorted(set(parents))), table.c.remote_deleted_at.is_(None))
        else:
            wanted = sorted({i for i in ids if i is not None})
            if not wanted:
                return []
            stmt = stmt.where(table.c.id.in_(wanted))
        # Sorted here, not in SQL: an ORDER BY id would lure the planner onto the (integration_id, id)
        # index and scan the integration's whole table instead of using the foreign-key index.
        rows = sorted(self.conn.execute(stmt), key=lambda r: str(r.id))
        if model in MODELS and MODELS[model].embed is not None:
            cache = self._embeds[model]
            for r in rows:
                cache.setdefault(r.id, (r.embed.encode(), r.remote_deleted_at is not None))
        return rows


def _nested(row: Row[Any]) -> Json:
    return orjson.loads(row.nested) if row.nested else {}


def _tags(loader: Loader, tag_ids_per_record: list[list[str]]) -> list[bytes]:
    tags = loader.embeds("tags", (t for ids in tag_ids_per_record for t in ids), live_only=True)
    return [_array(tags[t] for t in ids if t in tags) for ids in tag_ids_per_record]


def _or_null(found: dict[str, bytes], key: str | None) -> bytes:
    return found.get(key, _NULL) if key is not None else _NULL


# ----------------------------------------------------------------------------------------- expanders
def _applications(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    cand_rows = {r.id: r for r in loader.rows("candidates", (r.candidate_id for r in rows), columns=("nested",))}
    cand_tags = {cid: _nested(r).get("tag_ids", []) for cid, r in cand_rows.items()}
    tag_lists = dict(zip(cand_tags, _tags(loader, list(cand_tags.values())), strict=True))
    stages = loader.embeds("application_stages", (r.current_stage_id for r in rows))
    jobs = loader.embeds("jobs", (r.job_id for r in rows))
    ids = [r.id for r in rows]
    interviews: dict[str, list[bytes]] = defaultdict(list)
    for i in loader.rows("interviews", fk="application_id", parents=ids):
        interviews[i.application_id].append(i.embed.encode())
    offers: dict[str, list[bytes]] = defaultdict(list)
    for o in loader.rows("offers", fk="application_id", parents=ids):
        offers[o.application_id].append(o.embed.encode())
    out = []
    for r in rows:
        cand = cand_rows.get(r.candidate_id) if r.candidate_id else None
        out.append(
            [
                (b"candidate", _with(cand.embed.encode(), [(b"tags", tag_lists[cand.id])]) if cand else _NULL),
                (b"current_stage", _or_null(stages, r.current_stage_id)),
                (b"job", _or_null(jobs, r.job_id)),
                (b"interviews", _array(interviews.get(r.id, ()))),
                (b"offers", _array(offers.get(r.id, ()))),
                (b"integration_fields", _EMPTY),
                (b"remote_data", _NULL),
            ]
        )
    return out


def _candidates(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    apps = loader.rows(
        "applications",
        fk="candidate_id",
        parents=[r.id for r in rows],
        columns=("changed_at", "current_stage_id", "job_id"),
    )
    stages = loader.embeds("application_stages", (a.current_stage_id for a in apps))
    jobs = loader.embeds("jobs", (a.job_id for a in apps))
    by_candidate: dict[str, list[bytes]] = defaultdict(list)
    for a in apps:
        by_candidate[a.candidate_id].append(
            _with(
                a.embed.encode(),
                [
                    (b"changed_at", b'"' + format_ts(a.changed_at).encode() + b'"'),
                    (b"current_stage", _or_null(stages, a.current_stage_id)),
                    (b"job", _or_null(jobs, a.job_id)),
                ],
            )
        )
    tag_lists = _tags(loader, [_nested(r).get("tag_ids", []) for r in rows])
    return [
        [
            (b"applications", _array(by_candidate.get(r.id, ()))),
            (b"tags", tags),
            (b"integration_fields", _EMPTY),
            (b"remote_data", _NULL),
        ]
        for r, tags in zip(rows, tag_lists, strict=True)
    ]


def _jobs(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    stage_rows = loader.rows("application_stages", fk="job_id", parents=[r.id for r in rows])
    stages: dict[str | None, list[tuple[int | None, str, bytes]]] = defaultdict(list)
    for s in [*stage_rows, *loader.global_stages()]:
        index = orjson.loads(s.embed).get("index")
        stages[s.job_id].append((index, s.id, s.embed.encode()))
    nested = [_nested(r) for r in rows]
    users = loader.embeds("users", (m["user_id"] for n in nested for m in n.get("hiring_team", ())), live_only=True)
    out = []
    for r, n in zip(rows, nested, strict=True):
        # Tools with one pipeline for every job (Lever) keep their stages without a job: every job has them.
        own = stages.get(r.id) or stages.get(None, [])
        ordered = sorted(own, key=lambda s: (s[0] is None, s[0] or 0, s[1]))
        team = [
            _with(
                users[m["user_id"]],
                [
                    (b"hiring_team_roles", orjson.dumps(m.get("hiring_team_roles", []))),
                    (b"job_roles", orjson.dumps(m.get("job_roles", []))),
                ],
            )
            for m in n.get("hiring_team", ())
            if m["user_id"] in users
        ]
        out.append(
            [
                (b"stages", _array(s[2] for s in ordered)),
                (b"screening_questions", orjson.dumps(n.get("screening_questions", []))),
                (b"job_postings", orjson.dumps(n.get("job_postings", []))),
                (b"hiring_team", _array(team)),
                (b"integration_fields", _EMPTY),
                (b"remote_data", _NULL),
            ]
        )
    return out


def _users(_loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    return [[(b"system_roles", orjson.dumps(_nested(r).get("system_roles", [])))] for r in rows]


def _short_applications(loader: Loader, app_ids: Iterable[str | None]) -> dict[str, tuple[Row[Any], bytes, bytes]]:
    """application id -> (row, candidate embed or null, job embed or null)."""
    apps = loader.rows("applications", app_ids, columns=("candidate_id", "job_id"))
    cands = loader.embeds("candidates", (a.candidate_id for a in apps))
    jobs = loader.embeds("jobs", (a.job_id for a in apps))
    return {a.id: (a, _or_null(cands, a.candidate_id), _or_null(jobs, a.job_id)) for a in apps}


def _offers(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    apps = _short_applications(loader, (r.application_id for r in rows))
    out = []
    for r in rows:
        hit = apps.get(r.application_id) if r.application_id else None
        app = b'{"candidate":' + hit[1] + b',"job":' + hit[2] + b"}" if hit else _NULL
        out.append([(b"application", app), (b"integration_fields", _EMPTY), (b"remote_data", _NULL)])
    return out


def _interviews(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    apps = _short_applications(loader, (r.application_id for r in rows))
    nested = [_nested(r) for r in rows]
    users = loader.embeds("users", (u for n in nested for u in n.get("user_ids", ())))
    out = []
    for r, n in zip(rows, nested, strict=True):
        hit = apps.get(r.application_id) if r.application_id else None
        app = _with(hit[0].embed.encode(), [(b"candidate", hit[1]), (b"job", hit[2])]) if hit else _NULL
        people = _array(users[u] for u in n.get("user_ids", ()) if u in users)
        out.append([(b"users", people), (b"application", app), (b"remote_data", _NULL)])
    return out


def _authored(loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    users = loader.embeds("users", (r.author_id for r in rows))
    return [[(b"author", _or_null(users, r.author_id))] for r in rows]


def _flat(_loader: Loader, rows: list[Row[Any]]) -> list[Extra]:
    """Flat models: the stored document is the wire shape."""
    return [[] for _ in rows]


EXPANDERS: dict[str, Callable[[Loader, list[Row[Any]]], list[Extra]]] = {
    "applications": _applications,
    "candidates": _candidates,
    "jobs": _jobs,
    "users": _users,
    "offers": _offers,
    "interviews": _interviews,
    "notes": _authored,
    "scorecards": _authored,
    "tags": _flat,
    "roles": _flat,
    "rejection_reasons": _flat,
    "application_stages": _flat,
    "attachments": _flat,
}


def get_one(conn: Connection, model: str, integration_id: str, record_id: str) -> Json | None:
    """A single wire-shaped record by id (deleted ones included), or None."""
    records, _ = list_records(
        conn, ListQuery(model=model, integration_id=integration_id, ids=[record_id], include_deleted=True, limit=1)
    )
    return records[0] if records else None


def find_by_id_or_remote(conn: Connection, model: str, integration_id: str, ref: str) -> str | None:
    """Resolve an atsbridge id or ``remote:<vendor id>`` to an atsbridge id."""
    table = MODEL_TABLES[model]
    if ref.startswith("remote:"):
        cond = and_(table.c.integration_id == integration_id, table.c.remote_id == ref[len("remote:") :])
    else:
        cond = and_(table.c.integration_id == integration_id, table.c.id == ref)
    found: str | None = conn.execute(select(table.c.id).where(cond).limit(1)).scalar_one_or_none()
    return found

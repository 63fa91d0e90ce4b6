"""The store's write and read paths on both databases: change detection, propagation, deletion, paging."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from atsbridge.connectors.base import MapContext
from atsbridge.core.timeutil import utcnow
from atsbridge.model.record import UnifiedRecord
from atsbridge.store import platform
from atsbridge.store.reads import ListQuery
from atsbridge.store.reads import list_records as list_page
from atsbridge.store.tables import MODEL_TABLES
from atsbridge.store.writer import mark_deleted, write_batch


def _integration(engine: Engine, environment: str) -> str:
    with engine.begin() as conn:
        return platform.create_integration(conn, environment, "sandbox", "Acme")


def _write(engine: Engine, iid: str, recs: list[UnifiedRecord], ts=None):  # type: ignore[no-untyped-def]
    ts = ts or utcnow()
    with engine.begin() as conn:
        by_model: dict[str, list[UnifiedRecord]] = {}
        for r in recs:
            by_model.setdefault(r.model, []).append(r)
        return {m: write_batch(conn, iid, m, rs, ts) for m, rs in by_model.items()}


def _stamps(engine: Engine, model: str, rid: str) -> tuple[object, object]:
    t = MODEL_TABLES[model]
    with engine.connect() as conn:
        row = conn.execute(select(t.c.changed_at, t.c.effective_changed_at).where(t.c.id == rid)).one()
    return row.changed_at, row.effective_changed_at


def _world(ctx: MapContext) -> list[UnifiedRecord]:
    return [
        ctx.record("jobs", "j1", {"name": "Backend Engineer", "status": "OPEN"}),
        ctx.record("application_stages", "s1", {"name": "Screen", "job_id": ctx.ref("jobs", "j1"), "index": 0}),
        ctx.record("application_stages", "s2", {"name": "Onsite", "job_id": ctx.ref("jobs", "j1"), "index": 1}),
        ctx.record("tags", "t1", {"name": "VIP"}),
        ctx.record(
            "candidates",
            "c1",
            {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email_addresses": [{"type": "PERSONAL", "email_address": "Ada@X.io"}],
            },
            {"tag_ids": [ctx.ref("tags", "t1")]},
        ),
        ctx.record(
            "applications",
            "a1",
            {
                "candidate_id": ctx.ref("candidates", "c1"),
                "job_id": ctx.ref("jobs", "j1"),
                "current_stage_id": ctx.ref("application_stages", "s1"),
                "outcome": "PENDING",
            },
        ),
    ]


def test_unchanged_content_is_not_rewritten(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    t0 = utcnow() - timedelta(minutes=10)
    first = _write(engine, iid, _world(ctx), t0)
    assert first["applications"].created == 1
    again = _write(engine, iid, _world(ctx))
    assert all(r.created == 0 and r.updated == 0 for r in again.values())
    assert _stamps(engine, "applications", ctx.ref("applications", "a1")) == (t0, t0)  # type: ignore[arg-type]


def test_own_change_moves_changed_at_nested_change_only_updated_after(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    t0 = utcnow() - timedelta(minutes=10)
    _write(engine, iid, _world(ctx), t0)
    cid = ctx.ref("candidates", "c1")
    assert cid
    # A tag removed: nested data of the candidate -> updated_after moves, changed_at does not.
    t1 = t0 + timedelta(minutes=1)
    cand = _world(ctx)[4]
    _write(engine, iid, [UnifiedRecord(cand.model, cand.id, cand.remote_id, cand.fields, {"tag_ids": []})], t1)
    assert _stamps(engine, "candidates", cid) == (t0, t1)
    # The application is not bumped by the candidate's tags (candidate -> tags is not a nested path of it).
    assert _stamps(engine, "applications", ctx.ref("applications", "a1"))[1] == t0  # type: ignore[arg-type]
    # An own-field change of the candidate moves its changed_at and its applications' updated_after.
    t2 = t0 + timedelta(minutes=2)
    _write(
        engine, iid, [ctx.record("candidates", "c1", {"first_name": "Ada", "last_name": "King"}, {"tag_ids": []})], t2
    )
    assert _stamps(engine, "candidates", cid) == (t2, t2)
    assert _stamps(engine, "applications", ctx.ref("applications", "a1")) == (t0, t2)  # type: ignore[arg-type]


def test_propagation_follows_the_contract(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    t0 = utcnow() - timedelta(minutes=10)
    _write(engine, iid, _world(ctx), t0)
    aid, jid = ctx.ref("applications", "a1"), ctx.ref("jobs", "j1")
    # Interview added -> application and (not) candidate.
    t1 = t0 + timedelta(minutes=1)
    _write(engine, iid, [ctx.record("interviews", "i1", {"title": "Tech", "application_id": aid})], t1)
    assert _stamps(engine, "applications", aid) == (t0, t1)  # type: ignore[arg-type]
    assert _stamps(engine, "candidates", ctx.ref("candidates", "c1"))[1] == t0  # type: ignore[arg-type]
    # Job renamed -> applications are not bumped (job is not a nested path of applications).
    t2 = t0 + timedelta(minutes=2)
    _write(engine, iid, [ctx.record("jobs", "j1", {"name": "Staff Engineer", "status": "OPEN"})], t2)
    assert _stamps(engine, "jobs", jid) == (t2, t2)  # type: ignore[arg-type]
    assert _stamps(engine, "applications", aid)[1] == t1  # type: ignore[arg-type]
    # Stage renamed -> job not bumped (linked ✗); stage added -> job bumped (add/remove ✓).
    t3 = t0 + timedelta(minutes=3)
    _write(
        engine, iid, [ctx.record("application_stages", "s1", {"name": "Phone screen", "job_id": jid, "index": 0})], t3
    )
    assert _stamps(engine, "jobs", jid)[1] == t2  # type: ignore[arg-type]
    t4 = t0 + timedelta(minutes=4)
    _write(engine, iid, [ctx.record("application_stages", "s3", {"name": "Offer", "job_id": jid, "index": 2})], t4)
    assert _stamps(engine, "jobs", jid)[1] == t4  # type: ignore[arg-type]
    # Application moved -> candidate bumped (applications linked ✓), offers of it bumped.
    t5 = t0 + timedelta(minutes=5)
    _write(engine, iid, [ctx.record("offers", "o1", {"status": "DRAFT", "application_id": aid})], t5)
    t6 = t0 + timedelta(minutes=6)
    moved = ctx.record(
        "applications",
        "a1",
        {
            "candidate_id": ctx.ref("candidates", "c1"),
            "job_id": jid,
            "current_stage_id": ctx.ref("application_stages", "s2"),
            "outcome": "PENDING",
        },
    )
    _write(engine, iid, [moved], t6)
    assert _stamps(engine, "candidates", ctx.ref("candidates", "c1"))[1] == t6  # type: ignore[arg-type]
    assert _stamps(engine, "offers", ctx.ref("offers", "o1")) == (t5, t6)  # type: ignore[arg-type]


def test_deletion_hides_and_propagates(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    t0 = utcnow() - timedelta(minutes=10)
    _write(engine, iid, _world(ctx), t0)
    _write(
        engine,
        iid,
        [ctx.record("interviews", "i1", {"title": "Tech", "application_id": ctx.ref("applications", "a1")})],
        t0,
    )
    t1 = t0 + timedelta(minutes=1)
    with engine.begin() as conn:
        assert mark_deleted(conn, iid, "interviews", [ctx.ref("interviews", "i1")], t1) == 1  # type: ignore[list-item]
        assert mark_deleted(conn, iid, "interviews", [ctx.ref("interviews", "i1")], t1) == 0  # type: ignore[list-item]
    assert _stamps(engine, "applications", ctx.ref("applications", "a1"))[1] == t1  # type: ignore[arg-type]
    with engine.connect() as conn:
        live, _ = list_page(conn, ListQuery("interviews", iid))
        everything, _ = list_page(conn, ListQuery("interviews", iid, include_deleted=True))
        apps, _ = list_page(conn, ListQuery("applications", iid))
    assert live == []
    assert everything[0]["remote_deleted_at"] is not None
    assert apps[0]["interviews"] == []
    # Seen again: restored.
    t2 = t0 + timedelta(minutes=2)
    _write(
        engine,
        iid,
        [ctx.record("interviews", "i1", {"title": "Tech", "application_id": ctx.ref("applications", "a1")})],
        t2,
    )
    with engine.connect() as conn:
        live, _ = list_page(conn, ListQuery("interviews", iid))
    assert [i["id"] for i in live] == [ctx.ref("interviews", "i1")]


def test_embedded_shapes(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    _write(engine, iid, _world(ctx))
    with engine.connect() as conn:
        (app,), _ = list_page(conn, ListQuery("applications", iid))
        (cand,), _ = list_page(conn, ListQuery("candidates", iid))
        (job,), _ = list_page(conn, ListQuery("jobs", iid))
    assert app["candidate"]["tags"] == [{"id": ctx.ref("tags", "t1"), "remote_id": "t1", "name": "VIP"}]
    assert app["current_stage"]["name"] == "Screen"
    assert app["job"] == {"id": ctx.ref("jobs", "j1"), "remote_id": "j1", "name": "Backend Engineer"}
    assert cand["applications"][0]["current_stage"]["name"] == "Screen"
    assert [s["name"] for s in job["stages"]] == ["Screen", "Onsite"]


def test_candidate_filters(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    _write(engine, iid, _world(ctx))
    with engine.connect() as conn:
        by_email, _ = list_page(conn, ListQuery("candidates", iid, filters={"email": "ada@x.IO"}))
        by_name, _ = list_page(conn, ListQuery("candidates", iid, filters={"last_name": "LOVELACE"}))
        by_job, _ = list_page(conn, ListQuery("candidates", iid, filters={"job_ids": [ctx.ref("jobs", "j1")]}))
        none, _ = list_page(conn, ListQuery("candidates", iid, filters={"email": "nobody@x.io"}))
        by_remote_job, _ = list_page(conn, ListQuery("applications", iid, filters={"job_remote_ids": ["j1"]}))
    assert len(by_email) == len(by_name) == len(by_job) == len(by_remote_job) == 1
    assert none == []


def test_keyset_pages_are_stable_under_concurrent_edits(engine: Engine, environment: str) -> None:
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    tags = [ctx.record("tags", f"t{i}", {"name": f"tag {i}"}) for i in range(57)]
    _write(engine, iid, tags)
    seen: list[str] = []
    after = None
    step = 0
    while True:
        with engine.connect() as conn:
            page, last = list_page(conn, ListQuery("tags", iid, after_id=after, limit=5))
        seen.extend(r["id"] for r in page)
        # Between pages, edit every record (changes changed_at) and add a brand-new one.
        step += 1
        _write(engine, iid, [ctx.record("tags", f"t{i}", {"name": f"tag {i} v{step}"}) for i in range(57)])
        if last is None:
            break
        after = last
    assert len(seen) == len(set(seen))
    assert {t.id for t in tags} <= set(seen)


def test_global_pipeline_stages_belong_to_every_job(engine: Engine, environment: str) -> None:
    """Tools with one pipeline for all jobs (Lever) store stages without a job."""
    iid = _integration(engine, environment)
    ctx = MapContext(iid)
    t0 = utcnow() - timedelta(minutes=10)
    _write(
        engine,
        iid,
        [
            ctx.record("jobs", "j1", {"name": "A"}),
            ctx.record("jobs", "j2", {"name": "B"}),
            ctx.record("application_stages", "new", {"name": "New", "index": 0}),
            ctx.record("application_stages", "offer", {"name": "Offer", "index": 1}),
        ],
        t0,
    )
    with engine.connect() as conn:
        jobs, _ = list_page(conn, ListQuery("jobs", iid))
    assert [[s["name"] for s in j["stages"]] for j in jobs] == [["New", "Offer"], ["New", "Offer"]]
    t1 = t0 + timedelta(minutes=1)
    _write(engine, iid, [ctx.record("application_stages", "phone", {"name": "Phone", "index": 2})], t1)
    assert _stamps(engine, "jobs", ctx.ref("jobs", "j1")) == (t0, t1)  # type: ignore[arg-type]
    assert _stamps(engine, "jobs", ctx.ref("jobs", "j2")) == (t0, t1)  # type: ignore[arg-type]


def test_connections_are_set_up_for_a_growing_store(engine: Engine) -> None:
    """SQLite: WAL and foreign keys. PostgreSQL: plans made with each statement's own values, so a sync's
    lookups do not keep the sequential scan planned while the tenant's tables were empty."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"

"""No change in what is stored: a full Greenhouse sync of a fixed fake seed must store exactly the golden dump.

The golden (``tests/golden/greenhouse_full_sync.jsonl``) was produced by the write path *before* the sync
speed work (issue 18), so any optimisation of validation, hashing, projections or inserts that changes a
single stored byte fails here, on SQLite and PostgreSQL alike. Time-dependent columns (``changed_at``,
``effective_changed_at``, ``first_seen_at``) are left out; everything else of every unified table and side
table is compared: documents, embedded projections, hashes, promoted columns.

Regenerate only from a write path known to be right: ``ATSBRIDGE_WRITE_GOLDEN=1 pytest -k golden`` writes
the file and then fails, so a regeneration can never pass unnoticed.
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes.greenhouse import create_app
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi

GOLDEN = Path(__file__).parent / "golden" / "greenhouse_full_sync.jsonl"
#: Columns whose values depend on when the sync ran.
TIME_DEPENDENT = {"changed_at", "effective_changed_at", "first_seen_at"}
#: A fixed integration id: record ids and every reference inside documents (and so the hashes) derive from it.
FIXED_SUFFIX = "goldenstoredump000000001"


def _cell(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def store_dump(engine: Engine, integration_id: str) -> list[str]:
    """Every stored row of the integration, one canonical JSON line each, in a fixed order."""
    lines: list[str] = []
    with engine.connect() as conn:
        for model, table in sorted(MODEL_TABLES.items()):
            cols = [c for c in table.c if c.name not in TIME_DEPENDENT]
            rows = conn.execute(select(*cols).where(table.c.integration_id == integration_id).order_by(table.c.id))
            for row in rows:
                cells = {str(k): _cell(v) for k, v in row._asdict().items()}
                lines.append(orjson.dumps({"table": model, **cells}, option=orjson.OPT_SORT_KEYS).decode())
        for (model, side), table in sorted(SIDE_TABLES.items()):
            rows = conn.execute(
                select(table.c.record_id, table.c.value)
                .where(table.c.integration_id == integration_id)
                .order_by(table.c.record_id, table.c.value)
            )
            for row in rows:
                line = {"table": f"{model}.{side}", "record_id": row.record_id, "value": row.value}
                lines.append(orjson.dumps(line, option=orjson.OPT_SORT_KEYS).decode())
    return lines


def test_full_sync_stores_exactly_the_golden(
    engine: Engine, settings: Settings, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "random_id", lambda n: FIXED_SUFFIX[:n])
    app = create_app(seed=5, records=60, rate_limit=None)
    app.state.fake.page_cap = 9  # many pages, so batching across pages and commits is exercised
    with serve_asgi(app) as url:
        iid = create_integration(
            engine, settings, environment, "greenhouse", "Golden Inc.",
            config={"base_url": url + "/v3", "token_url": url + "/token", "sync_all_applications": True},
            credentials={"client_id": "gh_client", "client_secret": "gh_secret"},
        )  # fmt: skip
        assert iid == f"greenhouse:{FIXED_SUFFIX}"
        result = asyncio.run(SyncEngine(engine, settings).run(iid, full=True))
    assert result.status == "SUCCEEDED", result.error
    dump = store_dump(engine, iid)
    assert len(dump) > 300  # every model of the fake, not a vacuous comparison
    if os.environ.get("ATSBRIDGE_WRITE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text("\n".join(dump) + "\n")
        pytest.fail(f"golden written ({len(dump)} rows); unset ATSBRIDGE_WRITE_GOLDEN and re-run")
    golden = GOLDEN.read_text().splitlines()
    assert len(dump) == len(golden)
    for got, want in zip(dump, golden, strict=True):
        assert got == want

"""Re-sealing every stored secret under the current secret key (``atsbridge secrets rotate``).

Rotation procedure: set the new ``ATSBRIDGE_SECRET_KEY``, put the old one in ``ATSBRIDGE_OLD_SECRET_KEYS``,
restart, run ``atsbridge secrets rotate``; once it reports nothing left, drop the old key.

Idempotent and resumable: a blob already sealed under the current key is skipped, so an interrupted run
just continues; each blob is replaced only if it is still the one read (a concurrent writer wins). Rows
are read in batches in primary-key order, each batch in its own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from sqlalchemy import Column, Engine, Table, select, update

from atsbridge.core.crypto import CredentialBox
from atsbridge.store.tables import integrations, webhook_endpoints

BATCH = 200

#: (table, sealed column) pairs holding secrets sealed by :class:`CredentialBox`.
SEALED_COLUMNS: tuple[tuple[Table, str], ...] = (
    (integrations, "credentials"),
    (webhook_endpoints, "secret"),
    (webhook_endpoints, "previous_secret"),
)


@dataclass
class RotationReport:
    resealed: dict[str, int] = field(default_factory=dict)
    current: int = 0
    #: ``table.column:id`` of blobs no configured key opens (nothing is written for them).
    unreadable: list[str] = field(default_factory=list)


def _rotate_column(
    engine: Engine,
    box: CredentialBox,
    table: Table,
    column: str,
    report: RotationReport,
    dry_run: bool,
    progress: Callable[[str], None] | None,
) -> None:
    pk: Column[str] = table.c.id
    col = table.c[column]
    name = f"{table.name}.{column}"
    last = ""
    while True:
        with engine.connect() as conn:
            rows = conn.execute(select(pk, col).where(pk > last, col.is_not(None)).order_by(pk).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1][0]
        with engine.begin() as conn:
            for row_id, blob in rows:
                if not box.needs_rotation(blob):
                    report.current += 1
                    continue
                try:
                    opened = box.open(blob)
                except (ValueError, InvalidTag):
                    report.unreadable.append(f"{name}:{row_id}")
                    continue
                report.resealed[name] = report.resealed.get(name, 0) + 1
                if not dry_run:
                    conn.execute(update(table).where(pk == row_id, col == blob).values({column: box.seal(opened)}))
        if progress is not None:
            progress(f"{name}: {report.resealed.get(name, 0)} re-sealed so far (up to {last})")


def rotate(
    engine: Engine, box: CredentialBox, *, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> RotationReport:
    """Re-seal every sealed secret not yet under the box's current key."""
    report = RotationReport()
    for table, column in SEALED_COLUMNS:
        _rotate_column(engine, box, table, column, report, dry_run, progress)
    return report

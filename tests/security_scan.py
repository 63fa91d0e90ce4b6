"""Reusable scanners for secrets in clear: every text/blob column of every table, log output, API responses.

``assert_no_clear_secrets(engine, secrets, texts=...)`` fails naming the table.column (or text source) where
any secret appears as is, as UTF-8 bytes, or base64-encoded (a cheap disguise a careless serialiser produces).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping

from sqlalchemy import Engine, LargeBinary, String, Text, select

from atsbridge.store.tables import metadata


def _forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [raw, base64.b64encode(raw), base64.urlsafe_b64encode(raw).rstrip(b"=")]


def find_clear_secrets(
    engine: Engine, secrets: Iterable[str], texts: Mapping[str, str | bytes] | None = None
) -> list[str]:
    """Where each secret appears: ``table.column`` rows in the database and the names of ``texts``."""
    needles = [(s, _forms(s)) for s in secrets if s]
    assert all(len(s) >= 8 for s, _ in needles), "secrets this short would match by accident"
    hits: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            cols = [c for c in table.c if isinstance(c.type, String | Text | LargeBinary)]
            if not cols:
                continue
            for row in conn.execute(select(*cols)):
                for col, value in zip(cols, row, strict=True):
                    if value is None:
                        continue
                    blob = value if isinstance(value, bytes) else str(value).encode()
                    for secret, forms in needles:
                        if any(f in blob for f in forms):
                            hits.append(f"{table.name}.{col.name} contains {secret[:4]}…")
    for name, text in (texts or {}).items():
        blob = text if isinstance(text, bytes) else text.encode()
        for secret, forms in needles:
            if any(f in blob for f in forms):
                hits.append(f"{name} contains {secret[:4]}…")
    return sorted(set(hits))


def assert_no_clear_secrets(
    engine: Engine, secrets: Iterable[str], texts: Mapping[str, str | bytes] | None = None
) -> None:
    hits = find_clear_secrets(engine, list(secrets), texts)
    assert not hits, "secrets stored or shown in clear: " + "; ".join(hits)

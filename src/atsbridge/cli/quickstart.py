"""The quickstart's API key and operator token survive re-runs of ``make run``.

Client code pasted from the first run must keep working, so a re-run never revokes them. The plaintext is
kept sealed (AES-GCM under the secret key, like vendor credentials) so that it can be printed again; if it
cannot be opened any more (the secret key changed), the still-working key is reported as unchanged by its
prefix instead of being replaced.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from atsbridge.core.crypto import CredentialBox
from atsbridge.dashboard import operators as dashboard_operators
from atsbridge.dashboard.queries.environments import keys as environment_keys
from atsbridge.store import platform
from atsbridge.store.tables import kv

NAME = "quickstart"


@dataclass(frozen=True)
class Issued:
    """A secret to print: ``value`` when it can be shown, else ``hint`` (why not, and where to get another)."""

    value: str | None
    new: bool
    hint: str = ""


def _kv_key(environment_id: str) -> str:
    return f"quickstart:{environment_id}"


def _load(conn: Connection, box: CredentialBox, environment_id: str) -> dict[str, Any]:
    raw = conn.execute(select(kv.c.value).where(kv.c.key == _kv_key(environment_id))).scalar_one_or_none()
    if raw is None:
        return {}
    try:
        return box.open(base64.b64decode(raw))
    except (ValueError, TypeError):  # sealed under a secret key this server no longer has, or damaged
        return {}


def _save(conn: Connection, box: CredentialBox, environment_id: str, secrets: dict[str, Any]) -> None:
    """Seal under the current key (so a rotated secret key re-seals them on the next run)."""
    conn.execute(delete(kv).where(kv.c.key == _kv_key(environment_id)))
    sealed = base64.b64encode(box.seal(secrets)).decode()
    conn.execute(insert(kv).values(key=_kv_key(environment_id), value=sealed))


def _api_key(conn: Connection, environment_id: str, saved: str | None) -> Issued:
    if saved and platform.environment_for_key(conn, saved) == environment_id:
        return Issued(saved, new=False)
    active = [k for k in environment_keys(conn, environment_id) if k.name == NAME and k.revoked_at is None]
    if active:
        return Issued(
            None,
            new=False,
            hint=f"unchanged: {active[0].prefix}… (printed by an earlier run; it cannot be shown again "
            f"because the secret key changed; `atsbridge keys create --name {NAME}` makes another)",
        )
    return Issued(platform.create_api_key(conn, environment_id, NAME), new=True)


def _operator_token(conn: Connection, saved: str | None) -> Issued:
    if saved and dashboard_operators.by_token(conn, saved) is not None:
        return Issued(saved, new=False)
    active = [op for op in dashboard_operators.list_all(conn) if op.name == NAME and op.revoked_at is None]
    if active:
        return Issued(
            None,
            new=False,
            hint=f"unchanged: operator {active[0].id} (printed by an earlier run; it cannot be shown again "
            f"because the secret key changed; `atsbridge operators create --name NAME` makes another)",
        )
    return Issued(dashboard_operators.create(conn, NAME)[1], new=True)


def issue(conn: Connection, box: CredentialBox, environment_id: str) -> tuple[Issued, Issued]:
    """(API key, operator token): the ones of an earlier run while they still work, else new ones."""
    saved = _load(conn, box, environment_id)
    key = _api_key(conn, environment_id, saved.get("api_key"))
    token = _operator_token(conn, saved.get("operator_token"))
    keep = {name: issued.value for name, issued in (("api_key", key), ("operator_token", token)) if issued.value}
    if keep:
        _save(conn, box, environment_id, keep)
    return key, token

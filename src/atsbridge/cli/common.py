"""What every command shares: settings, the database (and telling the user which one), the environment.

The database is announced on stderr whenever it is not the default one, so a command run with another
``ATSBRIDGE_DATABASE_URL`` or ``ATSBRIDGE_DATA_DIR`` never silently works on a different (or empty) database.
"""

from __future__ import annotations

from pathlib import Path

import click
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from atsbridge.core.config import Settings, get_settings
from atsbridge.store import platform
from atsbridge.store.db import make_engine, normalise_url
from atsbridge.store.migrate import upgrade
from atsbridge.store.tables import environments

#: The database file older versions created in the working directory.
LEGACY_DB = "atsbridge.db"


def settings() -> Settings:
    """The settings, or a clear message and exit code 1 (no traceback) when they are invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        reasons = "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors())
        raise click.ClickException(f"invalid configuration: {reasons}") from None


def display_url(url: str) -> str:
    """The database URL without its password (it is printed on terminals and in CI logs)."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        raise click.ClickException(f"ATSBRIDGE_DATABASE_URL: not a database URL: {url[:80]!r}") from None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL and in-memory SQLite)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


_announced: set[str] = set()


def prepare_database(current: Settings) -> str:
    """Create the data directory a SQLite file needs and say which database is used when it is not the default.

    Returns the URL. Each database is announced once per process (commands may open it several times).
    """
    url = current.database_url
    shown = display_url(url)
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.ClickException(f"cannot create the data directory {path.parent}: {exc.strerror}") from None
    if url not in _announced:
        _announced.add(url)
        if not current.database_is_default():
            click.echo(f"database: {shown}", err=True)
        elif (Path.cwd() / LEGACY_DB).is_file() and path is not None and path != (Path.cwd() / LEGACY_DB).resolve():
            click.echo(
                f"note: ./{LEGACY_DB} in this folder is not used; the database is {path} "
                f"(set ATSBRIDGE_DATABASE_URL=sqlite:///./{LEGACY_DB} to use the old one)",
                err=True,
            )
    return url


def engine() -> Engine:
    """The migrated database engine of the current settings."""
    eng = make_engine(prepare_database(settings()))
    upgrade(eng)
    return eng


def environment(eng: Engine, environment_id: str | None, option: str = "--environment") -> str:
    """The given environment (which must exist), else the first one (created on first use)."""
    with eng.begin() as conn:
        if environment_id:
            found = conn.execute(select(environments.c.id).where(environments.c.id == environment_id)).first()
            if found is None:
                raise click.BadParameter(
                    f"no environment {environment_id!r} (see `atsbridge environments list`)", param_hint=option
                )
            return environment_id
        env = platform.first_environment(conn)
        return env or platform.create_environment(conn, "default")

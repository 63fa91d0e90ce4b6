"""No traceback reaches a CLI user: unexpected exceptions and log records become one line on stderr.

Commands raise ``click.ClickException`` for the failures they expect (with the field or host at fault);
:class:`SafeGroup` turns everything else into a one-line error and exit code 1. ``ATSBRIDGE_DEBUG=1`` keeps
the traceback for whoever debugs atsbridge itself.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import click
import httpx
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

#: Longest error line printed (an exception's text may embed a whole SQL statement or response body).
MAX_LINE = 300

DEBUG_ENV = "ATSBRIDGE_DEBUG"


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes"}


def first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def describe(exc: BaseException) -> str:
    """One line saying what failed, naming the host or database when that is what failed."""
    if isinstance(exc, httpx.HTTPError):
        try:
            where = f" {exc.request.url.scheme}://{exc.request.url.netloc.decode()}"
        except RuntimeError:  # an error raised before a request existed
            where = ""
        return f"could not reach{where}: {first_line(str(exc)) or type(exc).__name__}"
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return f"database error: {first_line(str(exc.orig)) or type(exc.orig).__name__}"
    if isinstance(exc, SQLAlchemyError):
        return f"database error: {first_line(str(exc).split('[SQL:')[0])}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    text = first_line(str(exc))
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class SafeGroup(click.Group):
    """A click group whose unexpected exceptions end as ``Error: <one line>`` with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except Exception as exc:
            if debugging():
                raise
            raise click.ClickException(f"{describe(exc)} (set {DEBUG_ENV}=1 for details)") from None


class OneLineHandler(logging.Handler):
    """Log records as one line each on the current stderr (resolved at emit time, as CliRunner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if debugging() and record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            click.echo(f"{record.levelname.lower()}: {text if debugging() else first_line(text)}", err=True)
        except Exception:  # a broken record must not break the command
            self.handleError(record)


_handler = OneLineHandler(level=logging.WARNING)


def quiet_logging() -> None:
    """Route warnings and errors logged by the library to one-line stderr messages (idempotent)."""
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)


def full_logging() -> None:
    """Undo :func:`quiet_logging` (for commands that run as long-lived processes)."""
    logging.getLogger().removeHandler(_handler)

"""Secrets that travel in URLs never reach a log line.

The contract puts some secrets in URL paths: Connect link secrets (``/connect/{secret}``, its setup page
``/connect/{secret}/setup``), exchange tokens (``/v1/connect/integration-by-token/{token}``), file download
tokens (``/v1/files/{token}``). Any log line naming the request's path — uvicorn's access log, our own
"unexpected error … on POST /connect/<secret>", a traceback whose exception quotes a URL — would write them
in clear.

Redaction therefore happens where every record is born: :func:`install` wraps the log record factory, so
every logger and every handler (uvicorn's, ours, ones added later by an operator's config or a test) only
ever sees redacted messages, arguments, tracebacks and stacks. :class:`RedactSecrets` does the same as a
filter, for handlers configured elsewhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

_SEGMENT = r"[^/?#\s\"'<>]+"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # /connect/{secret}[/setup] and /connect/integration-by-token/{token}, not the fixed routes.
    (
        re.compile(rf"(/connect/(?:integration-by-token/)?)(?!create-link\b)(?!integration-by-token\b){_SEGMENT}"),
        r"\1[redacted]",
    ),
    (re.compile(rf"(/files/){_SEGMENT}"), r"\1[redacted]"),
    # Secret-looking query parameters, whatever the path.
    (
        re.compile(r"([?&](?:token|secret|key|api_key|apikey|access_token|code|signature|sig)=)[^&#\s\"'<>]+", re.I),
        r"\1[redacted]",
    ),
)

_PLAIN = (int, float, bool, type(None))


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _arg(value: Any) -> Any:
    """A format argument, redacted; non-strings (URL objects, requests) are replaced only if their text
    held a secret, so ``%d`` and friends keep working."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, _PLAIN):
        return value
    try:
        text = str(value)
    except Exception:
        return value
    cleaned = redact(text)
    return cleaned if cleaned != text else value


def scrub(record: logging.LogRecord) -> None:
    """Redact a record in place: message, arguments, traceback (pre-formatted), stack."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_arg(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _arg(v) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        cleaned = redact(text)
        record.exc_text = cleaned
        if cleaned != text:
            record.exc_info = None  # a handler re-formatting the exception would write the secret again
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


class _Factory:
    """The record factory wrapper (a class, so :func:`install` can see it is already in place)."""

    def __init__(self, inner: Callable[..., logging.LogRecord]) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.inner(*args, **kwargs)
        scrub(record)
        return record


def install() -> None:
    """Idempotent and process-wide: every log record created from now on is redacted."""
    current = logging.getLogRecordFactory()
    if not isinstance(current, _Factory):
        logging.setLogRecordFactory(_Factory(current))

"""Keep Connect secrets out of access logs: link secrets and exchange tokens travel in URL paths (the
contract puts them there), so the request line uvicorn logs is redacted before it is written."""

from __future__ import annotations

import logging
import re

#: ``/connect/{link secret}[/setup]`` and ``/v1/connect/integration-by-token/{token}``.
SECRET_IN_PATH = re.compile(
    r"(/connect/(?:integration-by-token/)?)(?!create-link\b)(?!integration-by-token\b)[^/?\s\"]+"
)


def redact(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\1[redacted]", text)


class RedactConnectSecrets(logging.Filter):
    """Rewrites the path argument of uvicorn's access-log records (and the message, if preformatted)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    """Idempotent: attach the filter to uvicorn's access logger once."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactConnectSecrets) for f in logger.filters):
        logger.addFilter(RedactConnectSecrets())

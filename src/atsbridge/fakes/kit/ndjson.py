"""NDJSON streamed answers (TalentLink's ``stream=true``): rows sent as newline-delimited JSON chunks, each
shaped like an ordinary page (``{"data": {"candidates": [...]}}``), every chunk ending with a newline.

A cut-off stream (the ``truncate`` fault) then ends mid-chunk or between chunks, as a real dropped stream
does; an empty listing is an empty body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from starlette.responses import Response

MEDIA_TYPE = "application/x-ndjson"


def chunks(records_path: str, rows: Sequence[Any], size: int = 10) -> list[Any]:
    """``rows`` in chunks of ``size``, each wrapped at ``records_path`` (``"data.candidates"``)."""
    out: list[Any] = []
    for start in range(0, len(rows), size):
        chunk: Any = list(rows[start : start + size])
        for part in reversed(records_path.split(".")):
            chunk = {part: chunk}
        out.append(chunk)
    return out


def ndjson_response(items: Sequence[Any], status: int = 200) -> Response:
    """One JSON document per line."""
    body = b"".join(orjson.dumps(item) + b"\n" for item in items)
    return Response(body, status_code=status, media_type=MEDIA_TYPE)


def parse_ndjson(body: bytes) -> list[Any]:
    """The chunks of an NDJSON body (for tests of a fake)."""
    return [orjson.loads(line) for line in body.splitlines() if line.strip()]

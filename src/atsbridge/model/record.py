"""The unit the sync engine moves: one unified record as a mapper produced it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class UnifiedRecord:
    """A validated record: ``fields`` are its own fields in JSON form, ``nested`` its nested data."""

    model: str
    id: str
    remote_id: str
    fields: dict[str, Any]
    nested: dict[str, Any] | None = None

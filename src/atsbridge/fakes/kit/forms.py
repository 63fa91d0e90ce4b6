"""Multipart form bodies, read with the standard library (the fakes need no ``python-multipart``)."""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default


@dataclass(frozen=True)
class Part:
    """One form field: ``filename`` is None for a plain value (then ``text`` is its content)."""

    name: str
    content: bytes
    filename: str | None = None
    content_type: str = "text/plain"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def form_parts(content_type: str, body: bytes) -> dict[str, Part]:
    """The fields of a ``multipart/form-data`` body by name (the first of a repeated name); empty when the body
    is not multipart."""
    if not content_type.startswith("multipart/form-data"):
        return {}
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        return {}
    out: dict[str, Part] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes) and name not in out:
            out[name] = Part(name, payload, part.get_filename(), part.get_content_type())
    return out

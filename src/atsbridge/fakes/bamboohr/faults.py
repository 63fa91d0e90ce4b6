"""Failure injection for the BambooHR fake, reused as is by the SmartRecruiters and Personio fakes.

A :class:`Faults` box holds armed faults; the fake's request guard consumes them. ``hang`` is special: the
request is *executed* (the vendor commits) and only then delayed, so a client timeout hits after the write
happened - the case idempotent retries must survive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from urllib.parse import parse_qsl

from starlette.responses import Response


@dataclass
class Fault:
    """One armed failure: ``kind`` for the next ``remaining`` requests whose path contains ``path``."""

    kind: str  # fail | storm | truncate | slow | hang
    remaining: int
    status: int = 503
    seconds: float = 0.0
    path: str | None = None
    method: str | None = None


@dataclass
class Faults:
    armed: list[Fault] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def arm(self, fault: Fault) -> None:
        with self.lock:
            self.armed.append(fault)

    def take(self, kind: str, path: str, method: str = "GET") -> Fault | None:
        """Consume one armed fault of ``kind`` that matches ``path`` (and ``method`` when it names one)."""
        with self.lock:
            for fault in self.armed:
                if fault.kind != kind or fault.remaining <= 0:
                    continue
                if (fault.path is None or fault.path in path) and (fault.method in (None, method)):
                    fault.remaining -= 1
                    return fault
            return None

    def clear(self) -> None:
        with self.lock:
            self.armed.clear()

    def spent(self) -> bool:
        with self.lock:
            return all(f.remaining == 0 for f in self.armed)


class FaultKnobs:
    """The knobs every fake state offers (mixed into its state class, which sets ``faults``)."""

    faults: Faults

    def fail_next(self, n: int, status: int = 503, path: str | None = None, method: str | None = None) -> None:
        """The next ``n`` matching requests answer ``status`` (with a tiny ``Retry-After``)."""
        self.faults.arm(Fault("fail", n, status=status, path=path, method=method))

    def rate_limit_storm(self, n: int, path: str | None = None) -> None:
        """The next ``n`` matching requests answer 429."""
        self.faults.arm(Fault("storm", n, status=429, path=path))

    def truncate_next(self, n: int, path: str | None = None) -> None:
        """The next ``n`` matching JSON bodies are cut short (HTTP 200, invalid JSON)."""
        self.faults.arm(Fault("truncate", n, path=path))

    def slow_next(self, n: int, seconds: float, path: str | None = None) -> None:
        """The next ``n`` matching requests wait ``seconds`` before being handled."""
        self.faults.arm(Fault("slow", n, seconds=seconds, path=path))

    def hang_after_commit(self, n: int, seconds: float, path: str | None = None, method: str | None = "POST") -> None:
        """The next ``n`` matching requests are handled (and committed), then answered ``seconds`` late."""
        self.faults.arm(Fault("hang", n, seconds=seconds, path=path, method=method))

    def clear_faults(self) -> None:
        self.faults.clear()


def truncated(response: Response) -> Response:
    """Half of the JSON body with a matching Content-Length: valid HTTP, broken JSON."""
    body = bytes(response.body)
    return Response(body[: max(1, len(body) // 2)], status_code=response.status_code, media_type="application/json")


Form = tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]


def parse_form(content_type: str, body: bytes) -> Form:
    """``multipart/form-data`` or urlencoded bodies -> (fields, files as (name, bytes, type)), with the standard
    library only (the fakes must not need ``python-multipart``)."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode())), {}
    if not content_type.startswith("multipart/form-data"):
        return {}, {}
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            continue
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, payload, part.get_content_type())
        else:
            fields[name] = payload.decode()
    return fields, files

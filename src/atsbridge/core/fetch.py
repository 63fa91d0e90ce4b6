"""Downloading a client-given file URL (``data_url``) without letting it stall or bloat the server.

The download runs on the event loop (async, streamed), so other requests are served meanwhile; it has one
*total* deadline (a server trickling a byte a second cannot stretch it, as a per-read timeout would), and
the size cap is enforced while streaming (the body is dropped as soon as it crosses the cap, and a declared
``Content-Length`` over the cap is refused before any byte is read). Internal addresses are refused unless
the policy allows them (development), so a URL cannot make the server probe its own network (SSRF).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from atsbridge.core.config import Settings
from atsbridge.core.errors import input_invalid
from atsbridge.core.limits import MAX_FILE_BYTES, mib

MAX_URL_LENGTH = 4000


@dataclass(frozen=True)
class FetchPolicy:
    """What a ``data_url`` download may do: reach internal addresses, take how long, be how large."""

    allow_private: bool = False
    deadline_seconds: float = 30.0
    max_bytes: int = MAX_FILE_BYTES

    @classmethod
    def for_settings(cls, settings: Settings) -> FetchPolicy:
        """The operator's policy: internal addresses only in development; the configured deadline."""
        return cls(allow_private=settings.mode != "production", deadline_seconds=settings.fetch_timeout_seconds)


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


async def _refuse_internal(host: str, port: int, field: str) -> None:
    """Resolve without blocking the event loop; refuse if any address is internal."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise input_invalid(f"{field}: host {host!r} does not resolve") from None
    for info in infos:
        if _internal(str(info[4][0])):
            raise input_invalid(f"{field}: {host} is a private address; atsbridge only fetches public URLs")


def _check_url(url: str, field: str) -> tuple[str, int]:
    if len(url) > MAX_URL_LENGTH:
        raise input_invalid(f"{field}: longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise input_invalid(f"{field}: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise input_invalid(f"{field}: must be an http:// or https:// URL with a host")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def _download(url: str, field: str, policy: FetchPolicy) -> tuple[bytes, str | None]:
    host, port = _check_url(url, field)
    if not policy.allow_private:
        await _refuse_internal(host, port, field)
    too_large = input_invalid(f"{field}: the file is larger than {mib(policy.max_bytes)}")
    async with (
        httpx.AsyncClient(timeout=policy.deadline_seconds, follow_redirects=False) as client,
        client.stream("GET", url, headers={"Accept-Encoding": "identity"}) as response,
    ):
        if response.status_code != 200:
            raise input_invalid(f"{field}: fetching the file answered HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > policy.max_bytes:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes are counted: identity is asked for, and a server compressing anyway cannot expand
        # past the cap by more than one chunk.
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > policy.max_bytes:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("content-type")


async def fetch_file(url: str, field: str, policy: FetchPolicy) -> tuple[bytes, str | None]:
    """The file at ``url`` and its content type, or ``PLATFORM.INPUT_INVALID`` naming ``field``."""
    try:
        async with asyncio.timeout(policy.deadline_seconds):
            return await _download(url, field, policy)
    except TimeoutError:
        raise input_invalid(
            f"{field}: the file was not downloaded within {policy.deadline_seconds:g} s; "
            "serve it faster or send it as base64 data"
        ) from None
    except httpx.HTTPError as exc:
        raise input_invalid(f"{field}: the file could not be fetched ({type(exc).__name__})") from None

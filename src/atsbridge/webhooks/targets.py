"""Where webhooks may be sent. A webhook URL makes the server issue requests on a tenant's behalf, so in
production it must not reach the server's own network (SSRF): plain http, loopback, private, link-local,
multicast and reserved addresses are refused unless the operator allows private targets explicitly.
The check runs when an endpoint is saved and again before every delivery (DNS may have changed since).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from atsbridge.core.config import Settings
from atsbridge.core.errors import input_invalid

MAX_URL_LENGTH = 2000


class TargetRefused(ValueError):
    """The URL may not be called; the message says why (safe to show: it names only the URL's host)."""


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_target(url: str, settings: Settings, *, resolve: bool = True) -> None:
    """Raise :class:`TargetRefused` when ``url`` is not an acceptable webhook target."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(f"longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("must start with http:// or https://")
    if not parts.hostname:
        raise TargetRefused("has no host")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("must not contain credentials (user:password@); authenticate with the signature")
    if settings.mode != "production" or settings.webhook_allow_private_targets:
        return
    if parts.scheme != "https":
        raise TargetRefused("must use https in production (ATSBRIDGE_WEBHOOK_ALLOW_PRIVATE_TARGETS=true allows http)")
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            raise TargetRefused(f"host {host!r} is loopback") from None
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
        except OSError:
            raise TargetRefused(f"host {host!r} does not resolve") from None
        addresses = sorted({str(info[4][0]) for info in infos})
    for address in addresses:
        if _blocked(address):
            raise TargetRefused(
                f"host {host!r} is a loopback, private, link-local or reserved address ({address}); "
                "set ATSBRIDGE_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it"
            )


def validate_url(url: str, settings: Settings, field: str = "url") -> str:
    """API-facing check: PLATFORM.INPUT_INVALID naming the field."""
    url = url.strip()
    try:
        check_target(url, settings)
    except TargetRefused as exc:
        raise input_invalid(f"{field}: {exc}") from None
    return url

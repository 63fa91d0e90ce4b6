"""Absolute URLs atsbridge hands out (Connect links, log URLs in webhooks, file links)."""

from __future__ import annotations

from atsbridge.core.config import Settings


def public_base(settings: Settings, request_base: str | None = None) -> str:
    """``ATSBRIDGE_PUBLIC_URL`` when set, else the URL the request came in on, else host:port."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if request_base:
        return request_base.rstrip("/")
    return f"http://{settings.host}:{settings.port}"

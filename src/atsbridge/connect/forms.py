"""Turning a submitted credential form into a connector's config and credentials, field by field.

Advanced fields (vendor host overrides) are dropped unless custom hosts are allowed, so a production
form cannot be used to make atsbridge call an arbitrary URL (SSRF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from atsbridge.connectors.base import ConnectSpec, FormField
from atsbridge.core.config import Settings


def custom_hosts_allowed(settings: Settings) -> bool:
    return settings.mode == "development" or settings.connect_allow_custom_hosts


def visible_fields(spec: ConnectSpec, settings: Settings) -> list[FormField]:
    allowed = custom_hosts_allowed(settings)
    return [f for f in spec.fields if allowed or not f.advanced]


@dataclass
class Submission:
    """What the form yielded: values per target, and per-field problems (field key -> message key, args)."""

    config: dict[str, Any] = field(default_factory=dict)
    credentials: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    #: Non-secret values to show again after a failed attempt.
    echo: dict[str, str] = field(default_factory=dict)


def _valid_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def read(spec: ConnectSpec, settings: Settings, form: dict[str, str]) -> Submission:
    """Validate each visible field; unknown and hidden keys are ignored."""
    out = Submission()
    for f in visible_fields(spec, settings):
        value = form.get(f"field_{f.key}", "").strip()
        if f.kind != "secret":
            out.echo[f.key] = value
        if not value:
            if f.kind == "select" and f.default:
                value = f.default
            elif f.required:
                out.problems[f.key] = ("required", {"field": f.label})
                continue
            else:
                continue
        if f.kind == "url" and not _valid_url(value):
            out.problems[f.key] = ("invalid_url", {"field": f.label})
            continue
        if f.kind == "select" and value not in {key for key, _ in f.options}:
            out.problems[f.key] = ("invalid_choice", {"field": f.label})
            continue
        (out.config if f.target == "config" else out.credentials)[f.key] = value
    return out

"""Every fake's ``conformance_setup(base_url) -> (config, credentials)``, declared once: each vendor names only its
own config keys and credentials, and the throttle every such integration runs without is stated here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: Lifts the connector's own client-side throttle: the fake's rate window is what a test exercises, and the
#: contract suite, ``fake-ats`` and the demos should not wait on the vendor's published pace.
UNTHROTTLED: Mapping[str, Any] = {"requests_per_second": 1000}

#: ``conformance_setup(base_url) -> (config, credentials)``.
ConformanceSetup = Callable[[str], tuple[dict[str, Any], dict[str, Any]]]


def conformance(config: Callable[[str], dict[str, Any]], credentials: Mapping[str, Any]) -> ConformanceSetup:
    """The fake's ``conformance_setup``: ``config(base_url)`` (unthrottled) and a fresh copy of ``credentials``,
    so a caller may change what it gets without touching the next caller's."""

    def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(config, credentials) of an integration pointed at this fake served at ``base_url`` (default knobs)."""
        return {**config(base_url), **UNTHROTTLED}, dict(credentials)

    return conformance_setup

"""The fake Bullhorn served for ``bullhornlogin``: the same API (:mod:`atsbridge.fakes.bullhorn`), reached with
the API user's name and password (``/oauth/authorize?action=Login``) instead of a refresh token."""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.bullhorn import SPEC, FakeState, create_app
from atsbridge.fakes.bullhorn import conformance_setup as _oauth_setup

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of a ``bullhornlogin`` integration pointed at this fake served at ``base_url``."""
    config, _ = _oauth_setup(base_url)
    return config, {
        "client_id": "bh_client",
        "client_secret": "bh_secret",
        "username": "api.user",
        "password": "api-pass",
    }

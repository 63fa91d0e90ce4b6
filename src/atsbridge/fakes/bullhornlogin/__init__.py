"""The fake Bullhorn served for ``bullhornlogin``: the same API (:mod:`atsbridge.fakes.bullhorn`), reached with
the API user's name and password (``/oauth/authorize?action=Login``) instead of a refresh token."""

from __future__ import annotations

import dataclasses
from typing import Any

from atsbridge.fakes import bullhorn
from atsbridge.fakes.bullhorn import FakeState
from atsbridge.fakes.kit.server import app_factory

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]
SPEC = dataclasses.replace(bullhorn.SPEC, name="bullhornlogin")


#: ``create_app(seed, records, *, latency, rate_limit, state)``: Bullhorn's tenant, served under this name.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of a ``bullhornlogin`` integration pointed at this fake served at ``base_url``."""
    config, _ = bullhorn.conformance_setup(base_url)
    return config, {
        "client_id": "bh_client",
        "client_secret": "bh_secret",
        "username": "api.user",
        "password": "api-pass",
    }

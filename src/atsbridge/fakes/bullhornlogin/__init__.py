"""The fake Bullhorn served for ``bullhornlogin``: the same API (:mod:`atsbridge.fakes.bullhorn`), reached with
the API user's name and password (``/oauth/authorize?action=Login``) instead of a refresh token."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.applications import Starlette

from atsbridge.fakes import bullhorn
from atsbridge.fakes.bullhorn import FakeState
from atsbridge.fakes.kit.server import build_app

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]
SPEC = dataclasses.replace(bullhorn.SPEC, name="bullhornlogin")


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (20, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    fake = state if state is not None else FakeState.generate(seed, records, rate_limit)
    fake.latency = latency
    return build_app(SPEC, fake)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of a ``bullhornlogin`` integration pointed at this fake served at ``base_url``."""
    config, _ = bullhorn.conformance_setup(base_url)
    return config, {
        "client_id": "bh_client",
        "client_secret": "bh_secret",
        "username": "api.user",
        "password": "api-pass",
    }

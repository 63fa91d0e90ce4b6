"""The fake Umantis served for ``abacusumantis``: the same API and tenant (:mod:`atsbridge.fakes.umantis`);
Abacus Umantis and Haufe Umantis are one product on one API."""

from __future__ import annotations

import dataclasses

from starlette.applications import Starlette

from atsbridge.fakes import umantis
from atsbridge.fakes.umantis import PROBE, FakeState, conformance_setup

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]
SPEC = dataclasses.replace(umantis.SPEC, name="abacusumantis")


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (10, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    return umantis.create_app(seed, records, latency=latency, rate_limit=rate_limit, state=state, spec=SPEC)

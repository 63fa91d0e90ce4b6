"""The fake Umantis served for ``abacusumantis``: the same API and tenant (:mod:`atsbridge.fakes.umantis`);
Abacus Umantis and Haufe Umantis are one product on one API."""

from __future__ import annotations

import dataclasses

from atsbridge.fakes import umantis
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.umantis import PROBE, FakeState, conformance_setup

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]
SPEC = dataclasses.replace(umantis.SPEC, name="abacusumantis")


#: ``create_app(seed, records, *, latency, rate_limit, state)``: Umantis's tenant, served under this name.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))

"""The fake Talentsoft served for ``talentsoftcustomer``: the same tenant and app as
:mod:`atsbridge.fakes.talentsoft`, read through the Customer API v1 (``/api/v1``, ``/api/exports/v1``), whose
truth is the whole back office (every vacancy, candidate and application)."""

from __future__ import annotations

import dataclasses

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.talentsoft import SPEC as FRONTOFFICE_SPEC
from atsbridge.fakes.talentsoft.simulate import CUSTOMER
from atsbridge.fakes.talentsoft.state import CLIENT_ID, CLIENT_SECRET, FakeState

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

SPEC = dataclasses.replace(FRONTOFFICE_SPEC, name="talentsoftcustomer", hooks=CUSTOMER)
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))
#: An authenticated read path; its bearer comes from ``POST /api/token`` (client ts_client / ts_secret).
PROBE: tuple[str, dict[str, str]] = ("/api/v1/referentials/applicationevents", {})


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/api"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)

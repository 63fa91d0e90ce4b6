"""A stateful fake of Cegid Talentsoft Recruiting (``atsbridge fake-ats talentsoft``): one tenant served through
the **FrontOffice API v2** (``/api/v2``, this tool) and the **Customer API v1** (``/api/v1``,
``/api/exports/v1``; ``atsbridge.fakes.talentsoftcustomer`` serves the same app under its own truth).

**No Talentsoft payload was ever recorded** (none exists in public sources): every record is built from the
documented field names (reference §3) and says [gap] where it had to choose:

* Auth [doc]: ``POST /api/token`` (form, client in the body or Basic) -> ``{access_token, token_type: "bearer",
  expires_in: 1199}``; one client pair for both APIs here (a real tenant issues one per Front Office and one
  per API user).
* FrontOffice: ``GET /offersummaries`` (published offers, ``{data}``, ``start``/``count``),
  ``GET /offers/getoffer?reference=`` (404 when unpublished), ``GET /applications`` and ``/applications/{id}``
  (**only the applications this client created**: the back office's are invisible, 404 by id), ``POST
  /applicants/applicationswithoutaccount`` (``{applicant, application}``, applicant reused by mail, 409 on a
  second application to one offer).
* Customer: ``GET /v1/referentials/applicationevents`` (+ ``/{clientCode}``), the exports
  ``/exports/v1/vacancies|candidates|applications`` (``offset``/``limit``, ``modifiedSince`` >=, ``email`` and
  ``candidateId`` filters), ``POST /v1/candidates`` (409 on a known mail), ``POST
  /v1/candidates/{id}/vacancies/{reference}``; bodies wrapped ``{"data": ...}``.
* Errors ``{"message"}`` [gap]; no deletion feed; 429 past 20 requests/second without headers [gap: no
  numbers are published].
"""

from __future__ import annotations

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import message_only
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import FakeSpec
from atsbridge.fakes.talentsoft.routes import ENDPOINTS
from atsbridge.fakes.talentsoft.simulate import FRONTOFFICE
from atsbridge.fakes.talentsoft.state import CLIENT_ID, CLIENT_SECRET, FakeState

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

SPEC = FakeSpec(name="talentsoft", errors=message_only, hooks=FRONTOFFICE, endpoints=ENDPOINTS)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a tenant with ``records`` applications.
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))

#: An authenticated read path; its token comes from ``POST /api/token`` (see ``conformance_setup``).
PROBE: tuple[str, dict[str, str]] = (
    "/api/v2/offersummaries",
    {},
)  # bearer from ``POST /api/token`` (client ts_client / ts_secret)


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/api/v2"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)

"""A stateful fake of Bullhorn's REST API for tests and demos (``atsbridge fake-ats bullhorn``).

Records are the recorded SDK fixtures (``payloads/``: JobOrder, JobSubmission, Placement, Appointment, Note,
CandidateFileAttachment lists, deep-copied with new ids and dates). **No Candidate or CorporateUser list was
recorded**: those are built from the entity reference field by field (``firstName``, ``lastName``, ``name``,
``email``..., ``address{address1,address2,city,state,zip,countryID}`` as in the documented GET example). The
recorded JobOrder and Placement lists have no ``dateLastModified``; the entity reference has it and the fake
adds it [doc entityref; unrecorded].

Served: ``/oauth-us/*`` (307 to ``/oauth/*``: the wrong data centre), ``GET /oauth/authorize``
(``action=Login``: 302 with ``code``, or the login page again with 200),
``POST /oauth/token`` (authorization code or refresh token, all in the query; refresh tokens are single use,
the seeded one aside; 401 ``invalid_client``, 400 ``invalid_grant``), ``GET|POST /rest-services/login`` ->
``{BhRestToken, restUrl}`` with the corporation path ``/rest-services/e999/``, under which everything else
lives and needs the ``BhRestToken`` header (or query parameter): ``query/{Entity}`` (JPQL subset: ``AND``ed
``= <> > < >= <= IN`` on dotted fields, unknown fields 400; ``fields`` mandatory, ``orderBy=id|-id``,
``start``/``count`` up to 500, answers without ``total``), ``entity/{Entity}/{id}`` (``{"data"}``),
``PUT entity/{Candidate|JobSubmission|Note}``, ``POST entity/JobSubmission/{id}`` (status from the list, a
history row), ``settings/jobResponseStatusList``, ``ping``, ``PUT file/Candidate/{id}`` and
``GET file/Candidate/{id}/{fileId}/raw``. Deletes are soft (``isDeleted`` + ``dateLastModified``). Errors
are ``{"errorMessage", "errorMessageKey", "errorCode"}`` [doc ``_errors.md``]; beyond the window (20/s)
429 with ``Retry-After``. Quirk kept: making a Placement does not touch its submission.
"""

from __future__ import annotations

from typing import Any

from atsbridge.fakes.bullhorn import handlers as h
from atsbridge.fakes.bullhorn.simulate import HOOKS
from atsbridge.fakes.bullhorn.state import CORP, FakeState
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import CODES, VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Endpoint, FakeSpec

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]
REST = f"/rest-services/{CORP}"


def errors(error: VendorError) -> Any:
    key = error.code or f"errors.{CODES.get(error.status, 'error')}"
    return {"errorMessage": error.message, "errorMessageKey": key, "errorCode": error.status}


SPEC = FakeSpec(
    name="bullhorn",
    errors=errors,
    pager=h.PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{REST}/query/{{entity}}", h.query),
        Endpoint("GET", f"{REST}/entity/{{entity}}/{{id}}", h.get_entity),
        Endpoint("POST", f"{REST}/entity/{{entity}}/{{id}}", h.update_entity),
        Endpoint("PUT", f"{REST}/entity/{{entity}}", h.create_entity),
        Endpoint("GET", f"{REST}/settings/{{names}}", h.settings),
        Endpoint("GET", f"{REST}/ping", h.ping),
        Endpoint("PUT", f"{REST}/file/Candidate/{{id}}", h.put_file),
        Endpoint("GET", f"{REST}/file/Candidate/{{id}}/{{file_id}}/raw", h.raw_file),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` candidates, one
#: submission each (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


# the OAuth URL of another data centre: every token request is redirected (307) first, as Bullhorn does
conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/rest-services", "oauth_url": f"{base_url}/oauth-us"},
    {"client_id": "bh_client", "client_secret": "bh_secret", "refresh_token": "bh_refresh_seed"},
)

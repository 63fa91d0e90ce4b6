"""A stateful fake of SAP SuccessFactors Recruiting's OData v2 API (``atsbridge fake-ats successfactors``).

**No Recruiting payload was ever recorded**: the only SuccessFactors recording is Employee Central's
``FOLocation`` (``payloads/``), which fixes the envelope (``{"d": {"results"}}``, ``__metadata``, ``/Date(...)/``,
``__deferred`` navigations): the fake answers every entity in that envelope (the connector's tests parse the
recording itself; the shape test skips it: no Recruiting endpoint answers Employee Central rows). The Recruiting
entities are built field by field from the SAP API Business Hub specs (reference §2.6): ``JobRequisition`` (nav
``jobReqLocale``), ``JobApplication`` (nav ``jobAppStatus``, ``jobApplicationComments``), ``Candidate``,
``User``, ``JobApplicationInterview``, ``JobOffer``, ``JobApplicationStatus`` (one row per status of a status
set: ``appStatusId, appStatusName, appStatusSetId`` [gap: the real entity's keys are not documented here]) and
``JobApplicationComments`` [gap: fields].

Served (``kit.odata``): ``GET /odata/v2/<Entity>`` with ``$filter`` (``lastModifiedDateTime gt datetime'...'``,
``eq``/``and``...), ``$orderby`` (one field, asc), ``$expand``, ``$select``, server-side paging
(``customPageSize`` and ``d.__next`` with a ``$skiptoken``) or client-side ``$top``/``$skip``; ``POST`` of
``Candidate`` (``primaryEmail, firstName, lastName, country`` required), ``JobApplication``,
``JobApplicationComments`` (201 ``{"d": row}``) and ``/upsert`` (per-row results, errors inside HTTP 200;
system statuses refused with SuccessFactors' message). Auth: ``POST /oauth/token`` with the SAML bearer grant,
the signed assertion verified against the registered client's key (``kit.saml``), or legacy Basic
``user@company``. Errors are OData's ``{"error": {"code", "message": {"lang", "value"}}}``; beyond the rate
window 429 with ``Retry-After``; answers to requests without ``successfactors-sourcetype`` carry the
``successfactors-message`` warning header, as recorded. Purged candidates vanish (no deletion feed).
Webhooks (``webhooks.py``): Intelligent Services triggers added by hand (``POST /__fake/webhooks``), unsigned
JSON bodies for status changes, profile edits and career-site applications.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.odata import ODataPager, error_body, parse_date, parse_filter, shape
from atsbridge.fakes.kit.paging import Reply
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.successfactors.simulate import HOOKS
from atsbridge.fakes.successfactors.state import FakeState, Row, private_pem

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

ROOT = "/odata/v2"
PAGER = ODataPager()
Navs = dict[str, Callable[[Row], Any]]


def _entities(fake: FakeState) -> dict[str, tuple[dict[str, Row], str, Navs]]:
    """Entity set -> (rows, key property, navigations)."""
    return {
        "JobRequisition": (fake.requisitions, "jobReqId", {"jobReqLocale": lambda r: copy.deepcopy(r["_locale"])}),
        "JobApplication": (fake.applications, "applicationId", {
            "jobAppStatus": lambda a: dict(fake.statuses[a["appStatusSetItemId"]]),
            "jobApplicationComments": lambda a: [c for c in fake.comments.values()
                                                 if c["applicationId"] == a["applicationId"]]}),
        "Candidate": (fake.candidates, "candidateId", {"tags": lambda c: copy.deepcopy(c["_tags"])}),
        "JobApplicationStatus": (fake.statuses, "appStatusId", {}),
        "JobApplicationComments": (fake.comments, "commentId", {}),
        "User": (fake.users, "userId", {}),
        "JobApplicationInterview": (fake.interviews, "applicationInterviewId", {}),
        "JobOffer": (fake.offers, "offerApprovalId", {}),
    }  # fmt: skip


def _warn(call: Call[FakeState]) -> None:
    if "successfactors-sourcetype" not in call.request.headers:
        call.headers["successfactors-message"] = "successfactors-sourcetype is missing in request headers"


def _order(rows: list[Row], orderby: str | None) -> list[Row]:
    if not orderby:
        return rows
    field, _, direction = orderby.strip().partition(" ")
    if direction.strip() not in ("", "asc", "desc"):
        raise VendorError(400, f"[COE0019] Invalid $orderby {orderby[:60]!r}")

    def key(row: Row) -> Any:
        value = row.get(field)
        return parse_date(value) or value or ""

    return sorted(rows, key=key, reverse=direction.strip() == "desc")


def listing(call: Call[FakeState]) -> Reply:
    _warn(call)
    name = call.path["entity"]
    found = _entities(call.fake).get(name)
    if found is None:
        raise VendorError(404, f"[COE0018] Entity set {name} is not found or you have no permission for it")
    if name in call.fake.denied:
        raise VendorError(403, f"[COE0022] The user {call.fake.user_id} has no permission to read {name}")
    table, key, navs = found
    cursor = PAGER.cursor(call.request)
    match = parse_filter(cursor.query.get("$filter"))
    rows = _order([r for r in table.values() if match(r)], cursor.query.get("$orderby"))
    page, following = PAGER.slice(cursor, [((i,), r) for i, r in enumerate(rows)], call.fake.page_cap)
    base = f"{call.base_url}{ROOT}/{name}"
    q = cursor.query
    shaped = [shape(r, base, f"{r[key]}L", navs, q.get("$expand"), q.get("$select")) for r in page]
    return PAGER.reply(call.request, shaped, following)


def _creating(name: str, make: Callable[[FakeState, Row], Row]) -> Callable[[Call[FakeState]], Any]:
    def handler(call: Call[FakeState]) -> Any:
        _warn(call)
        table, key, navs = _entities(call.fake)[name]
        row = make(call.fake, call.json_object())
        return reply({"d": shape(row, f"{call.base_url}{ROOT}/{name}", f"{row[key]}L", navs, None, None)}, 201)

    return handler


def upsert(call: Call[FakeState]) -> Any:
    _warn(call)
    body = call.json(empty={})
    rows = body if isinstance(body, list) else [body]
    if not rows or not all(isinstance(r, dict) for r in rows):
        raise VendorError(400, "[COE0019] upsert: a JSON object or a list of objects is required")
    return {"d": call.fake.upsert(rows)}


SPEC = FakeSpec(
    name="successfactors",
    errors=error_body,
    hooks=HOOKS,
    pager=PAGER,
    endpoints=[
        Endpoint("POST", f"{ROOT}/upsert", upsert),
        Endpoint("POST", f"{ROOT}/Candidate", _creating("Candidate", FakeState.create_candidate)),
        Endpoint("POST", f"{ROOT}/JobApplication", _creating("JobApplication", FakeState.create_application)),
        Endpoint("POST", f"{ROOT}/JobApplicationComments", _creating("JobApplicationComments", FakeState.add_comment)),
        Endpoint("GET", f"{ROOT}/{{entity}}", listing),
    ],
)

_LEGACY = base64.b64encode(b"sfapi@SFCPART001523:sf_legacy_password").decode()
#: An authenticated GET (legacy Basic auth) for the control tests.
PROBE = (f"{ROOT}/JobRequisition?$format=json&$top=1", {"Authorization": f"Basic {_LEGACY}"})


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` applications (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url.rstrip('/')}{ROOT}", "api_server": "localhost"},
    {"company_id": "SFCPART001523", "client_id": "sf_api_key", "user_id": "sfapi", "private_key": private_pem()},
)

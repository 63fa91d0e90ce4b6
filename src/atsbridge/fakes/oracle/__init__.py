"""A stateful fake of Oracle Recruiting Cloud's Fusion HCM REST API (``atsbridge fake-ats oracle``).

**No Oracle payload was ever recorded**: every record is built field by field from the reference's
documented shapes (§3.1/§3.6): the ADF collection envelope ``{items, count, hasMore, limit, offset, links}``
[rec Nango workers], ``recruitingJobRequisitions`` and ``recruitingJobApplications`` with the documented
fields, ``recruitingUIJobApplicationPhasesStates`` with its ``States`` child (``expand=States``), and
``recruitingJobOffers`` (``OfferId, JobApplicationId, StateCode, StateName, PlannedStartDate, CreationDate,
LastUpdateDate``: [gap] names, one offer per application in the OFFER or HR phase) and
``recruitingCandidates`` with the [gap] field names the connector reads (``PersonId, CandidateNumber,
FirstName, LastName, Email, PhoneNumber``). Ids are 15-digit numbers (JSON numbers, as ADF sends them).

Served under ``/hcmRestApi/resources/11.13.18.05`` (and ``latest``), HTTP Basic (a Fusion user):
* lists with ``limit`` (default 25, max 500) / ``offset``, ``orderBy=<Field>[:asc|:desc]``, ``onlyData``
  (without it every row carries ``links``), ``q=Field>'value'`` row-match filters joined by ``;`` (the
  ``LastUpdateDate>'…'`` incremental filter), ``totalResults=true`` adds ``totalResults``;
* **quirk**: ``hasMore`` is unreliable (Oracle Doc ID 2728432.1 [3p]): every third page claims ``false``
  while more rows follow, and a full last page claims ``true`` — a client must stop on a short page only;
* ``GET /{resource}/{id}``; ``POST /recruitingJobApplications/{id}/action/move`` with
  ``Content-Type: application/vnd.oracle.adf.action+json`` (any other type: 415, as ADF answers) and
  ``{phaseId, stateId, comments?}``, answering ``{"result": "SUCCESS"}``;
* ``GET``/``POST /recruitingCandidates/{CandidateNumber}/child/attachments``: ``{DatatypeCode: FILE,
  CategoryName, FileName, Title, UploadedFileContentType, FileContents}`` (base64) or ``{DatatypeCode:
  WEB_PAGE, CategoryName, Url, Title, Description}`` in, the row without ``FileContents`` out
  with ``AttachedDocumentId`` and ``CreationDate`` (field names: the Fusion attachment resource [3p]).

Errors are ADF's REST-framework-v4 problem body ``{"title", "status", "o:errorDetails": [{"detail",
"o:errorCode"}]}`` ([3p]: from Oracle's REST framework docs, no recording). Oracle publishes no rate limit
[gap]: the fake throttles at 20 requests/s with a 429 and ``Retry-After``. No deletion feed (Oracle has
none). ``FakeState.denied`` names resources the user lacks the privilege for (403). Built on the fake
engine: faults, the request log and the control API (``/__fake/...``) are the kit's.
"""

from __future__ import annotations

import base64
import operator
import re
from datetime import datetime
from typing import Any

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.oracle.simulate import HOOKS
from atsbridge.fakes.oracle.state import FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

ROOT = "/hcmRestApi/resources/{version}"
VERSIONS = ("11.13.18.05", "latest")
RESOURCES = {"recruitingUIJobApplicationPhasesStates": "phases", "recruitingJobRequisitions": "requisitions",
             "recruitingCandidates": "candidates", "recruitingJobApplications": "applications",
             "recruitingJobOffers": "offers"}  # fmt: skip
KEYS = {"phases": "PhaseId", "requisitions": "RequisitionId", "candidates": "PersonId",
        "applications": "JobApplicationId", "offers": "OfferId"}  # fmt: skip
CLAUSE = re.compile(r"^\s*(\w+)\s*(>=|<=|>|<|=)\s*(?:'([^']*)'|([\w.:+-]+))\s*$")
OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "=": operator.eq}
ACTION_TYPE = "application/vnd.oracle.adf.action+json"
PROBE = (f"{ROOT.format(version=VERSIONS[0])}/recruitingJobRequisitions",
         {"Authorization": "Basic " + base64.b64encode(b"orc.integration:orc_password").decode()})  # fmt: skip


def errors(error: VendorError) -> Any:
    code = error.code or f"ORA-HTTP-{error.status}"
    return {"title": error.message, "status": str(error.status),
            "o:errorDetails": [{"detail": error.message, "o:errorCode": code}]}  # fmt: skip


def _table(call: Call[FakeState]) -> tuple[str, dict[str, Raw]]:
    if call.path["version"] not in VERSIONS or call.path["resource"] not in RESOURCES:
        raise VendorError(404, f"The resource {call.path['resource']} was not found.")
    if call.path["resource"] in call.fake.denied:  # a user without that resource's privilege
        raise VendorError(403, "The user is not authorized to perform this operation.")
    kind = RESOURCES[call.path["resource"]]
    table: dict[str, Raw] = getattr(call.fake, kind)
    return kind, table


def _value(raw: str) -> Any:
    try:
        return parse_ts(raw)
    except ValueError:
        return raw


def _matches(row: Raw, clauses: list[tuple[str, str, Any]]) -> bool:
    for name, op, want in clauses:
        have = row.get(name)
        have = _value(str(have)) if isinstance(want, datetime) and have is not None else have
        if not (isinstance(want, datetime) and isinstance(have, datetime)):
            have, want = str(have), str(want)
        if not OPS[op](have, want):
            return False
    return True


def _filters(q: str) -> list[tuple[str, str, Any]]:
    out = []
    for part in filter(None, (p.strip() for p in q.split(";"))):
        found = CLAUSE.match(part)
        if found is None:
            raise VendorError(400, f"The query expression {part!r} is not valid.", code="27122")
        quoted = found[3] is not None
        out.append((found[1], found[2], _value(found[3]) if quoted else found[4]))
    return out


def _int(call: Call[FakeState], name: str, default: int, top: int) -> int:
    raw = call.query.get(name, str(default))
    if not raw.isdigit() or int(raw) > top:
        raise VendorError(400, f"The {name} parameter value {raw} is not valid.")
    return int(raw)


def _render(row: Raw, call: Call[FakeState], resource: str, key: str) -> Raw:
    out = {k: v for k, v in row.items() if not k.startswith("_")}
    if call.query.get("fields"):
        out = {k: v for k, v in out.items() if k in call.query["fields"].split(",")}
    if call.query.get("expand") != "States":
        out.pop("States", None)
    if call.query.get("onlyData") != "true":
        href = f"{call.base_url}{ROOT.format(version=call.path['version'])}/{resource}/{row[key]}"
        out["links"] = [{"rel": "self", "href": href, "name": resource, "kind": "item"}]
    return out


def listing(call: Call[FakeState]) -> Raw:
    kind, table = _table(call)
    limit, offset = _int(call, "limit", 25, 500), _int(call, "offset", 0, 10**9)
    rows = [r for r in table.values() if _matches(r, _filters(call.query.get("q", "")))]
    field, _, direction = call.query.get("orderBy", KEYS[kind]).partition(":")
    rows.sort(key=lambda r: (str(type(r.get(field))), r.get(field) or 0, r[KEYS[kind]]), reverse=direction == "desc")
    page = rows[offset : offset + limit]
    more = offset + limit < len(rows)
    call.fake.pages_served += 1
    if more and call.fake.pages_served % 3 == 0:  # the quirk: hasMore lies (see the docstring)
        more = False
    elif not more and page and len(page) == limit:
        more = True
    body: Raw = {"items": [_render(r, call, call.path["resource"], KEYS[kind]) for r in page], "count": len(page),
                 "hasMore": more, "limit": limit, "offset": offset}  # fmt: skip
    if call.query.get("totalResults") == "true":
        body["totalResults"] = len(rows)
    body["links"] = [{"rel": "self", "href": str(call.request.url), "name": call.path["resource"],
                      "kind": "collection"}]  # fmt: skip
    return body


def one(call: Call[FakeState]) -> Raw:
    kind, table = _table(call)
    row = table.get(call.path["id"])
    if row is None:
        raise VendorError(404, f"The row with the key {call.path['id']} was not found.")
    return _render(row, call, call.path["resource"], KEYS[kind])


def move(call: Call[FakeState]) -> Raw:
    if call.path["version"] not in VERSIONS:
        raise VendorError(404, "The resource was not found.")
    if call.request.headers.get("content-type", "").split(";")[0].strip() != ACTION_TYPE:
        raise VendorError(415, f"The action requires the media type {ACTION_TYPE}.")
    call.fake.move(call.path["id"], call.json_object())
    return {"result": "SUCCESS"}


def _candidate(call: Call[FakeState]) -> Raw:
    if call.path["version"] not in VERSIONS:
        raise VendorError(404, "The resource was not found.")
    found = next((c for c in call.fake.candidates.values() if c["CandidateNumber"] == call.path["id"]), None)
    if found is None:
        raise VendorError(404, f"The row with the key {call.path['id']} was not found.")
    return found


def attachments(call: Call[FakeState]) -> Raw:
    rows = call.fake.attachments.get(str(_candidate(call)["PersonId"]), [])
    return {"items": rows, "count": len(rows), "hasMore": False, "limit": 500, "offset": 0}


def attach(call: Call[FakeState]) -> Any:
    person = str(_candidate(call)["PersonId"])
    return reply(call.fake.attach(person, call.json_object()), 201)


SPEC = FakeSpec(
    name="oracle",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{ROOT}/{{resource}}", listing),
        Endpoint("GET", f"{ROOT}/{{resource}}/{{id}}", one),
        Endpoint("POST", f"{ROOT}/recruitingJobApplications/{{id}}/action/move", move),
        Endpoint("GET", f"{ROOT}/recruitingCandidates/{{id}}/child/attachments", attachments),
        Endpoint("POST", f"{ROOT}/recruitingCandidates/{{id}}/child/attachments", attach),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` job applications (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{ROOT.format(version=VERSIONS[0])}",
                      "host": "fake.fa.us2.oraclecloud.com"},
    {"username": "orc.integration", "password": "orc_password"},
)  # fmt: skip

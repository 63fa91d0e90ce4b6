"""A stateful fake of JobDiva's API v2 for tests and demos (``atsbridge fake-ats jobdiva``).

**No JobDiva payload was ever recorded**: every answer is built field by field from the public copy of the
API's server source (``omarkamoun1/SpringRestAPI`` [3p]) and public clients' column names [3p]:

* ``GET /apiv2/authenticate?clientid=&username=&password=`` answers the token as a bare text body; a refused
  login is Spring's default 500 body with ``"message": "INVALID_CREDENTIALS"``. API calls without a valid
  token get Spring's default 401 body (``{"timestamp", "status", "error", "message"}``).
* BI reports answer ``{"message": null, "data": [{COLUMN: "text"}]}`` (``NewBiData``: a list of
  ``LinkedHashMap<String, String>``): ``UsersList`` (no window), ``NewUpdated{Job,Candidate,Activity,
  CandidateNote}Records`` and ``Deleted{Job,Candidate,Activity,CandidateNote}Records`` with required
  ``fromDate``/``toDate`` (``MM/dd/yyyy HH:mm:ss``, inclusive, the wall clock; the fake's is UTC), filtering on
  the row's update column. No paging: one window, one body.
* ``POST /apiv2/jobdiva/createCandidateNote`` (JSON ``{candidateid, note, link2AnOpenJob?}``) and
  ``createCandidate`` (camelCase profile) answer the new id as a bare number; ``createJobApplication``
  ``{candidateid, jobid}`` answers ``true`` (a second application of the pair is refused [gap]);
  ``searchCandidateProfile`` answers ``Candidate`` objects (camelCase, numeric ``id``); ``BI/CandidateDetail``
  the candidate's BI row. Refusals are ``JobDivaException``s: HTTP 420 (METHOD_FAILURE) with
  ``{"apierror": {"status", "timestamp", "message", "debugMessage", "subErrors"}}``; bad parameters are 400 in
  the same wrapper.
* No published rate limit: the fake's window (default 5/s) answers 429 with ``Retry-After`` in the apierror
  shape (an assumption, like the deletion reports' columns ``<ID column>``/``DATEDELETED`` [gap]).

* Webhooks (``webhooks.py``): simulated changes are pushed as ``{"type", "operation", "id", "data"}`` signed
  ``X-Hub-Signature: sha1=<hex HMAC-SHA1>`` [conn] to the URLs registered by hand (``POST /__fake/webhooks``).

Built on the fake engine: faults, the request log and the control API (``/__fake/...``) are the kit's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.jobdiva.simulate import HOOKS
from atsbridge.fakes.jobdiva.state import ID_COLUMN, UPDATED, FakeState, Raw, spring_error, stamp
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

BI = "/apiv2/bi"
REPORTS = {"Job": "jobs", "Candidate": "candidates", "Activity": "activities", "CandidateNote": "notes"}
STATUS_NAMES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 420: "METHOD_FAILURE", 429: "TOO_MANY_REQUESTS",
                500: "INTERNAL_SERVER_ERROR", 503: "SERVICE_UNAVAILABLE"}  # fmt: skip


def errors(error: VendorError) -> Any:
    if error.status == 401:  # the auth filter's sendError: Spring's default body
        return spring_error(401, "Unauthorized", error.message)
    status = STATUS_NAMES.get(error.status, str(error.status))
    return {"apierror": {"status": status, "timestamp": stamp(datetime.now()), "message": error.message,
                         "debugMessage": None, "subErrors": None}}  # fmt: skip


def _window(call: Call[FakeState]) -> tuple[str, str]:
    bounds = []
    for name in ("fromDate", "toDate"):
        value = call.query.get(name)
        if not value:
            raise VendorError(400, f"{name} parameter is missing")
        try:
            bounds.append(stamp(datetime.strptime(value, "%m/%d/%Y %H:%M:%S")))
        except ValueError:
            message = f"The parameter '{name}' of value '{value}' could not be converted to type 'Date'"
            raise VendorError(400, message) from None
    return bounds[0], bounds[1]


def _bi(rows: list[Raw]) -> Raw:
    return {"message": None, "data": rows}


def _changed(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        start, end = _window(call)
        column = UPDATED[kind]
        rows = [r for r in getattr(call.fake, kind).values() if start <= r[column] <= end]
        return _bi(sorted(rows, key=lambda r: (r[column], r[ID_COLUMN[kind]])))

    return handler


def _deleted(kind: str) -> Any:
    def handler(call: Call[FakeState]) -> Raw:
        start, end = _window(call)
        gone = [(rid, stamp(at)) for rid, at in call.fake.deleted.get(kind, [])]
        return _bi([{ID_COLUMN[kind]: rid, "DATEDELETED": at} for rid, at in gone if start <= at <= end])

    return handler


def users(call: Call[FakeState]) -> Raw:
    return _bi(list(call.fake.users.values()))


def _bare(make: Callable[[FakeState, Raw], str]) -> Callable[[Call[FakeState]], Response]:
    """A write that answers a bare value (an id, ``true``), not a record."""
    return lambda call: Response(make(call.fake, call.json_object()), media_type="application/json")


def candidate_detail(call: Call[FakeState]) -> Raw:
    found = call.fake.candidates.get(call.query.get("candidateId", ""))
    return _bi([found] if found else [])


SPEC = FakeSpec(
    name="jobdiva",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{BI}/UsersList", users),
        *(Endpoint("GET", f"{BI}/NewUpdated{name}Records", _changed(kind)) for name, kind in REPORTS.items()),
        *(Endpoint("GET", f"{BI}/Deleted{name}Records", _deleted(kind)) for name, kind in REPORTS.items()),
        Endpoint("GET", f"{BI}/CandidateDetail", candidate_detail),
        Endpoint("POST", "/apiv2/jobdiva/createCandidateNote", _bare(FakeState.create_note)),
        Endpoint("POST", "/apiv2/jobdiva/createCandidate", _bare(FakeState.create_candidate)),
        Endpoint("POST", "/apiv2/jobdiva/searchCandidateProfile", lambda call: call.fake.search(call.json_object())),
        Endpoint("POST", "/apiv2/jobdiva/createJobApplication", _bare(FakeState.apply)),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` activities (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(5, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": base_url},
    {"client_id": "4242", "username": "api@agency.example", "password": "jobdiva_secret"},
)

"""A stateful fake of Breezy HR's v3 API for tests and demos (``atsbridge fake-ats breezyhr``).

**No real Breezy record was ever recorded**: candidates follow the vendor's published type template
(``payloads/candidates_list.typed-example.json``: every field, our values); positions and pipelines are
built field by field from the documented/Airbyte field lists (reference §3.6); the error bodies are the
recorded ones (``{"error": {"type", "message"}}``). Where the docs say nothing the fake decides, each marked
[gap]: an unfiltered ``/positions`` lists published positions only; ``sort=created`` and
``sort=updated_date`` both list newest first; the stream listing's item shape (as the note answer, with
``object.body``). Limits from an API gateway's notes [3p]: ``page_size`` 1-50, 100 requests per 60 s.

Served under ``/v3/company/{company_id}`` (another company id: 404): ``/pipelines``, ``/pipeline/{id}``,
``/positions?state=``, ``/position/{id}``, ``/position/{id}/candidates`` (``page``/``page_size``/``sort``, a
bare array), ``/position/{id}/candidate/{cid}``, ``.../stream`` and ``.../resume`` (the file); writes
``POST .../candidates``, ``PUT .../candidate/{cid}/stage`` (204; 400 ``setCandidateStatusMissingStageId``)
and ``POST .../candidate/{cid}/stream`` (a note: ``companyNotePosted``; 400 ``postNoteMissingBody``) [doc];
``POST /v3/signin`` issues session tokens; webhook endpoints (``webhooks.py``: ``GET|POST
/webhook_endpoints``, ``GET|DELETE /webhook_endpoints/{id}``; simulated changes are pushed signed with
``X-Hook-Signature``). Auth is ``Authorization: <token>`` (no scheme): 400 ``missingAccessToken`` without
it, 401 ``invalidAccessToken`` when wrong. Beyond the rate window (default 100 per 60 s) 429 with
``X-RateLimit-Reset`` and no ``Retry-After``. Built on the fake engine: faults, the request log and
the control API are the kit's; the state is ``app.state.fake``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.breezyhr.simulate import HOOKS
from atsbridge.fakes.breezyhr.state import FakeState, Raw
from atsbridge.fakes.breezyhr.webhooks import create_endpoint, delete_endpoint, get_endpoint, list_endpoints
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import PageNumber
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

PAGER = PageNumber(page_param="page", size_param="page_size", default_size=10, max_size=50)
#: The recorded messages of the recorded error types.
_MESSAGES = {"missingAccessToken": "access token is null or empty", "invalidAccessToken": "access token is invalid"}
_TYPES = {401: "invalidAccessToken", 404: "notFound", 429: "rateLimitExceeded"}


def errors(error: VendorError) -> Any:
    kind = error.code or _TYPES.get(error.status, "badRequest" if error.status < 500 else "serverError")
    return {"error": {"type": kind, "message": _MESSAGES.get(kind, error.message)}}


def _api(handler: Callable[[Call[FakeState], str], Any]) -> Callable[[Call[FakeState]], Any]:
    """The company check and the missing-token refusal every company endpoint shares."""

    def serve(call: Call[FakeState]) -> Any:
        if call.principal.name == "missing":
            raise VendorError(400, "access token is null or empty", code="missingAccessToken")
        if call.path.get("company") != call.fake.company_id:
            raise VendorError(404, "company not found", code="companyNotFound")
        return handler(call, str(call.path.get("id", "")))

    return serve


def _candidate(call: Call[FakeState], pid: str) -> tuple[str, Raw]:
    cid = str(call.path["cid"])
    if call.fake.position_of.get(cid) != pid:
        raise VendorError(404, "candidate not found", code="candidateNotFound")
    return cid, call.fake.candidates[cid]


def pipelines(call: Call[FakeState], _: str) -> list[Raw]:
    return list(call.fake.pipelines.values())


def pipeline(call: Call[FakeState], pid: str) -> Raw:
    if pid not in call.fake.pipelines:
        raise VendorError(404, "pipeline not found", code="pipelineNotFound")
    return call.fake.pipelines[pid]


def positions(call: Call[FakeState], _: str) -> list[Raw]:
    state = call.query.get("state", "published")
    return [p for p in call.fake.positions.values() if p["state"] == state]


def position(call: Call[FakeState], pid: str) -> Raw:
    if pid not in call.fake.positions:
        raise VendorError(404, "position not found", code="positionNotFound")
    return call.fake.positions[pid]


def candidates(call: Call[FakeState], pid: str) -> Any:
    position(call, pid)
    cursor = PAGER.cursor(call.request)
    sort = cursor.query.get("sort", "created")
    if sort not in ("created", "updated_date"):
        raise VendorError(400, f"invalid sort {sort!r}", code="invalidSort")
    field = "creation_date" if sort == "created" else "updated_date"
    rows = [c for cid, c in call.fake.candidates.items() if call.fake.position_of[cid] == pid]
    ordered = sorted(rows, key=lambda c: (c[field], c["_id"]), reverse=True)
    page, following = PAGER.slice(cursor, [((i,), c) for i, c in enumerate(ordered)], call.fake.page_cap)
    return PAGER.reply(call.request, page, following)


def add_candidate(call: Call[FakeState], pid: str) -> Raw:
    position(call, pid)
    return call.fake.add_candidate(pid, call.json_object())


def candidate(call: Call[FakeState], pid: str) -> Raw:
    return _candidate(call, pid)[1]


def set_stage(call: Call[FakeState], pid: str) -> None:
    cid, _ = _candidate(call, pid)
    stage = call.json_object().get("stage_id")
    if stage is None or str(stage) == "":
        raise VendorError(400, "stage_id is null or empty", code="setCandidateStatusMissingStageId")
    call.fake.set_stage(cid, str(stage))


def resume(call: Call[FakeState], pid: str) -> Response:
    """The candidate's resume file (the candidate's ``resume.file_name``; 404 when it has none) [3p path]."""
    cid, found = _candidate(call, pid)
    name = (found.get("resume") or {}).get("file_name")
    if not name:
        raise VendorError(404, "resume not found", code="resumeNotFound")
    kind = "application/pdf" if name.endswith(".pdf") else "application/msword"
    body = f"%PDF-1.4 resume of {cid}".encode()
    return Response(body, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def stream(call: Call[FakeState], pid: str) -> list[Raw]:
    return list(call.fake.streams[_candidate(call, pid)[0]])


def add_note(call: Call[FakeState], pid: str) -> Raw:
    cid, _ = _candidate(call, pid)
    body = call.json_object().get("body")
    if not isinstance(body, str) or not body.strip():
        raise VendorError(400, "body is null or empty", code="postNoteMissingBody")
    return call.fake.add_note(cid, body)


C = "/v3/company/{company}"
SPEC = FakeSpec(
    name="breezyhr",
    errors=errors,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{C}/pipelines", _api(pipelines)),
        Endpoint("GET", f"{C}/pipeline/{{id}}", _api(pipeline)),
        Endpoint("GET", f"{C}/positions", _api(positions)),
        Endpoint("GET", f"{C}/position/{{id}}", _api(position)),
        Endpoint("GET", f"{C}/position/{{id}}/candidates", _api(candidates)),
        Endpoint("POST", f"{C}/position/{{id}}/candidates", _api(add_candidate)),
        Endpoint("GET", f"{C}/position/{{id}}/candidate/{{cid}}", _api(candidate)),
        Endpoint("PUT", f"{C}/position/{{id}}/candidate/{{cid}}/stage", _api(set_stage)),
        Endpoint("GET", f"{C}/position/{{id}}/candidate/{{cid}}/stream", _api(stream)),
        Endpoint("GET", f"{C}/position/{{id}}/candidate/{{cid}}/resume", _api(resume)),
        Endpoint("POST", f"{C}/position/{{id}}/candidate/{{cid}}/stream", _api(add_note)),
        Endpoint("GET", f"{C}/webhook_endpoints", _api(list_endpoints)),
        Endpoint("POST", f"{C}/webhook_endpoints", _api(create_endpoint)),
        Endpoint("GET", f"{C}/webhook_endpoints/{{id}}", _api(get_endpoint)),
        Endpoint("DELETE", f"{C}/webhook_endpoints/{{id}}", _api(delete_endpoint)),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake company with ``records`` candidates (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(100, 60.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}/v3/company/{FakeState.company_id}", "company_id": FakeState.company_id},
    {"api_token": FakeState.token},
)

"""``/v1/ats/*`` write endpoints. Everything is validated and resolved here, before any vendor call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import Response

from atsbridge.api.deps import Tenant, ready_tenant
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.core.errors import ApiError, input_invalid
from atsbridge.core.fetch import FetchPolicy
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import format_ts, utcnow
from atsbridge.model import write_bodies as bodies
from atsbridge.model.common import Warning_
from atsbridge.model.envelope import ErrorResponse
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store.reads import find_by_id_or_remote, get_one
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES
from atsbridge.writes.idempotency import Attempt, Replay
from atsbridge.writes.service import claim_create, require_action, run_write, start, track
from atsbridge.writes.service import replayed as replayed_response
from atsbridge.writes.validation import check_job_open, decode_uploads, pick_stage, resolve_answers

router = APIRouter(prefix="/ats", tags=["ATS writes"])
_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 502)}

Json = dict[str, Any]


class WriteResponse(BaseModel):
    status: Literal["success"] = "success"
    data: dict[str, Any]
    warnings: list[Warning_]


def _start(request: Request, state: AppState, t: Tenant, body: BaseModel) -> Attempt | Replay:
    return start(
        state,
        t.integration,
        t.environment_id,
        body,
        method=request.method,
        path=request.url.path,
        key=request.headers.get("idempotency-key"),
    )


@contextmanager
def _released_on_error(attempt: Attempt) -> Iterator[None]:
    """Input refused before any vendor call: free the key, so the corrected request may use it."""
    try:
        yield
    except Exception:
        attempt.fail(retryable=True)
        raise


def _record(state: AppState, t: Tenant, model: str, ref: str, field: str) -> Json:
    """A stored record by atsbridge id or ``remote:<id>``; deleted ones are refused."""
    with state.engine.connect() as conn:
        rid = find_by_id_or_remote(conn, model, t.integration.id, ref)
        record = get_one(conn, model, t.integration.id, rid) if rid else None
    label = model[:-1].replace("_", " ")
    if record is None:
        raise ApiError("PLATFORM.INPUT_INVALID", f"{field}: no {label} {ref!r} in this integration", status=404)
    if record.get("remote_deleted_at"):
        raise ApiError("PLATFORM.INPUT_INVALID", f"{field}: {label} {ref!r} was deleted in the ATS", status=404)
    return record


def _fetch_policy(state: AppState) -> FetchPolicy:
    return FetchPolicy.for_settings(state.settings)


#: ``remote_fields`` keys that address the same tool (the contract has both for Greenhouse).
_REMOTE_FIELD_KEYS = {"greenhouse": ("greenhouse", "greenhousev3")}


def _tool_fields(t: Tenant, remote_fields: Json | None) -> Json:
    """This tool's subtree(s) of ``remote_fields``, merged."""
    merged: Json = {}
    for key in _REMOTE_FIELD_KEYS.get(t.integration.tool, (t.integration.tool,)):
        value = (remote_fields or {}).get(key)
        if isinstance(value, dict):
            merged.update(value)
    return merged


def _already_applied(state: AppState, t: Tenant, email: str, job_id: str) -> bool:
    side = SIDE_TABLES[("candidates", "emails")]
    apps = MODEL_TABLES["applications"]
    with state.engine.connect() as conn:
        hit = conn.execute(
            select(apps.c.id)
            .where(
                apps.c.integration_id == t.integration.id,
                apps.c.job_id == job_id,
                apps.c.remote_deleted_at.is_(None),
                apps.c.candidate_id.in_(
                    select(side.c.record_id).where(
                        side.c.integration_id == t.integration.id, side.c.value == email.lower()
                    )
                ),
            )
            .limit(1)
        ).first()
    return hit is not None


async def _prepare_create(
    state: AppState,
    t: Tenant,
    action: str,
    body: bodies.CreateApplication | bodies.CreateCandidate,
    job_ref: str,
    stage_id: str | None,
    job_field: str,
    stage_field: str,
) -> WriteCall:
    warnings: list[str] = []
    job: Json | None = None
    job_remote_id: str | None = None
    with state.engine.connect() as conn:
        found = find_by_id_or_remote(conn, "jobs", t.integration.id, job_ref)
    if found is None and job_ref.startswith("remote:"):
        job_remote_id = job_ref[len("remote:") :]
        warnings.append(f"job {job_remote_id!r} is not synced yet: stage and screening answers were not checked")
    else:
        job = _record(state, t, "jobs", job_ref, job_field)
        check_job_open(job)
        job_remote_id = job["remote_id"]
        if _already_applied(state, t, body.candidate.email_address, job["id"]):
            raise ApiError(
                "ATS.APPLICATION_ALREADY_EXISTS",
                f"{body.candidate.email_address} already has an application for job {job['id']}",
            )
    stage = pick_stage(job, stage_id, stage_field) if job else None
    answers, answer_warnings = await resolve_answers(
        job or {"id": job_ref, "screening_questions": []},
        body.screening_question_answers,
        _fetch_policy(state),
    )
    warnings += answer_warnings
    files = await decode_uploads(body.attachments, "attachments", _fetch_policy(state))
    sourced_by = None
    if body.sourced_by is not None:
        sourced_by = _record(state, t, "users", body.sourced_by.user_id, "sourced_by.user_id")["remote_id"]
    call = WriteCall(
        action,
        t.integration.id,
        body,
        job=job,
        stage=stage,
        answers=answers,
        files=files,
        sourced_by_remote_id=sourced_by,
        remote_fields=_tool_fields(t, body.remote_fields),
        job_remote_id=job_remote_id,
    )
    call.warnings = warnings
    return call


def _created_application(state: AppState, t: Tenant, result: WriteResult) -> Json:
    app_id = record_id(t.integration.id, "applications", str(result.created["application_remote_id"]))
    with state.engine.connect() as conn:
        app = get_one(conn, "applications", t.integration.id, app_id)
        cand = (
            get_one(conn, "candidates", t.integration.id, app["candidate_id"]) if app and app["candidate_id"] else None
        )
    if app is None:
        raise ApiError("REMOTE.UNKNOWN_HTTP_ERROR", "the ATS accepted the application but did not return it")
    app["candidate"] = cand
    return app


def _finish_create(state: AppState, t: Tenant, call: WriteCall) -> Any:
    def after(result: WriteResult, _written: dict[str, list[str]]) -> None:
        candidate_remote = result.created.get("candidate_remote_id")
        candidate_id = record_id(t.integration.id, "candidates", str(candidate_remote)) if candidate_remote else None
        track(state.engine, t.integration.id, str(result.created["application_remote_id"]), candidate_id, "created")

    return after


@router.post(
    "/jobs/{job_id}/applications",
    response_model=WriteResponse,
    responses=_ERRORS,
    operation_id="PostAtsJobsJobIdApplications",
    summary="Create application",
)
async def create_application(job_id: str, body: bodies.CreateApplication, request: Request) -> Response:
    t = ready_tenant(request)
    state = app_state(request)
    connector = require_action(state, t.integration, "create_application")
    attempt = _start(request, state, t, body)
    if isinstance(attempt, Replay):
        return replayed_response(attempt)
    with _released_on_error(attempt):
        call = await _prepare_create(state, t, "create_application", body, job_id, body.stage_id, "job_id", "stage_id")
        owned = await claim_create(state, t.integration, call, attempt)
    return await run_write(
        state,
        t.integration,
        connector,
        call,
        attempt,
        respond=lambda result, _w: _created_application(state, t, result),
        after=_finish_create(state, t, call),
        owned=owned,
    )


@router.post(
    "/candidates",
    response_model=WriteResponse,
    responses=_ERRORS,
    operation_id="PostAtsCandidates",
    summary="Create candidate (deprecated: use create application)",
)
async def create_candidate(body: bodies.CreateCandidate, request: Request) -> Response:
    t = ready_tenant(request)
    state = app_state(request)
    connector = require_action(state, t.integration, "create_application")
    attempt = _start(request, state, t, body)
    if isinstance(attempt, Replay):
        return replayed_response(attempt)
    with _released_on_error(attempt):
        call = await _prepare_create(
            state, t, "create_application", body, body.application.job_id, body.application.stage_id,
            "application.job_id", "application.stage_id",
        )  # fmt: skip
        owned = await claim_create(state, t.integration, call, attempt)

    def respond(result: WriteResult, _w: dict[str, list[str]]) -> Json:
        app = _created_application(state, t, result)
        with state.engine.connect() as conn:
            cand = get_one(conn, "candidates", t.integration.id, app["candidate_id"])
        return cand or {}

    return await run_write(
        state, t.integration, connector, call, attempt, respond=respond, after=_finish_create(state, t, call),
        owned=owned,
    )  # fmt: skip


async def _simple(
    request: Request,
    action: str,
    body: BaseModel,
    *,
    application_id: str | None = None,
    candidate_id: str | None = None,
    prepare: Any = None,
) -> Response:
    """The single-record writes: resolve the application or candidate, call, write through, answer ``{}``."""
    t = ready_tenant(request)
    state = app_state(request)
    connector = require_action(state, t.integration, action)
    attempt = _start(request, state, t, body)
    if isinstance(attempt, Replay):
        return replayed_response(attempt)
    with _released_on_error(attempt):
        remote_fields = _tool_fields(t, getattr(body, "remote_fields", None))
        call = WriteCall(action, t.integration.id, body, remote_fields=remote_fields)
        if application_id is not None:
            call.application = _record(state, t, "applications", application_id, "application_id")
            if call.application.get("candidate_id"):
                with state.engine.connect() as conn:
                    call.candidate = get_one(conn, "candidates", t.integration.id, call.application["candidate_id"])
        if candidate_id is not None:
            call.candidate = _record(state, t, "candidates", candidate_id, "candidate_id")
        if prepare is not None:
            await prepare(state, t, call)
    return await run_write(state, t.integration, connector, call, attempt, respond=lambda _r, _w: {})


async def _prepare_stage(state: AppState, t: Tenant, call: WriteCall) -> None:
    assert call.application is not None and isinstance(call.body, bodies.MoveStage)
    job_id = call.application.get("job_id")
    if job_id is None:
        raise input_invalid("application_id: this application has no job, so it has no stages to move to")
    call.job = _record(state, t, "jobs", job_id, "application.job_id")
    call.stage = pick_stage(call.job, call.body.stage_id, "stage_id")


async def _prepare_reject(state: AppState, t: Tenant, call: WriteCall) -> None:
    assert isinstance(call.body, bodies.Reject)
    call.rejection_reason = _record(state, t, "rejection_reasons", call.body.rejection_reason_id, "rejection_reason_id")


async def _prepare_files(state: AppState, _t: Tenant, call: WriteCall) -> None:
    assert isinstance(call.body, bodies.AttachmentBody)
    call.files = await decode_uploads([call.body.attachment], "attachment", _fetch_policy(state))


_SIMPLE: dict[str, Any] = {"response_model": WriteResponse, "responses": _ERRORS}


@router.put("/applications/{application_id}/stage", operation_id="PutAtsApplicationsApplicationIdStage", **_SIMPLE)
async def move_application_to_stage(application_id: str, body: bodies.MoveStage, request: Request) -> Response:
    """Move an application to one of its job's stages."""
    return await _simple(
        request, "move_application_to_stage", body, application_id=application_id, prepare=_prepare_stage
    )


@router.post("/applications/{application_id}/reject", operation_id="PostAtsApplicationsApplicationIdReject", **_SIMPLE)
async def reject_application(application_id: str, body: bodies.Reject, request: Request) -> Response:
    """Reject an application with a reason from GET /ats/rejection-reasons."""
    return await _simple(request, "reject_application", body, application_id=application_id, prepare=_prepare_reject)


@router.post("/applications/{application_id}/notes", operation_id="PostAtsApplicationsApplicationIdNotes", **_SIMPLE)
async def add_application_note(application_id: str, body: bodies.Note, request: Request) -> Response:
    """Add a plain-text note to an application."""
    return await _simple(request, "add_application_note", body, application_id=application_id)


@router.post(
    "/applications/{application_id}/attachments", operation_id="PostAtsApplicationsApplicationIdAttachments", **_SIMPLE
)
async def add_application_attachment(application_id: str, body: bodies.AttachmentBody, request: Request) -> Response:
    """Upload a file to an application (to its candidate where the ATS keeps files there)."""
    return await _simple(
        request, "add_application_attachment", body, application_id=application_id, prepare=_prepare_files
    )


@router.post(
    "/applications/{application_id}/result-links",
    operation_id="PostAtsApplicationsApplicationIdResultLinks",
    **_SIMPLE,
)
async def add_application_result_link(application_id: str, body: bodies.ResultLink, request: Request) -> Response:
    """Attach a result link (e.g. an assessment report) to an application."""
    return await _simple(request, "add_application_result_link", body, application_id=application_id)


@router.post(
    "/candidates/{candidate_id}/attachments", operation_id="PostAtsCandidatesCandidateIdAttachments", **_SIMPLE
)
async def add_candidate_attachment(candidate_id: str, body: bodies.AttachmentBody, request: Request) -> Response:
    """Upload a file to a candidate."""
    return await _simple(request, "add_candidate_attachment", body, candidate_id=candidate_id, prepare=_prepare_files)


@router.post(
    "/candidates/{candidate_id}/result-links", operation_id="PostAtsCandidatesCandidateIdResultLinks", **_SIMPLE
)
async def add_candidate_result_link(candidate_id: str, body: bodies.ResultLink, request: Request) -> Response:
    """Attach a result link to a candidate (legacy; prefer the application form)."""
    return await _simple(request, "add_candidate_result_link", body, candidate_id=candidate_id)


@router.post("/candidates/{candidate_id}/tags", operation_id="PostAtsCandidatesCandidateIdTags", **_SIMPLE)
async def add_candidate_tag(candidate_id: str, body: bodies.TagBody, request: Request) -> Response:
    """Tag a candidate; the tag is created in the ATS when it does not exist."""
    return await _simple(request, "add_candidate_tag", body, candidate_id=candidate_id)


@router.delete("/candidates/{candidate_id}/tags", operation_id="DeleteAtsCandidatesCandidateIdTags", **_SIMPLE)
async def remove_candidate_tag(candidate_id: str, body: bodies.TagBody, request: Request) -> Response:
    """Remove a tag from a candidate; removing a tag it does not have succeeds."""
    return await _simple(request, "remove_candidate_tag", body, candidate_id=candidate_id)


@router.post(
    "/import-tracked-application",
    response_model=WriteResponse,
    responses=_ERRORS,
    operation_id="PostAtsImportTrackedApplication",
    summary="Import tracked application",
)
async def import_tracked_application(body: bodies.ImportTracked, request: Request) -> Response:
    """Start tracking an application atsbridge did not create (for integrations that sync only tracked ones)."""
    t = ready_tenant(request)
    state = app_state(request)
    connector = require_action(state, t.integration, "import_tracked_application")
    imported = {
        k: v
        for k, v in body.model_dump(mode="json", exclude_none=True).items()
        if k not in ("tracked_at", "application_remote_id")
    }
    if not imported and body.application_remote_id is None:
        raise input_invalid(
            "give the application's identifier under its tool's key (greenhouse, recruitee, smartrecruiters, ...)"
        )
    attempt = _start(request, state, t, body)
    if isinstance(attempt, Replay):
        return replayed_response(attempt)
    call = WriteCall("import_tracked_application", t.integration.id, body)

    def after(result: WriteResult, _w: dict[str, list[str]]) -> None:
        candidate_remote = result.created.get("candidate_remote_id")
        candidate_id = record_id(t.integration.id, "candidates", str(candidate_remote)) if candidate_remote else None
        track(state.engine, t.integration.id, str(result.created["application_remote_id"]), candidate_id, "imported")

    def respond(result: WriteResult, _w: dict[str, list[str]]) -> Json:
        return {
            "id": record_id(t.integration.id, "applications", str(result.created["application_remote_id"])),
            "tracked_at": format_ts(body.tracked_at or utcnow()),
            "imported_id": imported,
        }

    return await run_write(state, t.integration, connector, call, attempt, respond=respond, after=after)

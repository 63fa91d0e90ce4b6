"""A stateful fake of Ashby's API for tests, demos and the conformance suite.

RPC over ``POST /<category>.<method>`` with a JSON body and HTTP Basic (API key as user name, blank
password; default ``ashby_key``). A missing key answers 401, a wrong one 403 (``invalid_api_key``); everything
else answers 200, failures as ``{"success": false, "errors": [code], "errorInfo": {"code", "message"}}``
(unknown body keys included, so connector mistakes show). Lists page with ``limit`` (<= 100) / ``cursor`` /
``nextCursor`` / ``moreDataAvailable`` and hand out a ``syncToken`` on the last page; a list called with one
returns only what changed since it was issued (``expire_sync_tokens`` makes old ones fail). Files go through
``file.createFileUploadHandle`` + a presigned upload URL (``/_uploads/{token}``) and come back from
``file.info`` URLs (``/_files/{token}``), both outside the API and its credentials. Webhooks (``webhooks.py``):
``webhook.create`` (with Ashby's ping), ``webhook.info``, ``webhook.delete``; simulated changes are pushed signed.

Served by the fake engine (``SPEC``): control API, faults and request log come from it. ``app.state.fake`` is
the :class:`FakeState`: mutate it, arm faults on ``fake.faults`` and Ashby's ``success: false`` answers with
``fake.fail_body_next``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from email import policy
from email.parser import BytesParser
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.ashby import generate as g
from atsbridge.fakes.ashby.simulate import HOOKS, errors
from atsbridge.fakes.ashby.state import AshbyError, FakeState
from atsbridge.fakes.ashby.webhooks import METHODS as WEBHOOK_METHODS
from atsbridge.fakes.ashby.writes import WRITES, render_application, render_candidate
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import TokenBucket
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
Lister = Callable[[FakeState, Raw], tuple[Iterable[Raw], Callable[[Raw], Raw]]]
PAGING = frozenset({"limit", "cursor", "syncToken"})


def _plain(record: Raw) -> Raw:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def _key(record: Raw) -> list[str]:
    return [str(record.get("createdAt") or ""), str(record["id"])]


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def _unb64(text: str, what: str) -> Any:
    try:
        return orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, orjson.JSONDecodeError):
        raise AshbyError("invalid_input", f"Invalid {what}") from None


def paged(fake: FakeState, body: Raw, records: Iterable[Raw], render: Callable[[Raw], Raw], tokens: bool) -> Raw:
    limit = body.get("limit", 100)
    if not isinstance(limit, int) or not 1 <= limit <= 100:
        raise AshbyError("invalid_input", "limit must be between 1 and 100")
    limit = min(limit, fake.page_cap or 100)
    rows = sorted(records, key=_key)
    if "syncToken" in body:
        if not tokens:
            raise AshbyError("invalid_input", "This list does not support syncToken")
        epoch, seq = _unb64(str(body["syncToken"]), "syncToken")
        if epoch != fake.token_epoch:
            raise AshbyError("sync_token_expired", "The sync token has expired; run a full sync")
        rows = [r for r in rows if r["_seq"] > seq]
    if body.get("cursor"):
        after = _unb64(str(body["cursor"]), "cursor")
        rows = [r for r in rows if _key(r) > after]
    page = rows[:limit]
    out: Raw = {"success": True, "results": [render(r) for r in page], "moreDataAvailable": len(rows) > limit}
    if out["moreDataAvailable"]:
        out["nextCursor"] = _b64(_key(page[-1]))
    elif tokens:
        out["syncToken"] = _b64([fake.token_epoch, fake.seq])
    return out


# -------------------------------------------------------------------------------------------------- lists
def _archived(body: Raw, rows: Iterable[Raw], key: str = "isArchived") -> list[Raw]:
    return [r for r in rows if body.get("includeArchived") or not r.get(key)]


LISTS: dict[str, tuple[frozenset[str], bool, Lister]] = {
    "user.list": (frozenset({"includeDeactivated"}), True, lambda f, b: (
        [u for u in f.users.values() if b.get("includeDeactivated") or u["isEnabled"]],
        lambda u: g.render(u, g.shape("users.json")))),
    "department.list": (frozenset({"includeArchived"}), True, lambda f, b: (
        _archived(b, f.departments), lambda d: g.render(d, g.shape("departments.json")))),
    "candidateTag.list": (frozenset({"includeArchived"}), True, lambda f, b: (_archived(b, f.tags.values()), _plain)),
    "archiveReason.list": (frozenset({"includeArchived"}), True, lambda f, b: (
        _archived(b, f.reasons.values()), lambda r: {k: r[k] for k in ("id", "text", "reasonType", "isArchived")})),
    "job.list": (frozenset({"status"}), True, lambda f, b: (
        [j for j in f.jobs.values() if not b.get("status") or j["status"] in b["status"]],
        lambda j: g.render(j, g.shape("jobs.json")))),
    "candidate.list": (frozenset(), True, lambda f, b: (
        f.candidates.values(), lambda c: render_candidate(c, "candidates.json"))),
    "application.list": (frozenset({"createdAfter", "status", "jobId", "expand"}), True, lambda f, b: (
        [a for a in f.applications.values() if b.get("jobId") in (None, a["job"]["id"])],
        lambda a: render_application(a, "applications.json"))),
    "interviewSchedule.list": (frozenset({"createdAfter", "applicationId", "interviewStageId"}), True, lambda f, b: (
        [s for s in f.schedules.values() if b.get("applicationId") in (None, s["applicationId"])], _plain)),
    "offer.list": (frozenset({"applicationId"}), True, lambda f, b: (
        [o for o in f.offers.values() if b.get("applicationId") in (None, o["applicationId"])], _plain)),
    "applicationFeedback.list": (frozenset({"createdAfter", "applicationId"}), True, lambda f, b: (
        [x for x in f.feedback.values() if b.get("applicationId") in (None, x["applicationId"])], _plain)),
    "interview.list": (frozenset({"includeArchived", "includeNonSharedInterviews", "jobId"}), True, lambda f, b: (
        _archived(b, f.interviews), _plain)),
    "candidate.listNotes": (frozenset({"candidateId"}), False, lambda f, b: (
        f.notes.get(f.get(f.candidates, b.get("candidateId"), "candidate")["id"], []),
        lambda n: g.render(n, g.shape("write_create_note.response.json")))),
    "interviewStage.list": (frozenset({"interviewPlanId"}), False, lambda f, b: (
        [{**s, "createdAt": str(s["orderInInterviewPlan"]).zfill(4)} for s in _plan(f, b)],
        lambda s: {k: v for k, v in s.items() if k != "createdAt"})),
}  # fmt: skip


def _plan(fake: FakeState, body: Raw) -> list[Raw]:
    plan = fake.plans.get(str(body.get("interviewPlanId")))
    if plan is None:
        raise AshbyError("interview_plan_not_found", f"No interview plan {body.get('interviewPlanId')!r}")
    return plan


def _single(fake: FakeState, method: str, body: Raw) -> Any:
    """The ``*.info`` reads and the unpaginated ``source.list`` / ``jobPosting.list``."""
    if method == "source.list":
        return {"success": True, "results": _archived(body, fake.sources), "moreDataAvailable": False}
    if method == "jobPosting.list":
        rows = [p for p in fake.postings.values() if not body.get("listedOnly") or p["isListed"]]
        return {"success": True, "results": [g.render(p, g.shape("job_postings.json")) for p in rows]}
    found: Raw
    if method == "job.info":
        found = g.render(fake.get(fake.jobs, body.get("id"), "job"), g.shape("job_single.json"))
    elif method == "jobPosting.info":
        posting = fake.get(fake.postings, body.get("jobPostingId"), "job_posting")
        found = g.render(posting, g.shape("job_posting_single.json"))
    elif method == "candidate.info":
        found = render_candidate(fake.get(fake.candidates, body.get("id"), "candidate"))
    elif method == "application.info":
        app = fake.get(fake.applications, body.get("applicationId"), "application")
        found = render_application(app, "application_single.json")
    elif method == "user.info":
        found = g.render(fake.get(fake.users, body.get("userId"), "user"), g.shape("users.json"))
    else:
        raise AshbyError("not_found", f"Unknown endpoint {method}")
    return {"success": True, "results": found}


SINGLE_KEYS = {"job.info": {"id"}, "jobPosting.info": {"jobPostingId"}, "candidate.info": {"id"},
               "application.info": {"applicationId", "expand"}, "user.info": {"userId"},
               # unpaginated lists take (and ignore) ``limit``, as the recorded jobPosting.list call shows
               "source.list": {"includeArchived", "limit"},
               "jobPosting.list": {"listedOnly", "location", "department", "limit"}}  # fmt: skip


def dispatch(fake: FakeState, method: str, body: Raw, base: str) -> Raw:
    if method in LISTS:
        allowed, tokens, lister = LISTS[method]
        _known(body, allowed | PAGING)
        records, render = lister(fake, body)
        return paged(fake, body, records, render, tokens)
    if method in SINGLE_KEYS:
        _known(body, SINGLE_KEYS[method])
        return dict(_single(fake, method, body))
    if method in WRITES:
        return {"success": True, "results": WRITES[method](fake, body, base)}
    if method in WEBHOOK_METHODS:
        allowed, handler = WEBHOOK_METHODS[method]
        _known(body, allowed)
        return {"success": True, "results": handler(fake, body)}
    raise AshbyError("not_found", f"Unknown endpoint {method}")


def _known(body: Raw, allowed: Iterable[str]) -> None:
    unknown = set(body) - set(allowed)
    if unknown:
        raise AshbyError("invalid_input", f"Unknown field(s): {', '.join(sorted(unknown))}")


# ---------------------------------------------------------------------------------------------- plumbing
def rpc(call: Call[FakeState]) -> Any:
    """Every ``POST /<category>.<method>``: Ashby's 403 for a wrong key, its ``success: false`` bodies."""
    fake, method = call.fake, call.path["method"]
    if call.principal.name != fake.api_key:
        raise VendorError(403, "The API key is invalid or has been deactivated", code="invalid_api_key")
    failure = fake.take_body_failure(f"/{method}")
    if failure is not None:
        raise VendorError(failure.status, failure.message, code=failure.code)
    try:
        body = call.json(empty={})
        if not isinstance(body, dict):
            raise AshbyError("invalid_input", "The body must be a JSON object")
        fake.bodies.append((method, body))
        return dispatch(fake, method, body, call.base_url)
    except AshbyError as exc:
        raise VendorError(exc.status, exc.message, code=exc.code) from None


def _form_file(content_type: str, body: bytes) -> bytes | None:
    """The ``file`` part of a multipart/form-data body (parsed with the standard library's MIME parser)."""
    message = BytesParser(policy=policy.default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    for part in message.iter_parts() if message.is_multipart() else []:
        if part.get_param("name", header="content-disposition") == "file":
            content = part.get_payload(decode=True)
            return content if isinstance(content, bytes) else None
    return None


async def upload_target(request: Request) -> Response:
    """The presigned upload URL: multipart with the policy fields and ``file``; no API credentials."""
    fake: FakeState = request.app.state.fake
    content = _form_file(request.headers.get("content-type", ""), await request.body())
    with fake.lock:
        pending = fake.uploads.get(request.path_params["token"])
        if pending is None or content is None:
            return Response(b"<Error>AccessDenied</Error>", status_code=403, media_type="application/xml")
        pending["data"] = content
    return Response(status_code=204)


async def file_download(request: Request) -> Response:
    fake: FakeState = request.app.state.fake
    with fake.lock:
        found = fake.files.get(request.path_params["token"])
    if found is None:
        return Response(b"<Error>NoSuchKey</Error>", status_code=404, media_type="application/xml")
    name, kind, content = found
    return Response(content, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})


SPEC = FakeSpec(
    name="ashby",
    errors=errors,
    hooks=HOOKS,
    endpoints=[Endpoint("POST", "/{method}", rpc)],
    # presigned upload and file URLs: outside the API and its credentials
    open_routes=[Route("/_uploads/{token}", upload_target, methods=["POST"]),
                 Route("/_files/{token}", file_download, methods=["GET"])],
)  # fmt: skip


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    api_key: str = "ashby_key",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (20, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)`` is a token bucket (Ashby publishes none; 429 + Retry-After as
    its OpenAPI documents); None turns it off. ``state`` serves an existing organisation."""
    fake = state if state is not None else FakeState.generate(seed, records, api_key)
    fake.rate_limit = TokenBucket(rate_limit[0] / rate_limit[1], rate_limit[0]) if rate_limit is not None else None
    fake.latency = latency
    return build_app(SPEC, fake)


conformance_setup = conformance(lambda base_url: {"base_url": base_url}, {"api_key": "ashby_key"})

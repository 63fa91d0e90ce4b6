"""A stateful fake of Recruitee's API (``/c/{company_id}``) for tests, demos and ``atsbridge fake-ats recruitee``.

Recruitee behaviour reproduced: a personal token as ``Authorization: Bearer <token>`` (default
``recruitee_token``), the company id in every path (default ``89564``; another answers 403 "Company id is
invalid"), objects wrapped in a root key with a ``references`` side list, ``limit``/``offset`` paging (all
records when neither is given), offers' ``scope`` (archived ones only on request) and pipelines only in the
offer detail, placements embedded in candidates, list vs detail candidate views, multipart attachments,
signed file URLs under ``/files`` (no token needed), no ``updated_after`` filter and no tombstones; signed
webhooks (``X-Recruitee-Signature``) of each simulated change (``webhooks.py``).

Built on the fake engine (``atsbridge.fakes.kit``): :data:`SPEC` declares the error shape (``{"error": [msg]}``)
and endpoints; ``app.state.fake`` is the :class:`FakeState` to mutate, with the engine's ``faults``, ``log``
and rate limit (a fixed window answering 429 with ``Retry-After``, no ``X-RateLimit-*`` headers).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec
from atsbridge.fakes.recruitee import handlers as h
from atsbridge.fakes.recruitee.simulate import HOOKS
from atsbridge.fakes.recruitee.state import FakeState

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]


def errors(error: VendorError) -> Any:
    """Recruitee's error body: ``{"error": ["<message>"]}``."""
    return {"error": [error.message]}


def _body(call: Call[FakeState]) -> Any:
    content_type = call.request.headers.get("content-type", "")
    if call.request.method == "GET" or not call.body:
        return None
    if content_type.startswith("multipart/form-data"):
        return h.parse_multipart(content_type, call.body)
    try:
        return json.loads(call.body)
    except ValueError:
        raise VendorError(400, "the body is not valid JSON") from None


def _serve(handler: h.Handler) -> Any:
    """The company in the path is checked after the token (another company: 403 "Company id is invalid")."""

    def serve(call: Call[FakeState]) -> Response:
        if call.request.path_params.get("company") != call.fake.company:
            raise VendorError(403, "Company id is invalid")
        return handler(call.request, call.fake, _body(call))

    return serve


async def _download(request: Request) -> Response:
    """Signed storage URLs: no token, no faults (``/files/{kind}/{id}``)."""
    fake: FakeState = request.app.state.fake
    with fake.lock:
        return h.download(request, fake, None)


C = "/c/{company}"
ENDPOINTS: list[tuple[str, str, h.Handler]] = [
    ("GET", f"{C}/admins", h.list_admins),
    ("GET", f"{C}/disqualify_reasons", h.list_reasons),
    ("GET", f"{C}/offers", h.list_offers),
    ("GET", f"{C}/offers/{{id}}", h.get_offer),
    ("GET", f"{C}/candidates", h.list_candidates),
    ("POST", f"{C}/candidates", h.create_candidate),
    ("GET", f"{C}/candidates/{{id}}", h.get_candidate),
    ("GET", f"{C}/candidates/{{id}}/notes", h.list_notes),
    ("POST", f"{C}/candidates/{{id}}/notes", h.create_note),
    ("GET", f"{C}/candidates/{{id}}/attachments", h.list_attachments),
    ("POST", f"{C}/placements", h.create_placement),
    ("PATCH", f"{C}/placements/{{id}}/change_stage", h.change_stage),
    ("PATCH", f"{C}/placements/{{id}}/disqualify", h.disqualify),
    ("POST", f"{C}/attachments", h.create_attachment),
    ("PATCH", f"{C}/bulk/candidates/tags", h.bulk_tags),
    ("DELETE", f"{C}/bulk/candidates/tags", h.bulk_tags),
]
SPEC = FakeSpec(
    name="recruitee",
    errors=errors,
    endpoints=[Endpoint(method, path, _serve(handler)) for method, path, handler in ENDPOINTS],
    hooks=HOOKS,
    open_routes=[Route("/files/{kind}/{id}", _download, methods=["GET"])],
)


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    token: str = "recruitee_token",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (100, 60.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)`` is a fixed window answering 429 with ``Retry-After`` (about
    100/min is reported for trial companies); None turns it off. ``state`` serves an existing company."""
    fake = state if state is not None else FakeState.generate(seed, records, token)
    fake.rate_limit = FixedWindow(*rate_limit, announce=False) if rate_limit is not None else None
    fake.latency = latency
    return build_app(SPEC, fake)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url``."""
    return {"base_url": base_url, "company_id": "89564", "requests_per_minute": 100_000}, {"token": "recruitee_token"}

"""A stateful fake of Greenhouse Harvest **v3** for tests and demos (``atsbridge fake-ats greenhouse``).

Speaks v3's protocol: OAuth2 client credentials at ``POST /token`` (Basic ``client_id:client_secret``; the
answer carries ``expires_at``), bearer tokens that expire (401), ``GET /v3/<resource>`` lists ordered by id
descending with ``Link: <...?cursor=...>; rel="next"`` paging where a cursor must be the only query
parameter (422 otherwise), ``per_page`` 1-500, ``updated_at``/``created_at`` filters written
``gte|<ISO>|lte|<ISO>``, and a fixed-window rate limit with ``X-RateLimit-*`` headers and 429 +
``Retry-After``. Records have the shapes of the real (v1 documentation) payloads; see ``generate.py``.

Built on the fake engine (``atsbridge.fakes.kit``): the spec below declares the auth scheme, error shape,
pager and endpoints; faults, the request log and the control API (``/__fake/...``) are the kit's.
Default credentials: ``gh_client`` / ``gh_secret``. Mutations live on ``app.state.fake``
(:class:`FakeState`). Unknown query parameters answer 422, so a connector sending v1 habits (``page``,
``updated_after``) fails loudly here. The write endpoints (``write_routes.py``) apply Greenhouse's rules
(``writes.py``); a token's ``sub`` is the acting user of the writes made with it.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.greenhouse.generate import populate
from atsbridge.fakes.greenhouse.simulate import HOOKS
from atsbridge.fakes.greenhouse.state import KINDS, FakeState, Row
from atsbridge.fakes.greenhouse.write_routes import ENDPOINTS as WRITE_ENDPOINTS
from atsbridge.fakes.kit.errors import VendorError, errors_list
from atsbridge.fakes.kit.paging import LinkHeader, Reply
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec

__all__ = ["SPEC", "FakeState", "create_app"]

#: Filters each list accepts besides ``per_page``/``updated_at``/``created_at``/``ids``.
EXTRA_FILTERS: dict[str, frozenset[str]] = {
    "applications": frozenset({"candidate_id", "job_id", "status"}),
    "candidates": frozenset({"email"}),
    "applied_candidate_tags": frozenset({"candidate_id", "candidate_tag_id"}),
    "interviews": frozenset({"application_id"}),
    "offers": frozenset({"application_id", "candidate_id"}),
    "notes": frozenset({"candidate_id", "application_id"}),
    "scorecards": frozenset({"candidate_id", "application_id"}),
    "attachments": frozenset({"candidate_id", "application_id"}),
    "job_posts": frozenset({"job_id", "active"}),
    "job_interview_stages": frozenset({"job_id"}),
    "rejection_reasons": frozenset({"include_defaults"}),
}
COMMON = frozenset({"per_page", "updated_at", "created_at", "ids"})
OPS: dict[str, Callable[[datetime, datetime], bool]] = {
    "gte": lambda a, b: a >= b, "gt": lambda a, b: a > b, "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b,
}  # fmt: skip


#: v3 pages: ids descending, the cursor carries the filters and must be the only parameter.
PAGER = LinkHeader(cursor_param="cursor", size_param="per_page", max_size=500, carries_query=True)


def _invalid(message: str) -> VendorError:
    """A request v3 answers with 422 ``{"errors": [...]}``."""
    return VendorError(422, message)


# ------------------------------------------------------------------------------------------ filters
def _window(text: str) -> list[tuple[Callable[[datetime, datetime], bool], datetime]]:
    """``gte|2024-01-01T00:00:00Z|lte|2024-02-01T00:00:00Z`` -> [(op, bound), ...]."""
    parts = text.split("|")
    if len(parts) % 2 or not parts[0]:
        raise _invalid(f"Invalid filter {text!r}: expected operator|timestamp pairs.")
    out = []
    for op, value in zip(parts[::2], parts[1::2], strict=True):
        if op not in OPS:
            raise _invalid(f"Invalid operator {op!r}.")
        try:
            out.append((OPS[op], parse_ts(value)))
        except ValueError:
            raise _invalid(f"Invalid timestamp {value!r}.") from None
    return out


def _matcher(kind: str, query: dict[str, str], fake: FakeState) -> Callable[[int, Row], bool]:
    unknown = set(query) - COMMON - EXTRA_FILTERS.get(kind, frozenset())
    if unknown:
        raise _invalid(f"Unknown query parameter(s): {', '.join(sorted(unknown))}.")
    if "updated_at" in query and "created_at" in query:
        raise _invalid("Do not filter by created_at and updated_at together.")
    updated = _window(query["updated_at"]) if "updated_at" in query else []
    created = _window(query["created_at"]) if "created_at" in query else []
    ids = _ids(query["ids"]) if "ids" in query else None
    if ids is not None and len(ids) > 50:
        raise _invalid("ids accepts at most 50 values.")
    special = {"active", "include_defaults", "email"} | ({"job_id"} if kind == "applications" else set())
    equal = {k: v for k, v in query.items() if k in EXTRA_FILTERS.get(kind, frozenset()) and k not in special}
    email = query.get("email", "").lower() if kind == "candidates" else ""
    app_job = query.get("job_id") if kind == "applications" else None
    defaults = query.get("include_defaults") == "true"
    active = query.get("active", "true") == "true"

    def match(record_id: int, row: Row) -> bool:
        if ids is not None and record_id not in ids:
            return False
        if not all(op(row.updated_at, bound) for op, bound in updated):
            return False
        if not all(op(row.created_at, bound) for op, bound in created):
            return False
        if kind == "rejection_reasons" and record_id in fake.default_reasons and not defaults:
            return False
        if kind == "job_posts" and bool(row.data.get("active", True)) != active:
            return False
        if email and email not in {str(e.get("value", "")).lower() for e in row.data.get("email_addresses") or []}:
            return False
        if app_job is not None and app_job not in {str(j.get("id")) for j in row.data.get("jobs") or []}:
            return False  # v1 applications name their job inside ``jobs[]``
        return all(str(row.data.get(k)) == v for k, v in equal.items())

    return match


def _ids(text: str) -> set[int]:
    parts = [p for p in text.split(",") if p]
    if not all(p.isdigit() for p in parts):
        raise _invalid("ids must be a comma-separated list of integers.")
    return {int(p) for p in parts}


# ------------------------------------------------------------------------------------------ handlers
def list_records(call: Call[FakeState]) -> Reply:
    """One page of a v3 list, ids descending."""
    fake, kind = call.fake, call.path["resource"]
    if kind not in KINDS:
        raise VendorError(404, "Not found")
    cursor = PAGER.cursor(call.request)
    match = _matcher(kind, cursor.query, fake)
    table = fake.tables[kind]
    ids, following = PAGER.slice_sorted(
        cursor, sorted(table, reverse=True), lambda i: (-i,), lambda i: match(i, table[i]), fake.page_cap
    )
    return PAGER.reply(call.request, [fake.render(kind, i, call.base_url) for i in ids], following)


async def download(request: Request) -> Response:
    """The signed storage URL: no bearer needed, 403 once expired (like S3's ``Request has expired``)."""
    fake: FakeState = request.app.state.fake
    found = fake.signed.resolve(request.path_params["token"])
    if not isinstance(found, int):
        return Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", 403)
    with fake.lock:
        if found not in fake.tables["attachments"]:
            return Response("<Error><Code>NoSuchKey</Code></Error>", 404)
        name = fake.get("attachments", found)["filename"]
        content = fake.attachment_content(found)
        kind = fake.attachment_type(found) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(content, media_type=kind)


SPEC = FakeSpec(
    name="greenhouse",
    errors=errors_list,
    pager=PAGER,
    endpoints=[*WRITE_ENDPOINTS, Endpoint("GET", "/v3/{resource}", list_records)],
    hooks=HOOKS,
    open_routes=[Route("/files/{token}", download, methods=["GET"])],
)


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    client_id: str = "gh_client",
    client_secret: str = "gh_secret",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (50, 10.0),
    state: FakeState | None = None,
) -> Starlette:
    """A fake tenant with about ``records`` applications (or the given ``state`` as is)."""
    fake = state
    if fake is None:
        fake = FakeState(client_id=client_id, client_secret=client_secret, rate_limit=rate_limit, latency=latency)
        populate(fake, seed, records)
    return build_app(SPEC, fake)


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url`` (default knobs)."""
    return (
        {"base_url": f"{base_url}/v3", "token_url": f"{base_url}/token"},
        {"client_id": "gh_client", "client_secret": "gh_secret"},
    )

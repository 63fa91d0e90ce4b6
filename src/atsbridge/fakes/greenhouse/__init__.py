"""A stateful fake of Greenhouse Harvest **v3** for tests and demos (``atsbridge fake-ats greenhouse``).

Speaks v3's protocol: OAuth2 client credentials at ``POST /token`` (Basic ``client_id:client_secret``; the
answer carries ``expires_at``), bearer tokens that expire (401), ``GET /v3/<resource>`` lists ordered by id
descending with ``Link: <...?cursor=...>; rel="next"`` paging where a cursor must be the only query
parameter (422 otherwise), ``per_page`` 1-500, ``updated_at``/``created_at`` filters written
``gte|<ISO>|lte|<ISO>``, and a fixed-window rate limit with ``X-RateLimit-*`` headers and 429 +
``Retry-After``. Records have the shapes of the real (v1 documentation) payloads; see ``generate.py``.

Default credentials: ``gh_client`` / ``gh_secret``. Knobs and mutations live on ``app.state.fake``
(:class:`FakeState`). Unknown query parameters answer 422, so a connector sending v1 habits (``page``,
``updated_after``) fails loudly here. The write endpoints (``write_routes.py``) apply Greenhouse's rules
(``writes.py``); a token's ``sub`` is the acting user of the writes made with it.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.core.timeutil import format_ts, parse_ts
from atsbridge.fakes.greenhouse.generate import populate
from atsbridge.fakes.greenhouse.protocol import Admitted, errors, guard, json_body
from atsbridge.fakes.greenhouse.state import KINDS, FakeState, Json, Row
from atsbridge.fakes.greenhouse.write_routes import ROUTES as WRITE_ROUTES

__all__ = ["FakeState", "create_app"]

CURSOR_RULE = "When passing a cursor, do not include other query params."
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


class Invalid(Exception):
    """A request v3 answers with 422 ``{"errors": [...]}``."""


# ------------------------------------------------------------------------------------------ cursors
def _encode_cursor(query: dict[str, str], per_page: int, after: int) -> str:
    raw = orjson.dumps({"q": query, "n": per_page, "a": after})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dict[str, str], int, int]:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return dict(data["q"]), int(data["n"]), int(data["a"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise Invalid("Invalid or expired cursor.") from None


# ------------------------------------------------------------------------------------------ filters
def _window(text: str) -> list[tuple[Callable[[datetime, datetime], bool], datetime]]:
    """``gte|2024-01-01T00:00:00Z|lte|2024-02-01T00:00:00Z`` -> [(op, bound), ...]."""
    parts = text.split("|")
    if len(parts) % 2 or not parts[0]:
        raise Invalid(f"Invalid filter {text!r}: expected operator|timestamp pairs.")
    out = []
    for op, value in zip(parts[::2], parts[1::2], strict=True):
        if op not in OPS:
            raise Invalid(f"Invalid operator {op!r}.")
        try:
            out.append((OPS[op], parse_ts(value)))
        except ValueError:
            raise Invalid(f"Invalid timestamp {value!r}.") from None
    return out


def _matcher(kind: str, query: dict[str, str], fake: FakeState) -> Callable[[int, Row], bool]:
    unknown = set(query) - COMMON - EXTRA_FILTERS.get(kind, frozenset())
    if unknown:
        raise Invalid(f"Unknown query parameter(s): {', '.join(sorted(unknown))}.")
    if "updated_at" in query and "created_at" in query:
        raise Invalid("Do not filter by created_at and updated_at together.")
    updated = _window(query["updated_at"]) if "updated_at" in query else []
    created = _window(query["created_at"]) if "created_at" in query else []
    ids = _ids(query["ids"]) if "ids" in query else None
    if ids is not None and len(ids) > 50:
        raise Invalid("ids accepts at most 50 values.")
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
        raise Invalid("ids must be a comma-separated list of integers.")
    return {int(p) for p in parts}


# ------------------------------------------------------------------------------------------ handlers
def _page(fake: FakeState, kind: str, request: Request) -> tuple[list[Json], str | None]:
    """One page of records and the next cursor (None on the last page)."""
    params = dict(request.query_params)
    if "cursor" in params:
        if len(request.query_params.multi_items()) > 1:
            raise Invalid(CURSOR_RULE)
        query, per_page, after = _decode_cursor(params["cursor"])
    else:
        query, after = params, 0
        try:
            per_page = int(query.pop("per_page", "100"))
        except ValueError:
            raise Invalid("per_page must be an integer.") from None
        if not 1 <= per_page <= 500:
            raise Invalid("per_page must be between 1 and 500.")
    match = _matcher(kind, query, fake)
    size = min(per_page, fake.page_cap or per_page)
    base = str(request.base_url).rstrip("/")
    with fake.lock:
        table = fake.tables[kind]
        ids = sorted((i for i, row in table.items() if (not after or i < after) and match(i, row)), reverse=True)
        records = [fake.render(kind, i, base) for i in ids[:size]]
    more = len(ids) > size
    return records, _encode_cursor(query, per_page, ids[size - 1]) if more else None


async def list_records(request: Request) -> Response:
    fake: FakeState = request.app.state.fake
    kind = request.path_params["resource"]
    if kind not in KINDS:
        return errors(404, "Not found")
    admitted = await guard(fake, request)
    if not isinstance(admitted, Admitted):
        return admitted
    try:
        records, cursor = _page(fake, kind, request)
    except Invalid as exc:
        fake.counters["422"] += 1
        return errors(422, str(exc), admitted.headers)
    if cursor is not None:
        admitted.headers["Link"] = f'<{str(request.base_url).rstrip("/")}/v3/{kind}?cursor={cursor}>; rel="next"'
    return json_body(records, admitted)


def _basic(request: Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        user, _, password = base64.b64decode(encoded).decode().partition(":")
    except (ValueError, binascii.Error):
        return "", ""
    return user, password


async def token(request: Request) -> Response:
    fake: FakeState = request.app.state.fake
    form = parse_qs((await request.body()).decode())  # urlencoded; no multipart dependency needed
    if form.get("grant_type") != ["client_credentials"]:
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    sub = (form.get("sub") or [""])[0]  # the acting user of this token's writes
    issued = fake.issue_token(*_basic(request), sub=sub or None)
    if issued is None:
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    access, expires = issued
    expires_at = format_ts(datetime.fromtimestamp(expires, UTC))
    return JSONResponse({"access_token": access, "token_type": "Bearer", "expires_at": expires_at})


async def download(request: Request) -> Response:
    """The signed storage URL: no bearer needed, 403 once expired (like S3's ``Request has expired``)."""
    fake: FakeState = request.app.state.fake
    attachment_id = fake.resolve_url(request.path_params["token"])
    if attachment_id is None:
        return Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", 403)
    with fake.lock:
        if attachment_id not in fake.tables["attachments"]:
            return Response("<Error><Code>NoSuchKey</Code></Error>", 404)
        name = fake.get("attachments", attachment_id)["filename"]
        content = fake.attachment_content(attachment_id)
        kind = fake.attachment_type(attachment_id) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(content, media_type=kind)


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
    app = Starlette(
        routes=[
            Route("/token", token, methods=["POST"]),
            Route("/v3/{resource}", list_records, methods=["GET"]),
            *WRITE_ROUTES,
            Route("/files/{token}", download, methods=["GET"]),
        ]
    )
    app.state.fake = fake
    return app


def conformance_setup(base_url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(config, credentials) of an integration pointed at this fake served at ``base_url`` (default knobs)."""
    return (
        {"base_url": f"{base_url}/v3", "token_url": f"{base_url}/token"},
        {"client_id": "gh_client", "client_secret": "gh_secret"},
    )

"""A stateful fake of Lever's v1 Data API for tests, demos and ``atsbridge fake-ats lever``.

Credentials: HTTP Basic with the API key (default ``lever_key``) as user name and a blank password. Served
under ``/v1``: users, stages, archive_reasons, tags, sources, postings (+ ``/{id}``, ``/{id}/apply``),
opportunities (+ ``/{id}``, ``?expand=applications``, the filters Lever documents), the per-opportunity
sub-resources (applications, interviews, feedback, notes, offers, resumes, files, their ``/{id}`` and the file
``/download``), and the deletion feeds ``/opportunities|applications|postings/deleted?deleted_at_start=``.
Writes (``writes.py``): ``POST /opportunities`` (email dedupe), ``PUT .../stage``, ``PUT .../archived``,
``POST .../notes``, ``POST .../files`` (multipart), ``POST .../addTags|removeTags|addLinks|removeLinks``, all with
``?perform_as=``.
Webhooks (``webhooks.py``): ``POST|GET /v1/webhooks``, ``DELETE /v1/webhooks/{id}`` (one per event, each with its own
``signatureToken``); simulated changes are pushed with Lever's body-field signature.

Lever behaviour reproduced: ``limit`` 1-100 with an opaque ``offset`` token and ``hasNext``/``next`` bodies (the
last page has no ``next``), "Invalid offset token" errors, a token-bucket rate limit answering 429 with
``Retry-After``, millisecond timestamps. Built on the fake engine (``atsbridge.fakes.kit``): :data:`SPEC` declares
the error shape, pager and endpoints; ``app.state.fake`` is the :class:`FakeState` to mutate, and its
``faults`` (the kit's fault API, aimed by ``path``/``method``) and ``log`` serve tests and ``/__fake/...``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import code_message
from atsbridge.fakes.kit.paging import BodyToken, Reply
from atsbridge.fakes.kit.ratelimit import TokenBucket
from atsbridge.fakes.kit.server import build_app
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec
from atsbridge.fakes.lever.simulate import HOOKS
from atsbridge.fakes.lever.state import SUBS, FakeState, LeverError
from atsbridge.fakes.lever.webhooks import ROUTES as WEBHOOK_ROUTES
from atsbridge.fakes.lever.writes import WRITE_ROUTES

Raw = dict[str, Any]
Key = tuple[int, str]
Handler = Callable[[Request, FakeState], Response | Reply]

__all__ = ["SPEC", "FakeState", "LeverError", "create_app"]
#: ``limit`` 1-100, an opaque ``offset`` token, ``{"data", "hasNext", "next"}`` (no ``next`` on the last page).
PAGER = BodyToken(
    token_param="offset", size_param="limit", max_size=100, invalid_message="Invalid offset token: {token}"
)


# ------------------------------------------------------------------------------------------------- paging


def paged(request: Request, fake: FakeState, keyed: Iterable[tuple[Key, Raw]]) -> Reply:
    """One page of ``keyed`` (sorted by key); the token names the last key, so inserts and deletes between
    pages neither repeat nor skip records."""
    cursor = PAGER.cursor(request)
    records, following = PAGER.slice(cursor, sorted(keyed, key=lambda kv: kv[0]), fake.page_cap)
    return PAGER.reply(request, records, following)


def by_created(records: Iterable[Raw], desc: bool = False, field: str = "createdAt") -> list[tuple[Key, Raw]]:
    sign = -1 if desc else 1
    return [((sign * int(r.get(field) or 0), str(r.get("id") or "")), r) for r in records]


def in_order(records: Iterable[Raw]) -> list[tuple[Key, Raw]]:
    return [((i, ""), r) for i, r in enumerate(records)]


# ------------------------------------------------------------------------------------------------ filters


def _ms(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.lstrip("-").isdigit():
        raise LeverError(400, "BadRequestError", f"{name} must be a timestamp in milliseconds")
    return int(value)


def _between(request: Request, record: Raw, prefix: str, field: str) -> bool:
    """``<prefix>_start`` / ``<prefix>_end`` (inclusive, ms); records without the timestamp never match."""
    start, end = _ms(request, f"{prefix}_start"), _ms(request, f"{prefix}_end")
    if start is None and end is None:
        return True
    value = record.get(field)
    if not isinstance(value, int):
        return False
    return (start is None or value >= start) and (end is None or value <= end)


def _any_of(request: Request, name: str, values: Iterable[object], lower: bool = False) -> bool:
    """Any of the values is wanted; ``lower`` compares case-insensitively (Lever's ``email`` filter)."""
    wanted = [w.lower() if lower else w for w in request.query_params.getlist(name)]
    return not wanted or any(v in wanted for v in values)


def _opportunity_matches(request: Request, fake: FakeState, opp: Raw) -> bool:
    q = request.query_params
    postings = [a["posting"] for a in fake.children("applications", opp["id"])]
    archived = q.get("archived")
    return (
        _between(request, opp, "updated_at", "updatedAt")
        and _between(request, opp, "created_at", "createdAt")
        and _between(request, opp["archived"] or {}, "archived_at", "archivedAt")
        and _any_of(request, "stage_id", [opp["stage"]])
        and _any_of(request, "posting_id", postings)
        and _any_of(request, "tag", opp["tags"])
        and _any_of(request, "email", [e.lower() for e in opp["emails"]], lower=True)
        and _any_of(request, "contact_id", [opp["contact"]])
        and _any_of(request, "origin", [opp["origin"]])
        and (archived is None or (archived == "true") == bool(opp["archived"]))
    )


def _posting_matches(request: Request, posting: Raw) -> bool:
    cats = posting["categories"]
    return (
        _between(request, posting, "updated_at", "updatedAt")
        and _any_of(request, "state", [posting["state"]])
        and all(_any_of(request, k, [cats.get(k)]) for k in ("team", "department", "location", "commitment"))
    )


# ---------------------------------------------------------------------------------------------- handlers


def _one(record: Raw | None, what: str) -> Response:
    if record is None:
        raise LeverError(404, "ResourceNotFound", f"{what} not found")
    return JSONResponse({"data": record})


def list_users(request: Request, fake: FakeState) -> Response | Reply:
    everyone = request.query_params.get("includeDeactivated") == "true"
    users = [u for u in fake.users if everyone or not u.get("deactivatedAt")]
    return paged(request, fake, by_created(users, desc=True))


def list_postings(request: Request, fake: FakeState) -> Response | Reply:
    postings = [p for p in fake.postings.values() if _posting_matches(request, p)]
    return paged(request, fake, by_created(postings))


def list_opportunities(request: Request, fake: FakeState) -> Response | Reply:
    expand = "applications" in request.query_params.getlist("expand")
    opps = [o for o in fake.opportunities.values() if _opportunity_matches(request, fake, o)]
    return paged(request, fake, by_created([fake.expanded(o) if expand else o for o in opps], desc=True))


def _deleted_feed(name: str) -> Handler:
    def handler(request: Request, fake: FakeState) -> Response | Reply:
        rows = [r for r in fake.deleted[name] if _between(request, r, "deleted_at", "deletedAt")]
        return paged(request, fake, by_created(rows, field="deletedAt"))

    return handler


def _static(read: Callable[[FakeState], list[Raw]]) -> Handler:
    return lambda request, fake: paged(request, fake, in_order(read(fake)))


def get_posting(request: Request, fake: FakeState) -> Response | Reply:
    return _one(fake.postings.get(request.path_params["id"]), "posting")


def get_apply_form(request: Request, fake: FakeState) -> Response | Reply:
    return _one(fake.apply_forms.get(request.path_params["id"]), "posting")


def get_opportunity(request: Request, fake: FakeState) -> Response | Reply:
    return _one(fake.opportunities.get(request.path_params["id"]), "opportunity")


def _sub(request: Request, fake: FakeState) -> list[Raw]:
    oid, sub = request.path_params["id"], request.path_params["sub"]
    if sub not in SUBS or oid not in fake.opportunities:
        raise LeverError(404, "ResourceNotFound", f"opportunity {oid} not found")
    return fake.children(sub, oid)


def list_sub(request: Request, fake: FakeState) -> Response | Reply:
    return paged(request, fake, by_created(_sub(request, fake)))


def get_sub(request: Request, fake: FakeState) -> Response | Reply:
    found = [r for r in _sub(request, fake) if r["id"] == request.path_params["sub_id"]]
    return _one(found[0] if found else None, request.path_params["sub"])


_TYPES = {"pdf": "application/pdf", "txt": "text/plain",
          "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}  # fmt: skip


def download(request: Request, fake: FakeState) -> Response | Reply:
    """``/opportunities/{id}/resumes|files/{id}/download``: the file's bytes, authenticated like the API."""
    if request.path_params["sub"] not in ("resumes", "files"):
        raise LeverError(404, "ResourceNotFound", "no such file")
    found = [r for r in _sub(request, fake) if r["id"] == request.path_params["sub_id"]]
    if not found:
        raise LeverError(404, "ResourceNotFound", "file not found")
    meta = found[0].get("file") or found[0]
    ext = str(meta.get("ext") or "").lstrip(".")
    content = fake.file_contents.get(found[0]["id"]) or f"%PDF-1.4\n% fake Lever file {found[0]['id']}\n".encode()
    headers = {"Content-Disposition": f'attachment; filename="{meta["name"]}"'}
    return Response(content, media_type=_TYPES.get(ext, "application/octet-stream"), headers=headers)


# ----------------------------------------------------------------------------------------------- the spec


def _call(handler: Handler) -> Callable[[Call[FakeState]], Response | Reply]:
    def serve(call: Call[FakeState]) -> Response | Reply:
        call.request.state.body = call.body  # the write handlers parse it (``writes.raw_body``)
        return handler(call.request, call.fake)

    return serve


READS: list[tuple[str, Handler]] = [
    ("/v1/users", list_users),
    ("/v1/stages", _static(lambda f: f.stages)),
    ("/v1/archive_reasons", _static(lambda f: f.archive_reasons)),
    ("/v1/tags", _static(lambda f: f.tags())),
    ("/v1/sources", _static(lambda f: f.sources())),
    ("/v1/postings", list_postings),
    ("/v1/postings/deleted", _deleted_feed("postings")),
    ("/v1/postings/{id}", get_posting),
    ("/v1/postings/{id}/apply", get_apply_form),
    ("/v1/opportunities", list_opportunities),
    ("/v1/opportunities/deleted", _deleted_feed("opportunities")),
    ("/v1/applications/deleted", _deleted_feed("applications")),
    ("/v1/opportunities/{id}", get_opportunity),
    ("/v1/opportunities/{id}/{sub}", list_sub),
    ("/v1/opportunities/{id}/{sub}/{sub_id}", get_sub),
    ("/v1/opportunities/{id}/{sub}/{sub_id}/download", download),
]
SPEC = FakeSpec(
    name="lever",
    errors=code_message,
    pager=PAGER,
    endpoints=[
        *(Endpoint(method, path, _call(handler)) for path, method, handler in WRITE_ROUTES),
        *(Endpoint(method, path, _call(handler)) for path, method, handler in WEBHOOK_ROUTES),
        *(Endpoint("GET", path, _call(handler)) for path, handler in READS),
    ],
    hooks=HOOKS,
)


def create_app(
    seed: int = 1,
    records: int = 200,
    *,
    api_key: str = "lever_key",
    latency: float = 0.0,
    rate_limit: tuple[int, float] | None = (10, 1.0),
    state: FakeState | None = None,
) -> Starlette:
    """The fake API. ``rate_limit=(n, seconds)`` is a token bucket of n per ``seconds`` with bursts of 2n
    (Lever: 10/s, burst 20); None turns it off. ``state`` serves an existing tenant instead of a new one."""
    fake = state if state is not None else FakeState.generate(seed, records, api_key)
    fake.rate_limit = TokenBucket(rate_limit[0] / rate_limit[1], 2 * rate_limit[0]) if rate_limit is not None else None
    fake.latency = latency
    return build_app(SPEC, fake)


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}/v1"}, {"api_key": "lever_key"})

"""A stateful fake of UKG Pro Recruiting's REST API v2 (``atsbridge fake-ats ukgpro``).

**No UKG traffic was ever recorded**: the templates in ``payloads/`` are the reference's field-by-field
description (§5.6) with [gap] fields named in each ``.source.txt``.

Served under ``/talent/recruiting/v2/ACME1001/api``: ``GET /opportunities`` and ``/applications``
(``updated_after`` ISO filter [conn]), ``/applications/{id}``, ``/applications/{id}/documents`` (``{id,
document_type, file_name}``) and ``.../documents/{docId}/download``, ``/candidates/{id}`` (with ``comments``),
``/offers``; ``POST /applications`` (candidate import: ``creation_method``, ``opportunity``, ``candidate``;
201 with ``links``), ``POST /applications/{id}/documents`` (multipart ``document_type`` + ``file``) and
``POST /candidates/{id}/comments``. Paging: bare arrays, ``per_page`` (1-100, default 25) and a ``Link`` header
with ``rel="first"``, ``rel="prev"`` (``before=<uuid>``) and ``rel="next"`` (``after=<uuid>``: the last id
served; records ordered by id, so inserts and deletes between pages neither repeat nor skip). Auth: OAuth2
client credentials at ``/signin/oauth2/t/ACME1001/access_token``. Errors ``{"code", "message"}`` [gap: UKG's
error body is undocumented]; beyond 20 requests a second 429 with ``Retry-After`` [gap: the limit is
unpublished]. A candidate change bumps its applications' ``updated_at`` [gap, the connector's assumption].
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, code_message
from atsbridge.fakes.kit.forms import form_parts
from atsbridge.fakes.kit.paging import Cursor, Pager, Reply
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply
from atsbridge.fakes.ukgpro.simulate import HOOKS
from atsbridge.fakes.ukgpro.state import API, CLIENT_ID, CLIENT_SECRET, DEMO_TOKEN, TENANT, TOKEN_PATH, FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

PROBE = (f"{API}/opportunities?per_page=1", {"Authorization": f"Bearer {DEMO_TOKEN}"})


class AfterId(Pager):
    """``after=<uuid>`` names the last record served (keyset on the id); filters and ``per_page`` travel in
    every page's URL."""

    size_param, default_size, max_size, invalid_status = "per_page", 25, 100, 400

    def cursor(self, request: Request) -> Cursor:
        after = request.query_params.get("after")
        if after is not None and not after.strip():
            raise self.invalid(after)
        query = self._filters(request, "after", "before")
        return Cursor(query, self._size(request), (after,) if after else None)

    def reply(self, request: Request, records: list[Any], following: Cursor | None) -> Reply:
        here = f"{str(request.base_url).rstrip('/')}{request.url.path}"
        base = {**self._filters(request, "after", "before"), "per_page": str(self._size(request))}
        links = [f'<{here}?{urlencode(base)}>; rel="first"']
        if request.query_params.get("after") and records:
            links.append(f'<{here}?{urlencode({**base, "before": records[0]["id"]})}>; rel="prev"')
        if following is not None and following.after:
            links.append(f'<{here}?{urlencode({**base, "after": following.after[0]})}>; rel="next"')
        return Reply(records, {"Link": ", ".join(links)})


PAGER = AfterId()


def _since(call: Call[FakeState]) -> str | None:
    raw = call.query.get("updated_after")
    if raw is None:
        return None
    try:
        datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise VendorError(400, f"updated_after '{raw}' is not a valid ISO 8601 date-time.") from None
    return raw


def _later(stamp: str, since: str) -> bool:
    def parse(v: str) -> datetime:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))

    return parse(stamp) >= parse(since)


def _listing(call: Call[FakeState], rows: list[Raw], *, filtered: bool = False) -> Any:
    cursor = PAGER.cursor(call.request)
    since = _since(call) if filtered else None
    chosen = [r for r in rows if since is None or _later(r["updated_at"], since)]
    ordered = sorted(((str(r["id"]),), r) for r in chosen)
    page, following = PAGER.slice(cursor, ordered, call.fake.page_cap)
    out = PAGER.reply(call.request, [_public(r) for r in page], following)
    return reply(out.body, 200, headers=out.headers)


def _public(row: Raw) -> Raw:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def one_application(call: Call[FakeState]) -> Raw:
    return call.fake.get(call.fake.applications, call.path["id"], "Application")


def documents(call: Call[FakeState]) -> Any:
    call.fake.get(call.fake.applications, call.path["id"], "Application")
    rows = [{k: v for k, v in d.items() if k != "created_at"} for d in call.fake.documents[call.path["id"]]]
    return _listing(call, rows)


def download(call: Call[FakeState]) -> Response:
    docs = call.fake.documents.get(call.path["id"]) or []
    doc = next((d for d in docs if d["id"] == call.path["doc"]), None)
    if doc is None:
        raise VendorError(404, f"Document {call.path['doc']} was not found.")
    kind = "application/pdf" if doc["file_name"].endswith(".pdf") else "application/octet-stream"
    headers = {"Content-Disposition": f'attachment; filename="{doc["file_name"]}"'}
    return Response(doc["_content"], media_type=kind, headers=headers)


def import_application(call: Call[FakeState]) -> Any:
    body = call.json_object()
    if body.get("creation_method") != "CandidateImport":
        raise VendorError(400, "creation_method must be CandidateImport for integrations.")
    return reply(call.fake.import_application(body), 201)


def add_document(call: Call[FakeState]) -> Any:
    parts = form_parts(call.request.headers.get("content-type", ""), call.body)
    file, kind = parts.get("file"), parts.get("document_type")
    if file is None or file.filename is None:
        raise VendorError(400, "A file is required.")
    doc = call.fake.add_document(call.path["id"], kind.text if kind else "", file.filename, file.content)
    return reply(_public(doc), 201)


def add_comment(call: Call[FakeState]) -> Any:
    return reply(call.fake.add_comment(call.path["id"], call.json_object()), 201)


SPEC = FakeSpec(
    name="ukgpro",
    errors=code_message,
    pager=PAGER,
    hooks=HOOKS,
    endpoints=[
        Endpoint(
            "GET",
            f"{API}/opportunities",
            lambda call: _listing(call, list(call.fake.opportunities.values()), filtered=True),
        ),
        Endpoint(
            "GET",
            f"{API}/applications",
            lambda call: _listing(call, list(call.fake.applications.values()), filtered=True),
        ),
        Endpoint("POST", f"{API}/applications", import_application),
        Endpoint("GET", f"{API}/applications/{{id}}", one_application),
        Endpoint("GET", f"{API}/applications/{{id}}/documents", documents),
        Endpoint("POST", f"{API}/applications/{{id}}/documents", add_document),
        Endpoint("GET", f"{API}/applications/{{id}}/documents/{{doc}}/download", download),
        Endpoint(
            "GET",
            f"{API}/candidates/{{id}}",
            lambda call: _public(call.fake.get(call.fake.candidates, call.path["id"], "Candidate")),
        ),
        Endpoint("POST", f"{API}/candidates/{{id}}/comments", add_comment),
        Endpoint("GET", f"{API}/offers", lambda call: _listing(call, list(call.fake.offers.values()))),
    ],  # fmt: skip
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake tenant with ``records`` applications (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "token_url": f"{base_url}{TOKEN_PATH}", "tenant_alias": TENANT,
                      "recruiting_host": "fake.ultipro.example", "identity_server": "fake.signin.example",
                      "application_source_id": "8f2b8b1e-0c55-4b8e-9a57-2b4c1b7f0001"},
    {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
)  # fmt: skip

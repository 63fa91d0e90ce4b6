"""A stateful fake of Fountain's API v2 for tests and demos (``atsbridge fake-ats fountain``).

Recorded payloads (``payloads/``, each with its ``.source.txt``): the funnels list, the bulk transitions answer
and the 401 body; everything else is built field by field from the documented shapes (see ``state.py``).

Served under ``/v2``, with the private key in ``X-ACCESS-TOKEN`` (a missing or wrong key: 401
``{"message": "Authentication is required"}``, as recorded; the ``api_token`` body parameter is not modelled):

* ``GET /funnels``: page numbers (``page``, ``per_page`` 1-100, default 20) and the recorded
  ``pagination{first, previous, current, next, last}`` block, ``previous``/``next`` blank at the ends.
* ``GET /applicants`` (filters ``funnel_id``, ``stage_id``): cursor paging, ``per_page`` 1-100 (default 20),
  ``pagination{current_cursor, next_cursor}`` with ``next_cursor`` null on the last page [gap]; newest first;
  keyset cursors, so changes between pages neither repeat nor skip applicants. ``GET /applicants/{id}``.
* Writes: ``POST /applicants`` (201, the applicant), ``PUT /applicants/{id}/advance`` (204; without
  ``stage_id``, the next stage), ``DELETE /applicants/{id}`` (204), ``GET``/``POST /applicants/{id}/notes``
  (``{"notes": [...]}`` / 201 note), ``POST /applicants/transitions {"ids": [...]}`` (at most 1000).
* No update time anywhere and no deletion feed, as in Fountain. Refusals are ``{"message": "..."}`` [gap: only
  the 401 body was recorded]; beyond the rate window (default 10/s; Fountain publishes none) 429 with
  ``Retry-After``.
* Webhooks (``webhooks.py``): receivers are added by hand (``POST /__fake/webhooks``, as in Fountain's Company
  Settings); each stage transition ``simulate`` makes is pushed as ``{"applicant": {...}}``, unsigned.

Built on the fake engine: faults, the request log and the control API (``/__fake/...``) are the kit's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.fountain.simulate import HOOKS
from atsbridge.fakes.fountain.state import FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import BodyToken, PageNumber
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply

__all__ = ["SPEC", "FakeState", "conformance_setup", "create_app"]

V2 = "/v2"
CURSOR = BodyToken(token_param="cursor", size_param="per_page", default_size=20, max_size=100, data_key="applicants",
                   more_key=None, next_key="next_cursor", invalid_message="Invalid cursor")  # fmt: skip
PAGES = PageNumber(page_param="page", size_param="per_page", default_size=20, max_size=100)


def errors(error: VendorError) -> Any:
    return {"message": "Authentication is required" if error.status == 401 else error.message}


def funnels(call: Call[FakeState]) -> Raw:
    cursor = PAGES.cursor(call.request)
    ordered = [((raw["created_at"], fid), raw) for fid, raw in call.fake.funnels.items()]
    page, _ = PAGES.slice(cursor, sorted(ordered, key=lambda kv: kv[0]), call.fake.page_cap)
    current, last = cursor.index // cursor.size + 1, max(1, -(-len(ordered) // cursor.size))
    pagination = {"first": 1, "previous": current - 1 if current > 1 else "", "current": current,
                  "next": current + 1 if current < last else "", "last": last}  # fmt: skip
    return {"funnels": page, "pagination": pagination}


def applicants(call: Call[FakeState]) -> Raw:
    cursor = CURSOR.cursor(call.request)
    q = cursor.query
    rows = [
        a
        for a in call.fake.applicants.values()
        if q.get("funnel_id") in (None, a["funnel"]["id"]) and q.get("stage_id") in (None, a["stage"]["id"])
    ]
    ordered = sorted((((-datetime.fromisoformat(a["created_at"]).timestamp(), a["id"]), a) for a in rows),
                     key=lambda kv: kv[0])  # fmt: skip
    page, following = CURSOR.slice(cursor, ordered, call.fake.page_cap)
    body = CURSOR.reply(call.request, page, following).body
    current = call.query.get("cursor")
    return {"applicants": body["applicants"], "pagination": {"current_cursor": current,
                                                             "next_cursor": body.get("next_cursor")}}  # fmt: skip


def one(call: Call[FakeState]) -> Raw:
    return call.fake.found(call.path["id"])


def create(call: Call[FakeState]) -> Any:
    return reply(call.fake.create(call.json_object()), 201)


def advance(call: Call[FakeState]) -> Response:
    body = call.json(empty={}) or {}
    target = call.query.get("stage_id") or (body.get("stage_id") if isinstance(body, dict) else None)
    call.fake.move(call.path["id"], str(target) if target else None)
    return Response(status_code=204)


def delete(call: Call[FakeState]) -> Response:
    call.fake.delete(call.path["id"])
    return Response(status_code=204)


def list_notes(call: Call[FakeState]) -> Raw:
    call.fake.found(call.path["id"])
    return {"notes": call.fake.notes[call.path["id"]]}


def add_note(call: Call[FakeState]) -> Any:
    return reply(call.fake.add_note(call.path["id"], call.json_object().get("content")), 201)


def transitions(call: Call[FakeState]) -> Any:
    ids = call.json_object().get("ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 1000:
        raise VendorError(422, "ids must be a list of 1 to 1000 applicant ids")
    return [{"applicant_id": i, "transitions": call.fake.transitions[i]} for i in map(str, ids)
            if i in call.fake.transitions]  # fmt: skip


SPEC = FakeSpec(
    name="fountain",
    errors=errors,
    hooks=HOOKS,
    pager=CURSOR,
    endpoints=[
        Endpoint("GET", f"{V2}/funnels", funnels),
        Endpoint("GET", f"{V2}/applicants", applicants),
        Endpoint("POST", f"{V2}/applicants", create),
        Endpoint("POST", f"{V2}/applicants/transitions", transitions),
        Endpoint("GET", f"{V2}/applicants/{{id}}", one),
        Endpoint("DELETE", f"{V2}/applicants/{{id}}", delete),
        Endpoint("PUT", f"{V2}/applicants/{{id}}/advance", advance),
        Endpoint("GET", f"{V2}/applicants/{{id}}/notes", list_notes),
        Endpoint("POST", f"{V2}/applicants/{{id}}/notes", add_note),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake tenant with ``records`` applicants (or the
#: given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}{V2}"}, {"api_key": "fountain_key"})

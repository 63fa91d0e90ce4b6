"""The fake's v3 write endpoints. Bodies are v1's documented parameters on the v3 routes (the connector's
assumption too, see ``connectors/greenhouse/vendor.py``); the acting user is the token's ``sub``.

=========================================  ==================================================
``POST /v3/candidates``                    a candidate (v1 ``POST /candidates`` fields)
``POST /v3/applications``                  ``{candidate_id, job_id, initial_stage_id, source_id,
                                           referrer, attachments[], answers[]}``
``POST /v3/applications/{id}/move``        ``{to_stage_id?, to_job_id?}`` (neither: advance)
``POST /v3/applications/{id}/reject``      ``{rejection_reason_id, notes, rejection_email}``
``POST /v3/notes``                         ``{candidate_id, application_id?, body, visibility}``
``POST /v3/attachments``                   ``{candidate_id, application_id?, filename, type,
                                           content, content_type}``
``POST /v3/candidate_tags``                ``{name}``
``POST /v3/applied_candidate_tags``        ``{candidate_id, candidate_tag_id}``
``DELETE /v3/applied_candidate_tags/{id}``
=========================================  ==================================================
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.greenhouse import writes
from atsbridge.fakes.greenhouse.protocol import Admitted, guard, json_body
from atsbridge.fakes.greenhouse.state import FakeState, Json

#: (fake, path id or None, JSON body, acting user) -> (kind of the answered record, its id, HTTP status)
Operation = Callable[[FakeState, int | None, Json, Json | None], tuple[str, int, int] | None]


def _candidate(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    return "candidates", writes.create_candidate(fake, body)["id"], 201


def _application(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    return "applications", writes.create_application(fake, body)["id"], 201


def _move(fake: FakeState, rid: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    assert rid is not None
    return "applications", writes.move(fake, rid, body)["id"], 200


def _reject(fake: FakeState, rid: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    assert rid is not None
    return "applications", writes.reject(fake, rid, body, actor)["id"], 200


def _note(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    return "notes", writes.add_note(fake, body, actor)["id"], 201


def _attachment(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    return "attachments", writes.add_attachment(fake, body)["id"], 201


def _tag(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    return "candidate_tags", writes.create_tag(fake, body)["id"], 201


def _apply(fake: FakeState, _: int | None, body: Json, actor: Json | None) -> tuple[str, int, int]:
    row, created = writes.apply_tag(fake, body)
    return "applied_candidate_tags", row["id"], 201 if created else 200


def _unapply(fake: FakeState, rid: int | None, body: Json, actor: Json | None) -> None:
    assert rid is not None
    writes.unapply_tag(fake, rid)


async def _body(request: Request) -> Json | None:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _path_id(request: Request) -> int | None:
    text = request.path_params.get("id")
    return int(text) if text is not None and str(text).isdigit() else None


def handler(operation: Operation) -> Callable[[Request], Any]:
    async def handle(request: Request) -> Response:
        fake: FakeState = request.app.state.fake
        body = await _body(request)
        admitted = await guard(fake, request, write=(request.method, body))
        if not isinstance(admitted, Admitted):
            return admitted
        if body is None:
            return JSONResponse({"message": "Request body must be a JSON object"}, status_code=400)
        if "id" in request.path_params and _path_id(request) is None:
            return JSONResponse({"message": "Resource not found"}, status_code=404)
        try:
            with fake.lock:
                done = operation(fake, _path_id(request), body, fake.actor(admitted.token))
                answer = fake.render(done[0], done[1], str(request.base_url).rstrip("/")) if done else None
        except writes.Refused as exc:
            fake.counters[str(exc.status)] += 1
            return JSONResponse(exc.body(), status_code=exc.status, headers=admitted.headers)
        if admitted.stall:  # applied; the answer comes after the caller gave up
            await asyncio.sleep(admitted.stall)
        if answer is None:
            return Response(status_code=204, headers=admitted.headers)
        assert done is not None
        return json_body(answer, admitted, done[2])

    return handle


ROUTES = [
    Route("/v3/candidates", handler(_candidate), methods=["POST"]),
    Route("/v3/applications", handler(_application), methods=["POST"]),
    Route("/v3/applications/{id}/move", handler(_move), methods=["POST"]),
    Route("/v3/applications/{id}/reject", handler(_reject), methods=["POST"]),
    Route("/v3/notes", handler(_note), methods=["POST"]),
    Route("/v3/attachments", handler(_attachment), methods=["POST"]),
    Route("/v3/candidate_tags", handler(_tag), methods=["POST"]),
    Route("/v3/applied_candidate_tags", handler(_apply), methods=["POST"]),
    Route("/v3/applied_candidate_tags/{id}", handler(_unapply), methods=["DELETE"]),
]

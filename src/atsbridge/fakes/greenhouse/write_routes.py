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

from collections.abc import Callable

from atsbridge.fakes.greenhouse import writes
from atsbridge.fakes.greenhouse.state import FakeState, Json
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call, Endpoint, Handler, StatusReply, reply

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


def _path_id(call: Call[FakeState]) -> int | None:
    text = call.path.get("id")
    return int(text) if text is not None and str(text).isdigit() else None


def handler(operation: Operation) -> Handler:
    def handle(call: Call[FakeState]) -> StatusReply | None:
        fake = call.fake
        try:
            body = call.json(empty={})
        except VendorError:
            body = None
        if not isinstance(body, dict):
            return reply({"message": "Request body must be a JSON object"}, 400)
        if "id" in call.path and _path_id(call) is None:
            return reply({"message": "Resource not found"}, 404)
        try:
            done = operation(fake, _path_id(call), body, fake.actor(call.principal))
        except writes.Refused as exc:
            return reply(exc.body(), exc.status)
        if done is None:
            return None
        return reply(fake.render(done[0], done[1], call.base_url), done[2])

    return handle


ENDPOINTS = [
    Endpoint("POST", "/v3/candidates", handler(_candidate)),
    Endpoint("POST", "/v3/applications", handler(_application)),
    Endpoint("POST", "/v3/applications/{id}/move", handler(_move)),
    Endpoint("POST", "/v3/applications/{id}/reject", handler(_reject)),
    Endpoint("POST", "/v3/notes", handler(_note)),
    Endpoint("POST", "/v3/attachments", handler(_attachment)),
    Endpoint("POST", "/v3/candidate_tags", handler(_tag)),
    Endpoint("POST", "/v3/applied_candidate_tags", handler(_apply)),
    Endpoint("DELETE", "/v3/applied_candidate_tags/{id}", handler(_unapply)),
]

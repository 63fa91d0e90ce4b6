"""Eploy writes: a note on an application is an **action** (Eploy's diary entry) inserted with
``POST /actions`` (scope ``actions.insert`` [doc]); the request's block names follow the search blocks
[gap: the insert body is only on the gated developer portal]. The action type is customer-configured:
``config["note_action_type"]`` names it (default ``Note``).

Create-once: the insert is not idempotent; a retry after a lost answer searches the application's actions
for one of that type with the same text, and adopts it.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.eploy.api import equals, ref_id
from atsbridge.connectors.eploy.mappers import description
from atsbridge.connectors.eploy.streams import ACTION_BLOCKS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
NOTE_TYPE = "Note"


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Eploy application to write to")
    return str(rid)


def _id(value: str) -> int | str:
    """Eploy ids are numbers: sent as numbers when they are."""
    return int(value) if value.isdigit() else value


async def _actions(source: kit.KitSource, *filters: Raw) -> list[Raw]:
    body = {"Filters": list(filters), "ResponseBlocks": list(ACTION_BLOCKS)}
    return [row async for page in source.listing("actions", "/actions/search", method="POST", body=body)
            for row in page]  # fmt: skip


async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id, text = _application_id(call), call.body.content
    kind = str(source.config.get("note_action_type") or NOTE_TYPE)

    def mine(row: Raw) -> bool:
        return row.get("Notes") == text and (description(row.get("ActionType")) or "").lower() == kind.lower()

    async def find(_: Any) -> Raw | None:
        return next((r for r in reversed(await _actions(source, equals("Application.Id", _id(app_id)))) if mine(r)),
                    None)  # fmt: skip

    async def create() -> Raw:
        candidate = str((call.candidate or {}).get("remote_id") or "")
        payload: Raw = {"ActionType": {"Description": kind}, "Application": {"Id": _id(app_id)}, "Notes": text}
        if candidate:
            payload["Candidate"] = {"Id": _id(candidate)}
        response = await kit.create_request(source.client, "POST", "/actions", json=payload)
        answer = response.json() if response.content else {}
        new_id = ref_id({"Id": answer.get("ActionId", answer.get("Id"))}) if isinstance(answer, dict) else None
        if new_id is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Eploy accepted the note but named no action id",
                              retryable=True)  # fmt: skip
        return await fetch(new_id)

    async def fetch(action_id: str) -> Raw:
        found = await _actions(source, equals("Action.ActionId", _id(action_id)))
        if not found:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Eploy does not find action {action_id} yet",
                              retryable=True)  # fmt: skip
        return found[0]

    note = await call.once("note", create, find=find, fetch=fetch, id_of=lambda raw: raw["ActionId"])
    return WriteResult([("actions", note)], created={"note_remote_id": str(note["ActionId"])})


ACTIONS: dict[str, Action] = kit.writes(
    kit.Write("add_application_note", bodies.Note, add_note),
)

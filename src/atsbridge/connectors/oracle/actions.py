"""Oracle's writes: the ADF action ``POST recruitingJobApplications/{id}/action/move``
(``Content-Type: application/vnd.oracle.adf.action+json``, ``{phaseId, stateId, reasonId, comments}`` [doc]).

Moving (and rejecting, a move into a rejecting state) is idempotent (the same target twice leaves the
application where it is), so it needs no create-once.
The unified stage id names both halves (``"<PhaseId>:<StateId>"``, see ``mappers``). Contract
``remote_fields`` for Oracle exist only on attachments and result links (Appendix A), not declared here.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

ACTION_TYPE = "application/vnd.oracle.adf.action+json"


async def _move(source: kit.KitSource, app_rid: str, target: object, comments: str | None = None) -> WriteResult:
    phase, _, state = str(target or "").partition(":")
    if not phase or not state:
        raise RemoteError("REMOTE.INPUT_INVALID", "this stage is not an Oracle phase and state")
    body: dict[str, str] = {"phaseId": phase, "stateId": state}
    if comments:
        body["comments"] = comments
    await source.client.request("POST", f"/recruitingJobApplications/{app_rid}/action/move", json=body,
                                headers={"Content-Type": ACTION_TYPE})  # fmt: skip
    raw = await source.get_json(f"/recruitingJobApplications/{app_rid}", {"onlyData": "true"})
    return WriteResult([("applications", dict(raw))])


async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    return await _move(source, str((call.application or {}).get("remote_id")), (call.stage or {}).get("remote_id"))


async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """A rejection reason is a rejecting state (``mappers.REJECTING``): move there, the note as ``comments``.
    [gap] Oracle's ``reasonId`` (a reason *within* the state) is not modelled: customers rarely require it."""
    app_rid = str((call.application or {}).get("remote_id"))
    return await _move(source, app_rid, (call.rejection_reason or {}).get("remote_id"), call.body.note)


ACTIONS = kit.writes(
    kit.Write("move_application_to_stage", bodies.MoveStage, move_stage),
    kit.Write("reject_application", bodies.Reject, reject),
)

"""The stage a create asked for: a new application starts where the vendor puts it, then moves once.

A create may name a stage (``stage_id`` on an application, ``application.stage_id`` on a candidate). Vendors
whose create takes no stage move the new application afterwards; the move is recorded on the call's
progress so a retried call (create-once) does not move it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from atsbridge.connectors.actions import WriteCall
from atsbridge.model import write_bodies as bodies

Created = bodies.CreateApplication | bodies.CreateCandidate


def requested_stage(body: Created) -> str | None:
    """The unified stage id the create named, wherever its body type keeps it; None when it named none."""
    return body.stage_id if isinstance(body, bodies.CreateApplication) else body.application.stage_id


async def move_to_requested_stage(call: WriteCall[Created], move: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    """Run ``move(stage)`` with the resolved stage row when the create named a stage, once per call."""
    if requested_stage(call.body) and call.stage and not call.progress.get("stage_moved"):
        await move(call.stage)
        call.step("stage_moved", True)

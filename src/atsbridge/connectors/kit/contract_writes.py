"""``contract_writes``: the write table for the contract's own actions, named by role.

Every vendor's table spelt the same action names and body types again, and registered one attachment (and
one result-link) function twice, for the application and the candidate. Here the contract's action name and
body type are fixed once; a vendor says only which functions it has.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.kit.writes import Write, writes
from atsbridge.model import write_bodies as bodies

Owner = Literal["application", "candidate"]
BOTH: tuple[Owner, ...] = ("application", "candidate")

#: ``create_application`` takes either create body (``create_candidate`` is answered by the same function).
CREATE_BODIES = (bodies.CreateApplication, bodies.CreateCandidate)


def contract_writes(
    create: Callable[[Any, WriteCall[Any]], Awaitable[WriteResult]] | None = None,
    move: Callable[[Any, WriteCall[bodies.MoveStage]], Awaitable[WriteResult]] | None = None,
    reject: Callable[[Any, WriteCall[bodies.Reject]], Awaitable[WriteResult]] | None = None,
    note: Callable[[Any, WriteCall[bodies.Note]], Awaitable[WriteResult]] | None = None,
    attachment: Callable[[Any, WriteCall[bodies.AttachmentBody]], Awaitable[WriteResult]] | None = None,
    result_link: Callable[[Any, WriteCall[bodies.ResultLink]], Awaitable[WriteResult]] | None = None,
    add_tag: Callable[[Any, WriteCall[bodies.TagBody]], Awaitable[WriteResult]] | None = None,
    remove_tag: Callable[[Any, WriteCall[bodies.TagBody]], Awaitable[WriteResult]] | None = None,
    import_tracked: Callable[[Any, WriteCall[bodies.ImportTracked]], Awaitable[WriteResult]] | None = None,
    *,
    attach_to: Sequence[Owner] = BOTH,
) -> dict[str, Action]:
    """The connector's ``actions`` from the functions it has (None: the vendor cannot), in the contract's
    order, so a full table is one line and a partial one names the rest by keyword. ``attachment``
    serves the application and candidate attachment actions (``attach_to`` narrows that); ``result_link``
    serves both result-link actions."""
    rows: list[Write[Any]] = []
    if create:
        rows.append(Write("create_application", CREATE_BODIES, create))
    if move:
        rows.append(Write("move_application_to_stage", bodies.MoveStage, move))
    if reject:
        rows.append(Write("reject_application", bodies.Reject, reject))
    if note:
        rows.append(Write("add_application_note", bodies.Note, note))
    if attachment:
        rows += [Write(f"add_{owner}_attachment", bodies.AttachmentBody, attachment) for owner in attach_to]
    if result_link:
        rows += [Write(f"add_{owner}_result_link", bodies.ResultLink, result_link) for owner in BOTH]
    if add_tag:
        rows.append(Write("add_candidate_tag", bodies.TagBody, add_tag))
    if remove_tag:
        rows.append(Write("remove_candidate_tag", bodies.TagBody, remove_tag))
    if import_tracked:
        rows.append(Write("import_tracked_application", bodies.ImportTracked, import_tracked))
    return writes(*rows)

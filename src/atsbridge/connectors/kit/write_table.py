"""``WriteTable``: the write table for the contract's own actions, filled where each action is defined.

Every vendor's table spelt the contract's action names and body types again, and registered one attachment
(and one result-link) function twice, for the application and the candidate. Here the action name and body
type are fixed once; a vendor marks each function with its role (``@WRITES.note`` above ``add_note``) and
ends with ``ACTIONS = WRITES.actions()``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.catalog import WRITE_ACTIONS
from atsbridge.connectors.kit.writes import Write, writes
from atsbridge.model import write_bodies as bodies

#: ``create_application`` takes either create body (``create_candidate`` is answered by the same function).
CREATE_BODIES = (bodies.CreateApplication, bodies.CreateCandidate)

Create = TypeVar("Create", bound=Callable[[Any, WriteCall[Any]], Awaitable[WriteResult]])
Move = TypeVar("Move", bound=Callable[[Any, WriteCall[bodies.MoveStage]], Awaitable[WriteResult]])
Reject = TypeVar("Reject", bound=Callable[[Any, WriteCall[bodies.Reject]], Awaitable[WriteResult]])
Note = TypeVar("Note", bound=Callable[[Any, WriteCall[bodies.Note]], Awaitable[WriteResult]])
Attach = TypeVar("Attach", bound=Callable[[Any, WriteCall[bodies.AttachmentBody]], Awaitable[WriteResult]])
Link = TypeVar("Link", bound=Callable[[Any, WriteCall[bodies.ResultLink]], Awaitable[WriteResult]])
Tag = TypeVar("Tag", bound=Callable[[Any, WriteCall[bodies.TagBody]], Awaitable[WriteResult]])
Tracked = TypeVar("Tracked", bound=Callable[[Any, WriteCall[bodies.ImportTracked]], Awaitable[WriteResult]])


class WriteTable:
    """A connector's write table. Each method registers its function for the contract action(s) of that role
    and returns it unchanged, so it serves as a decorator or as a call (for a lambda or an imported function)."""

    def __init__(self) -> None:
        self._rows: list[Write[Any]] = []

    def _add(self, action: str, body: type[BaseModel] | tuple[type[BaseModel], ...], run: Any) -> None:
        self._rows.append(Write(action, body, run))

    def create(self, run: Create) -> Create:
        self._add("create_application", CREATE_BODIES, run)
        return run

    def move(self, run: Move) -> Move:
        self._add("move_application_to_stage", bodies.MoveStage, run)
        return run

    def reject(self, run: Reject) -> Reject:
        self._add("reject_application", bodies.Reject, run)
        return run

    def note(self, run: Note) -> Note:
        self._add("add_application_note", bodies.Note, run)
        return run

    def attachment(self, run: Attach) -> Attach:
        """Both attachment actions (application and candidate)."""
        return self.candidate_attachment(self.application_attachment(run))

    def application_attachment(self, run: Attach) -> Attach:
        self._add("add_application_attachment", bodies.AttachmentBody, run)
        return run

    def candidate_attachment(self, run: Attach) -> Attach:
        self._add("add_candidate_attachment", bodies.AttachmentBody, run)
        return run

    def result_link(self, run: Link) -> Link:
        """Both result-link actions (application and candidate)."""
        self._add("add_application_result_link", bodies.ResultLink, run)
        self._add("add_candidate_result_link", bodies.ResultLink, run)
        return run

    def add_tag(self, run: Tag) -> Tag:
        self._add("add_candidate_tag", bodies.TagBody, run)
        return run

    def remove_tag(self, run: Tag) -> Tag:
        self._add("remove_candidate_tag", bodies.TagBody, run)
        return run

    def import_tracked(self, run: Tracked) -> Tracked:
        self._add("import_tracked_application", bodies.ImportTracked, run)
        return run

    def actions(self) -> dict[str, Action]:
        """The connector's ``actions``, in the contract's order (an action registered twice is an error)."""
        order = list(WRITE_ACTIONS)
        return writes(*sorted(self._rows, key=lambda row: order.index(row.action)))

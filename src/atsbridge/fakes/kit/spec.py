"""A vendor fake declared as data: :class:`FakeSpec` names its error shape, pager, endpoints and control
hooks; :func:`atsbridge.fakes.kit.server.build_app` serves it. Handlers are plain functions of a
:class:`Call` run under the state's lock; they return JSON, a :class:`~atsbridge.fakes.kit.paging.Reply` or a
Starlette ``Response``, and refuse with :class:`~atsbridge.fakes.kit.errors.VendorError`."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import orjson
from starlette.requests import Request
from starlette.routing import BaseRoute

from atsbridge.fakes.kit.auth import Principal
from atsbridge.fakes.kit.errors import ErrorShape, VendorError
from atsbridge.fakes.kit.paging import Pager, Reply
from atsbridge.fakes.kit.state import FakeBase

S = TypeVar("S", bound=FakeBase)
Json = dict[str, Any]
ChangeKind = Literal["created", "updated", "deleted"]
MAX_BODY = 25 * 1024 * 1024


@dataclass
class Call(Generic[S]):
    """One admitted request: the state, who is calling, the raw body and the answer's extra headers."""

    request: Request
    fake: S
    principal: Principal
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> dict[str, Any]:
        return dict(self.request.path_params)

    @property
    def query(self) -> dict[str, str]:
        return dict(self.request.query_params)

    @property
    def base_url(self) -> str:
        return str(self.request.base_url).rstrip("/")

    def json(self, *, empty: Any = None) -> Any:
        """The body as JSON (``empty`` when there is none); 400 in the vendor's shape when it is not JSON."""
        if not self.body:
            return empty
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise VendorError(400, "Request body is not valid JSON") from None

    def json_object(self) -> Json:
        body = self.json(empty={})
        if not isinstance(body, dict):
            raise VendorError(400, "Request body must be a JSON object")
        return body


Handler = Callable[[Call[Any]], Any]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler


@dataclass(frozen=True)
class Change:
    """One change :func:`simulate` made, as the control API reports it."""

    resource: str
    remote_id: str
    kind: ChangeKind

    def as_dict(self) -> dict[str, str]:
        return {"resource": self.resource, "remote_id": self.remote_id, "kind": self.kind}


#: One realistic ATS change (edit a candidate, move a stage, hire, reject, note, delete, new application),
#: drawn with ``rnd``; None when nothing can change (an empty tenant). Runs under the state's lock.
Simulate = Callable[[Any, random.Random], Change | None]
#: Records per vendor resource, for ``GET /__fake/state``.
Counts = Callable[[Any], dict[str, int]]
#: The remote ids the fake holds per unified model (``candidates``, ``applications``...), stated by the fake
#: from its own data, never from connector code: what a full sync must produce.
Truth = Callable[[Any], dict[str, list[str]]]


def _no_truth(_: Any) -> dict[str, list[str]]:
    return {}


@dataclass(frozen=True)
class Hooks:
    """What the control API needs from a vendor: counting and changing its records, and (for the contract
    suite) the truth per unified model plus which resources' ids are which model's remote ids."""

    counts: Counts
    simulate: Simulate
    truth: Truth = _no_truth
    #: vendor resource (as :class:`Change` names it) -> unified model with the same remote ids.
    models: Mapping[str, str] = field(default_factory=dict)
    #: How the vendor pushes changes (``atsbridge.fakes.kit.emit.WebhookStyle``; None: it does not).
    webhooks: Any = None


@dataclass(frozen=True)
class FakeSpec:
    name: str
    errors: ErrorShape
    endpoints: Sequence[Endpoint]
    hooks: Hooks
    pager: Pager | None = None
    #: Routes outside the API's auth and faults (signed file downloads).
    open_routes: Sequence[BaseRoute] = ()


def reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> StatusReply:
    """A JSON answer with a status (:class:`Reply` carries 200 unless told)."""
    return StatusReply(body, headers or {}, status)


@dataclass(frozen=True)
class StatusReply(Reply):
    status: int = 200

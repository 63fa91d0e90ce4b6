"""JSON-RPC 2.0 services on the fake engine (OTYS first): one ``POST`` endpoint dispatching on ``method``.

* :func:`rpc_endpoint`: parses the envelope (``{"jsonrpc": "2.0", "method", "params": [...], "id"}``), runs the
  method's handler with an :class:`RpcCall` and answers ``{"jsonrpc", "result", "id"}``. A handler refuses
  with :class:`~atsbridge.fakes.kit.errors.VendorError`: the refusal is an RPC ``error`` **sent with HTTP
  200**, as JSON-RPC services do (the status only picks the RPC code).
* :class:`Sessions`: session ids issued by a login method and checked on every other call (the id is
  ``params[0]``); ``expire_all()`` makes the next call fail with the vendor's "log in again" error.
* :class:`OpenAuth`: the engine's auth check admits every request (the credential travels in the body,
  checked by the dispatcher), so faults, the rate window and the request log work as for any fake.
* :func:`rpc_errors`: the error shape of what the engine itself refuses with an HTTP status (429, injected
  5xx/401 faults): a JSON-RPC error body with that status.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from starlette.requests import Request

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call, Endpoint, StatusReply, reply
from atsbridge.fakes.kit.state import FakeBase

S = TypeVar("S", bound=FakeBase)
Raw = dict[str, Any]

#: HTTP-like status of a refusal -> the RPC error code sent (JSON-RPC's reserved codes where one fits).
CODES = {400: -32602, 401: 401, 403: 403, 404: 404, 409: 409, 422: -32602, 429: 429, 500: -32603}

__all__ = ["CODES", "OpenAuth", "RpcCall", "RpcHandler", "Sessions", "rpc_endpoint", "rpc_error", "rpc_errors"]


def rpc_error(status: int, message: str, request_id: Any = None) -> Raw:
    return {"jsonrpc": "2.0", "error": {"code": CODES.get(status, status), "message": message}, "id": request_id}


def rpc_errors(error: VendorError) -> Any:
    """The engine's own refusals (with their HTTP status): a JSON-RPC error body."""
    return rpc_error(error.status, error.message)


class OpenAuth(Auth):
    """Admits every request: a JSON-RPC credential is inside the body (see :class:`Sessions`)."""

    def check(self, request: Request) -> Principal | None:
        return Principal("rpc")


@dataclass
class Sessions:
    """Session ids issued by the login method; ``expired_message`` is the vendor's refusal of a stale one."""

    expired_message: str = "Access denied; please login again"
    issued: set[str] = field(default_factory=set)
    logins: int = 0

    def issue(self) -> str:
        token = secrets.token_hex(16)
        self.issued.add(token)
        self.logins += 1
        return token

    def check(self, params: list[Any]) -> str:
        token = params[0] if params else None
        if not isinstance(token, str) or token not in self.issued:
            raise VendorError(401, self.expired_message)
        return token

    def expire_all(self) -> None:
        self.issued.clear()


@dataclass
class RpcCall(Generic[S]):
    """One call: the engine's :class:`Call`, the method and its params after the session id."""

    call: Call[S]
    method: str
    params: list[Any]

    @property
    def fake(self) -> S:
        return self.call.fake

    def arg(self, index: int, default: Any = None) -> Any:
        return self.params[index] if len(self.params) > index else default

    def obj(self, index: int) -> Raw:
        value = self.arg(index, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise VendorError(400, f"Parameter {index + 1} must be an object")
        return value


RpcHandler = Callable[[RpcCall[Any]], Any]


def rpc_endpoint(path: str, methods: Mapping[str, RpcHandler], sessions: Callable[[Any], Sessions],
                 logins: Mapping[str, Callable[[Any, list[Any]], str]]) -> Endpoint:  # fmt: skip
    """``POST path``: ``logins`` (method -> ``(fake, params) -> session id``) need no session; every method of
    ``methods`` checks ``params[0]`` against ``sessions(fake)`` and gets the params after it."""

    def handle(call: Call[Any]) -> StatusReply:
        try:
            envelope = call.json(empty=None)
        except VendorError:
            return reply({"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": None})
        request_id = envelope.get("id") if isinstance(envelope, dict) else None
        try:
            if not isinstance(envelope, dict) or not isinstance(envelope.get("method"), str):
                raise VendorError(400, "Invalid Request")
            params = envelope.get("params")
            params = params if isinstance(params, list) else []
            name = envelope["method"]
            if name in logins:
                return reply({"jsonrpc": "2.0", "result": logins[name](call.fake, params), "id": request_id})
            handler = methods.get(name)
            if handler is None:
                return reply({"jsonrpc": "2.0", "error": {"code": -32601, "message": f"Method not found: {name}"},
                              "id": request_id})  # fmt: skip
            sessions(call.fake).check(params)
            result = handler(RpcCall(call, name, params[1:]))
        except VendorError as exc:
            return reply(rpc_error(exc.status, exc.message, request_id))  # HTTP 200: the RPC quirk
        return reply({"jsonrpc": "2.0", "result": result, "id": request_id})

    return Endpoint("POST", path, handle)

"""The control API every fake answers over HTTP, for our tests, demos and customers' own CI:

=============================  ===================================================================
``GET /__fake/state``          ``{"vendor", "resources": {name: count}, "truth": {model: [remote ids]},
                               "models": {resource: model}, "faults": [...], "requests": n}``
``POST /__fake/simulate``      ``{"steps": N, "seed": S}`` -> ``{"changes": [{"resource", "remote_id",
                               "kind"}]}``: N realistic ATS changes, the same ones for the same seed and data
``GET /__fake/faults``         the armed faults
``POST /__fake/faults``        arm one fault (a JSON object), several (``{"faults": [...]}``) or disarm
                               (``{"clear": true}``)
``DELETE /__fake/faults``      disarm every fault
``GET /__fake/requests``       the request log (``?limit=`` newest N, default 500)
``DELETE /__fake/requests``    empty the log
``POST /__fake/webhooks``      ``{"url", "secret"}``: send the vendor's signed webhooks there (as an admin
                               registers one in the vendor's settings); 400 for a vendor without webhooks
``GET /__fake/webhooks``       ``{"targets": [urls], "pending": n, "deliveries": [{"url", "delivery_id",
                               "resource", "remote_id", "kind", "status"}]}`` (``pending``: not sent yet)
``DELETE /__fake/webhooks``    forget the receivers and the delivery log
=============================  ===================================================================

The state lives on ``app.state.fake`` (a vendor's records) and ``app.state.kit`` (its
:class:`~atsbridge.fakes.kit.state.FakeBase`: faults, log, counters; the same object for engine fakes).
Errors use atsbridge's envelope ``{"status": "error", "error": {"code", "title", "message"}}``.
"""

from __future__ import annotations

import random
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.kit.faults import FaultError, parse_fault
from atsbridge.fakes.kit.spec import Hooks
from atsbridge.fakes.kit.state import FakeBase

PREFIX = "/__fake"
MAX_STEPS = 1000
MAX_BODY = 65_536


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _error(message: str, status: int = 400) -> Response:
    code = "FAKE.INVALID_INPUT" if status == 400 else "FAKE.NOT_FOUND"
    return _json({"status": "error", "error": {"code": code, "title": "Invalid control request", "message": message}},
                 status)  # fmt: skip


async def _body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise FaultError(f"body must be at most {MAX_BODY} bytes")
    try:
        return orjson.loads(raw) if raw else {}
    except orjson.JSONDecodeError:
        raise FaultError("body must be JSON") from None


def _lock(request: Request) -> Any:
    kit: FakeBase = request.app.state.kit
    return getattr(request.app.state.fake, "lock", kit.lock)


def control_routes(vendor: str, hooks: Hooks) -> list[Route]:
    async def state(request: Request) -> Response:
        kit: FakeBase = request.app.state.kit
        with _lock(request):
            counts = hooks.counts(request.app.state.fake)
            truth = {model: sorted(ids) for model, ids in hooks.truth(request.app.state.fake).items()}
        armed = [f.as_dict() for f in kit.faults.armed if f.remaining > 0]
        return _json({"vendor": vendor, "resources": counts, "truth": truth, "models": dict(hooks.models),
                      "faults": armed, "requests": len(kit.log)})  # fmt: skip

    async def simulate(request: Request) -> Response:
        try:
            body = await _body(request)
        except FaultError as exc:
            return _error(str(exc))
        if not isinstance(body, dict):
            return _error("body must be a JSON object")
        steps, seed = body.get("steps", 1), body.get("seed", 0)
        if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
            return _error(f"steps must be an integer between 1 and {MAX_STEPS}")
        if isinstance(seed, bool) or not isinstance(seed, int):
            return _error("seed must be an integer")
        rnd = random.Random(seed)
        made = []
        with _lock(request):
            for _ in range(steps):
                change = hooks.simulate(request.app.state.fake, rnd)
                if change is not None:
                    made.append(change)
        if hooks.webhooks is not None:  # sent after the lock: a receiver may call the fake back
            kit: FakeBase = request.app.state.kit
            for change in made:
                kit.webhooks.emit(hooks.webhooks, change)
        return _json({"changes": [c.as_dict() for c in made]})

    async def webhooks(request: Request) -> Response:
        kit: FakeBase = request.app.state.kit
        if request.method == "DELETE":
            kit.webhooks.clear()
        elif request.method == "POST":
            if hooks.webhooks is None:
                return _error(f"{vendor} sends no webhooks (or this fake does not emit them yet)")
            try:
                body = await _body(request)
                if not isinstance(body, dict):
                    raise FaultError("body must be a JSON object")
                kit.webhooks.register(str(body.get("url") or ""), str(body.get("secret") or ""))
            except (FaultError, ValueError) as exc:
                return _error(str(exc))
        return _json(kit.webhooks.describe())

    async def faults(request: Request) -> Response:
        kit: FakeBase = request.app.state.kit
        if request.method == "DELETE":
            kit.faults.clear()
            return _json({"armed": []})
        if request.method == "POST":
            try:
                body = await _body(request)
                if isinstance(body, dict) and body.get("clear") is True:
                    kit.faults.clear()
                else:
                    items = body["faults"] if isinstance(body, dict) and "faults" in body else [body]
                    if not isinstance(items, list) or not items:
                        raise FaultError("faults must be a non-empty list")
                    parsed = [parse_fault(item) for item in items]  # all or nothing
                    for fault in parsed:
                        kit.faults.arm(fault)
            except FaultError as exc:
                return _error(str(exc))
        return _json({"armed": [f.as_dict() for f in kit.faults.armed if f.remaining > 0]})

    async def requests(request: Request) -> Response:
        kit: FakeBase = request.app.state.kit
        if request.method == "DELETE":
            kit.log.clear()
            return _json({"requests": []})
        raw = request.query_params.get("limit", "500")
        if not raw.isdigit() or not 1 <= int(raw) <= 20_000:
            return _error("limit must be an integer between 1 and 20000")
        entries = kit.log.entries()[-int(raw) :]
        return _json({"requests": [e.as_dict() for e in entries]})

    return [
        Route(f"{PREFIX}/state", state, methods=["GET"]),
        Route(f"{PREFIX}/simulate", simulate, methods=["POST"]),
        Route(f"{PREFIX}/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(f"{PREFIX}/requests", requests, methods=["GET", "DELETE"]),
        Route(f"{PREFIX}/webhooks", webhooks, methods=["GET", "POST", "DELETE"]),
    ]

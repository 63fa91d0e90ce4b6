"""A stateful fake of Welcome to the Jungle's external API (``atsbridge fake-ats welcometothejungle``).

**No WTTJ traffic was ever recorded**: records are deep copies of the official documentation examples
(``WTTJ/wk-api-docs``, in ``payloads/`` with their source notes). Where the docs show no example (a job's
``stages`` — the example is elided with ``...`` —, the error body of each status) the fake follows the
documented fields: stages ``{id, name, reference, visible, candidates_count}``, errors
``{"error": "<code>", "error_description": "<message>"}`` with codes ``unauthorized``, ``not_found``,
``validation_failed``, ``invalid_scope``.

Served under ``/api/v1/external``: ``GET /users/current``; ``GET /offices``, ``/departments`` and ``/jobs``
(``organization_reference`` required; jobs also ``status``, ``created_after``/``updated_after``/
``published_after`` by **date**) and ``/jobs/:reference`` (``stages=true``); ``GET /candidates``
(``job_reference`` **required**; ``email``, ``archived``, ``job_stage_id``, ``job_stage_reference``,
``created_after``/``updated_after`` by date; ``stage=true`` and ``tags=true`` add those keys) and
``/candidates/:reference``; ``POST /candidates``, ``PUT /candidates/:reference``, ``POST /comments``
(write-only: no listing, as on WTTJ); ``resume_url``/``portfolio_url`` point at ``/files/...`` (no auth).
Paging ``page``/``per_page`` (1-100, default 100), bare arrays, counts in ``X-Total``, ``X-Total-Pages``,
``X-Per-Page``, ``X-Page``, ``X-Offset``.
Auth ``Authorization: Bearer <token>`` or ``?access_token=``. WTTJ publishes no rate limit [3p]: beyond the
window (default 10/s) the fake answers 429 with ``Retry-After`` only. Built on the fake engine.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import HeaderKey, Principal
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import Reply
from atsbridge.fakes.kit.server import app_factory, build_app
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.welcometothejungle.state import FIRST, TAGS, FakeState, Raw

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

API = "/api/v1/external"
PROBE = (f"{API}/users/current", {"Authorization": "Bearer wttj_token"})
USER = {"avatar_url": "https://www.welcomekit.co/uploads/user/image/GXj/J/avatar.jpg", "display_name": "API Token"}
_CODES = {400: "validation_failed", 401: "unauthorized", 403: "invalid_scope", 404: "not_found",
          422: "validation_failed", 429: "too_many_requests"}  # fmt: skip


def errors(error: VendorError) -> Any:
    return {"error": error.code or _CODES.get(error.status, "error"), "error_description": error.message}


class TokenAuth(HeaderKey):
    """``Authorization: Bearer <token>`` or ``?access_token=<token>`` [doc]."""

    def check(self, request: Request) -> Principal | None:
        if request.query_params.get("access_token") == self.key:
            return Principal(self.key)
        return super().check(request)


def _page(call: Call[FakeState], records: list[Raw]) -> Reply:
    q = call.query
    page, size = q.get("page", "1"), q.get("per_page", "100")
    if not page.isdigit() or int(page) < 1 or not size.isdigit() or not 1 <= int(size) <= 100:
        raise VendorError(400, "page must be >= 1 and per_page between 1 and 100")
    size = str(min(int(size), call.fake.page_cap or 100))
    start = (int(page) - 1) * int(size)
    headers = {"X-Total": str(len(records)), "X-Total-Pages": str(max(1, math.ceil(len(records) / int(size)))),
               "X-Per-Page": size, "X-Page": page, "X-Offset": str(start)}  # fmt: skip
    return Reply(records[start : start + int(size)], headers)


def _since(call: Call[FakeState], records: list[Raw], *keys: str) -> list[Raw]:
    """``<key>_after=YYYY-MM-DD`` (date only): records whose ``<key>_at`` falls on that day or later."""
    for key in keys:
        raw = call.query.get(f"{key}_after")
        if raw is None:
            continue
        try:
            bound = date.fromisoformat(raw).isoformat()
        except ValueError:
            raise VendorError(400, f"{key}_after must be a date (YYYY-MM-DD)") from None
        records = [r for r in records if (r.get(f"{key}_at") or "")[:10] >= bound]
    return records


def _org_list(kind: str) -> Any:
    """``organization_reference`` required (another one: 401, as WTTJ); jobs filter by status and dates."""

    def handler(call: Call[FakeState]) -> Reply:
        if call.query.get("organization_reference") != call.fake.organization:
            raise VendorError(401, "You are not member of this organization", code="unauthorized")
        rows = list(getattr(call.fake, kind).values())
        if kind == "jobs":
            rows = [j for j in rows if call.query.get("status") in (None, "", j["status"])]
            rows = _since(call, rows, "created", "updated", "published")
        return _page(call, rows)

    return handler


def get_job(call: Call[FakeState]) -> Raw:
    job = call.fake.jobs.get(call.path["reference"])
    if job is None:
        raise VendorError(404, "Job not found")
    if call.query.get("stages") != "true":
        return job
    counts = Counter(c["stage_id"] for c in call.fake.candidates.values())
    return {**job, "stages": [{**s, "candidates_count": counts[s["id"]]} for s in call.fake.stages[job["reference"]]]}


def _urls(call: Call[FakeState], cand: Raw) -> Raw:
    """File URLs point at the fake's storage (``/files/...``, no auth, like WTTJ's CDN)."""
    return {k: f"{call.base_url}{v}" if k.endswith("_url") and str(v).startswith("/files/") else v
            for k, v in cand.items()}  # fmt: skip


def _shown(call: Call[FakeState], cand: Raw) -> Raw:
    return _urls(call, {k: v for k, v in cand.items() if (k != "stage" or call.query.get("stage") == "true")
                        and (k != "tags" or call.query.get("tags") == "true")})  # fmt: skip


async def download(request: Request) -> Response:
    fake: FakeState = request.app.state.fake
    cand = fake.candidates.get(request.path_params["ref"], {})
    if cand.get(f"{request.path_params['kind']}_url") != request.url.path:
        return Response("Not Found", status_code=404)
    return Response(b"%PDF-1.4 fake " + request.url.path.encode(), media_type="application/pdf")


def list_candidates(call: Call[FakeState]) -> Reply:
    q, job = call.query, call.query.get("job_reference")
    if not job:
        raise VendorError(400, "job_reference is missing", code="validation_failed")
    if job not in call.fake.jobs:
        raise VendorError(404, "Job not found")
    found = [c for c in call.fake.candidates.values() if c["job_reference"] == job]
    if q.get("email"):
        found = [c for c in found if c["profile"]["email"] == q["email"].lower()]
    if q.get("archived") in ("true", "false"):
        found = [c for c in found if c["archived"] == (q["archived"] == "true")]
    if q.get("job_stage_id"):
        found = [c for c in found if str(c["stage_id"]) == q["job_stage_id"]]
    if q.get("job_stage_reference"):
        found = [c for c in found if c["stage"]["reference"] == q["job_stage_reference"]]
    found = sorted(_since(call, found, "created", "updated"), key=lambda c: (c["created_at"], c["reference"]))
    return _page(call, [_shown(call, c) for c in found])


def get_candidate(call: Call[FakeState]) -> Raw:
    found = call.fake.candidates.get(call.path["reference"])
    if found is None:
        raise VendorError(404, "Candidate not found")
    return _shown(call, found)


def _written(call: Call[FakeState], cand: Raw) -> Raw:
    """Create and update answer without ``stage`` and ``tags`` (as the documented examples)."""
    return _urls(call, {k: v for k, v in cand.items() if k not in ("stage", "tags")})


# ----------------------------------------------------------------------------------------------- control
def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    ref = pick(rnd, fake.candidates)
    if ref is None:
        return None
    fake.update(ref, {"firstname": rnd.choice(FIRST), "tag_list": ",".join(rnd.sample(TAGS, 2))})
    return Change("candidates", ref, "updated")


def _move(fake: FakeState, rnd: random.Random, reference: str | None = None) -> Change | None:
    """A stage move (to the hired or refused stage when ``reference`` says so)."""
    ref = pick(rnd, fake.candidates)
    if ref is None:
        return None
    cand = fake.candidates[ref]
    choices = [s for s in fake.stages[cand["job_reference"]] if s["id"] != cand["stage_id"]
               and (reference is None or s["reference"] == reference)]  # fmt: skip
    if not choices:
        return None
    fake.update(ref, {"job_stage_id": rnd.choice(choices)["id"]})
    return Change("candidates", ref, "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    ref = pick(rnd, fake.candidates)
    if ref is None or len(fake.candidates) < 2:
        return None
    del fake.candidates[ref]
    return Change("candidates", ref, "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    job = pick(rnd, [r for r, j in fake.jobs.items() if j["status"] == "published"])
    if job is None:
        return None
    n = rnd.randrange(1_000_000)
    made = fake.create({"organization_reference": fake.organization, "job_reference": job, "firstname": "Sim",
                        "lastname": rnd.choice(FIRST), "email": f"sim.{n}@mail.example"})  # fmt: skip
    return Change("candidates", made["reference"], "created")


def _counts(fake: FakeState) -> dict[str, int]:
    return {"jobs": len(fake.jobs), "candidates": len(fake.candidates), "comments": len(fake.comments)}


def _truth(fake: FakeState) -> dict[str, list[str]]:
    return {"candidates": list(fake.candidates), "applications": list(fake.candidates), "jobs": list(fake.jobs)}


HOOKS = Hooks(
    _counts,
    simulator(_edit, _move, lambda f, r: _move(f, r, "hired"), lambda f, r: _move(f, r, "refused"), _delete, _apply,
              refused=(VendorError, KeyError)),  # fmt: skip
    _truth,
    {"candidates": "candidates", "jobs": "jobs"},
)
SPEC = FakeSpec(
    name="welcometothejungle",
    errors=errors,
    hooks=HOOKS,
    open_routes=[Route("/files/{ref}/{kind}", download)],
    endpoints=[
        Endpoint("GET", f"{API}/users/current", lambda call: USER),
        *(Endpoint("GET", f"{API}/{kind}", _org_list(kind)) for kind in ("jobs", "offices", "departments")),
        Endpoint("GET", f"{API}/jobs/{{reference}}", get_job),
        Endpoint("GET", f"{API}/candidates", list_candidates),
        Endpoint("GET", f"{API}/candidates/{{reference}}", get_candidate),
        Endpoint("POST", f"{API}/candidates", lambda call: _written(call, call.fake.create(call.json_object()))),
        Endpoint("PUT", f"{API}/candidates/{{reference}}",
                 lambda call: _written(call, call.fake.update(call.path["reference"], call.json_object()))),
        Endpoint("POST", f"{API}/comments", lambda call: call.fake.comment(call.json_object())),
    ],
)


def _serve(spec: FakeSpec, fake: FakeState) -> Starlette:
    """The tenant's own token is the key (a given ``state`` too)."""
    fake.auth = TokenAuth(fake.token)
    return build_app(spec, fake)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake organization with ``records`` candidates over
#: ``records // 6`` jobs (or ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0), serve=_serve)


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{API}", "organization_reference": "Pg4eV6k"},
    {"api_key": "wttj_token"},
)

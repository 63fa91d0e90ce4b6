"""Module texts of a new vendor folder (see the package docstring)."""

INIT = '''"""$label connector.

Modelling choices (write down every one, with the vendor behaviour that forced it):

* Candidate = ..., application = ... (TODO).
* Outcome: ``OUTCOMES`` in ``mappers.py`` is the default; an integration's status map overrides it.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.$tool.actions import ACTIONS
from atsbridge.connectors.$tool.api import API
from atsbridge.connectors.$tool.mappers import OUTCOMES
from atsbridge.connectors.$tool.streams import DELETIONS, STREAMS

CONNECTOR = kit.declare(
    tool="$tool",
    label="$label",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # model -> the filter params the vendor's data backs (models not named support every filter)
    filters={},
    probe=kit.Probe("/users", {"per_page": 1}, refused="this API key"),
    connect=kit.ConnectForm(
        instructions="Create a $label API key with read and write access for atsbridge.",
        guide_url=None,
    ),
)
'''

API = '''"""$label's API, declared once, and the lookups its streams and writes share."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]

API = kit.VendorApi(
    base_url="https://api.$tool.example/v1",  # TODO: the vendor's base URL
    auth=kit.Bearer(kit.Secret("api_key", "API key", help="Where the admin finds the key in $label.")),
    pager=kit.PageNumber(param="page", size_param="per_page", page_size=100, records_path="data"),
    records_path="data",
    rate=kit.RatePolicy(10, 1.0),  # the documented budget; the vendor's X-RateLimit-* headers take over
    errors=kit.ErrorShape(),  # how the vendor says "invalid token" or "rate limited" if not by status
)

#: Applications listed in this run: the parents of the per-application notes.
APPLICATIONS: kit.Lookup[Raw] = kit.Lookup("applications")


def application_context(raw: Raw) -> Raw:
    """What a note's mapper needs to know about its application (keep it small: it stays in memory)."""
    return {"id": raw["id"], "candidate_id": (raw.get("candidate") or {}).get("id")}
'''

STREAMS = '''"""$label's streams and deletion feeds as data."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.$tool import mappers as m
from atsbridge.connectors.$tool.api import APPLICATIONS, application_context

UPDATED_SINCE = kit.Since("updated_since", kit.iso)

STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobs", since=UPDATED_SINCE)),
    kit.stream(
        "applications", ("candidates", "applications"), m.map_application,
        kit.Listed("/applications", {"include": "candidate"}, since=UPDATED_SINCE),
        publishes=[kit.Publish(APPLICATIONS, application_context)],
    ),
    kit.stream(
        "notes", "notes", m.map_note,
        kit.FanOut(APPLICATIONS, {"notes": "/applications/{key}/notes"}, parent_into="_application"),
    ),
)  # fmt: skip

DELETIONS: tuple[kit.DeletionFeed, ...] = ()  # e.g. kit.DeletionFeed("/candidates/deleted", "candidates", since)
'''

MAPPERS = '''"""$label payloads -> unified records. Pure functions: no network, no database.

What a mapper needs beyond the vendor record, the source attaches under an underscore key:

* ``_application`` (notes): ``{"id", "candidate_id"}`` of the application the note hangs off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]
Records = Iterator[UnifiedRecord]

#: Vendor status -> outcome. Customers who name their own statuses override it per integration.
OUTCOMES = OutcomeRule(statuses={"hired": "HIRED", "rejected": "DECLINED"}, default="PENDING")


def map_user(raw: Raw, ctx: MapContext) -> Records:
    fields = {"first_name": raw.get("first_name"), "last_name": raw.get("last_name"), "email": raw.get("email")}
    yield ctx.record("users", raw["id"], fields)


def map_job(raw: Raw, ctx: MapContext) -> Records:
    fields = {"name": raw.get("title"), "status": raw.get("status"), "remote_updated_at": ctx.dt(raw.get("updated_at"))}
    yield ctx.record("jobs", raw["id"], fields)


def map_application(raw: Raw, ctx: MapContext) -> Records:
    candidate = raw.get("candidate") or {}
    if candidate.get("id"):
        yield ctx.record("candidates", candidate["id"], {
            "first_name": candidate.get("first_name"), "last_name": candidate.get("last_name"),
        })  # fmt: skip
    fields = {
        "candidate_id": ctx.ref("candidates", candidate.get("id")),
        "job_id": ctx.ref("jobs", raw.get("job_id")),
        "outcome": ctx.outcome(OUTCOMES, raw.get("status")),
        "remote_updated_at": ctx.dt(raw.get("updated_at")),
    }
    yield ctx.record("applications", raw["id"], fields)


def map_note(raw: Raw, ctx: MapContext) -> Records:
    app = raw.get("_application") or {}
    fields = {
        "candidate_id": ctx.ref("candidates", app.get("candidate_id")),
        "application_id": ctx.ref("applications", app.get("id")),
        "content_html": raw.get("body"),
        "remote_created_at": ctx.dt(raw.get("created_at")),
    }
    yield ctx.record("notes", raw["id"], fields)
'''

ACTIONS = '''"""$label write actions: one function per contract action, each marked with its role in the write table."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]

WRITES = kit.WriteTable()


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no $label application to write to")
    return str(rid)


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    """``POST /applications/{id}/notes`` is not idempotent: created once under the Idempotency-Key."""
    app_id = _application_id(call)
    path = f"/applications/{app_id}/notes"

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", path, json={"body": call.body.content})
        created: Raw = response.json()["data"]
        return created

    async def find(started_ms: Any) -> Raw | None:
        notes = await source.all_records("notes", path)
        return next((n for n in reversed(notes) if n.get("body") == call.body.content), None)

    note = await call.once("note", create, find=find)
    note["_application"] = {"id": app_id, "candidate_id": (call.candidate or {}).get("remote_id")}
    return WriteResult([("notes", note)], created={"note_remote_id": str(note["id"])})


ACTIONS: dict[str, Action] = WRITES.actions()
'''

FILES = {
    "__init__.py": INIT,
    "api.py": API,
    "streams.py": STREAMS,
    "mappers.py": MAPPERS,
    "actions.py": ACTIONS,
}

"""The sync engine with a kit connector: streams listed in dependency order whatever the declaration order,
lookups of out-of-scope publishers listed on demand, and a fan-out in a delta run limited to changed parents."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from atsbridge.connectors import kit, registry
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.core.config import Settings
from atsbridge.model.record import UnifiedRecord
from atsbridge.scopes.model import Scope
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES
from atsbridge.sync import engine as sync_engine
from atsbridge.sync.engine import SyncEngine

Raw = dict[str, Any]
CANDIDATES: kit.Lookup[Raw] = kit.Lookup("candidates")


def map_candidate(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    yield ctx.record("candidates", raw["id"], {"first_name": raw["name"]})


def map_note(raw: Raw, ctx: MapContext) -> Iterator[UnifiedRecord]:
    fields = {"candidate_id": ctx.ref("candidates", raw["_candidate"]["id"]), "content_html": raw["body"]}
    yield ctx.record("notes", raw["id"], fields)


class Vendor:
    """Two candidates with notes; ``updated_since`` lists only candidates changed after it."""

    def __init__(self) -> None:
        self.candidates = [{"id": "c1", "name": "Ada", "v": 1}, {"id": "c2", "name": "Bo", "v": 1}]
        self.notes = {"c1": [{"id": "n1", "body": "one"}], "c2": [{"id": "n2", "body": "two"}]}
        self.log: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.log.append(path)
        if path == "/candidates":
            since = request.url.params.get("updated_since")
            rows = [c for c in self.candidates if since is None or c["v"] > 1]
            return httpx.Response(200, json=rows)
        return httpx.Response(200, json=self.notes.get(path.split("/")[2], []))


API = kit.VendorApi(base_url="https://kitdemo.test", auth=kit.Bearer(kit.Secret("api_key", "API key")))
STREAMS = (  # declared child first: the engine must still list the parents first
    kit.stream("notes", "notes", map_note,
               kit.FanOut(CANDIDATES, {"notes": "/candidates/{key}/notes"}, parent_into="_candidate")),
    kit.stream("candidates", "candidates", map_candidate, kit.Listed("/candidates", since=kit.Since("updated_since")),
               publishes=[kit.Publish(CANDIDATES, lambda raw: {"id": raw["id"]})]),
)  # fmt: skip


@pytest.fixture
def vendor(monkeypatch: pytest.MonkeyPatch) -> Iterator[Vendor]:
    fake = Vendor()
    base = kit.declare(tool="kitdemo", label="Kit demo", api=API, streams=STREAMS, probe=kit.Probe("/candidates"))

    def open_source(info: IntegrationInfo) -> kit.KitSource:
        client = API.client(info, httpx.MockTransport(fake.handle))
        return kit.KitSource(API, client, info.config, streams=base.streams, info=info)

    monkeypatch.setitem(registry._loaded, "kitdemo", dataclasses.replace(base, open=open_source))
    yield fake


def stored(engine: Engine, iid: str, model: str) -> set[str]:
    table = MODEL_TABLES[model]
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.remote_id).where(table.c.integration_id == iid)).scalars().all()
    return set(rows)


def run(engine: Engine, settings: Settings, iid: str, full: bool) -> None:
    result = asyncio.run(SyncEngine(engine, settings).run(iid, full=full))
    assert result.status == "SUCCEEDED", result.error


def test_the_engine_lists_publishers_first_and_fans_out_over_changed_parents_only(
    vendor: Vendor, engine: Engine, settings: Settings, environment: str
) -> None:
    with engine.begin() as conn:
        iid = platform.create_integration(conn, environment, "kitdemo", "Org", {"sync_all_applications": True})
    run(engine, settings, iid, full=True)
    assert vendor.log[0] == "/candidates" and sorted(vendor.log[1:]) == ["/candidates/c1/notes", "/candidates/c2/notes"]
    assert stored(engine, iid, "notes") == {"n1", "n2"} and stored(engine, iid, "candidates") == {"c1", "c2"}
    vendor.log.clear()
    vendor.candidates[1]["v"] = 2
    vendor.notes["c2"].append({"id": "n3", "body": "three"})
    run(engine, settings, iid, full=False)
    assert vendor.log == ["/candidates", "/candidates/c2/notes"]
    assert stored(engine, iid, "notes") == {"n1", "n2", "n3"}


def test_a_publisher_out_of_scope_is_listed_on_demand_so_its_readers_lose_nothing(
    vendor: Vendor, engine: Engine, settings: Settings, environment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_engine, "scope_for", lambda conn, iid: Scope(disabled_models=frozenset({"candidates"})))
    with engine.begin() as conn:
        iid = platform.create_integration(conn, environment, "kitdemo", "Org", {"sync_all_applications": True})
    run(engine, settings, iid, full=True)
    assert stored(engine, iid, "candidates") == set()  # out of scope: not stored
    assert stored(engine, iid, "notes") == {"n1", "n2"}  # yet its lookup fed the fan-out


def test_a_lookup_is_dropped_after_its_last_reader_and_listed_again_if_asked(vendor: Vendor) -> None:
    """Lookup tables grow with the tenant (Greenhouse's job posts are full records): they are not held through
    the rest of the run once the last stream reading them is done; a later read lists the publisher again."""
    base = registry.get_connector("kitdemo")
    source = base.open(IntegrationInfo("kitdemo:x", "kitdemo", {}, {"api_key": "k"}))
    assert isinstance(source, kit.KitSource)
    by_name = {s.name: s for s in base.streams}

    async def scenario() -> None:
        async for _page in source.read(by_name["candidates"], None):
            pass
        assert source.table(CANDIDATES), "published for the fan-out"
        async for _page in source.read(by_name["notes"], None):
            pass
        assert source.table(CANDIDATES) == {}, "dropped after notes, its last reader"
        vendor.log.clear()
        assert set(await source.lookup(CANDIDATES)) == {"c1", "c2"}
        assert vendor.log == ["/candidates"]
        await source.aclose()

    asyncio.run(scenario())

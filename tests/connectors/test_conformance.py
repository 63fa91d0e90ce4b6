"""The connector conformance suite: applied automatically to every registered connector, now and later.

Static checks need only the declaration. Live checks run against the tool's fake server when its
``atsbridge.fakes.<tool>`` module offers ``conformance_setup(base_url) -> (config, credentials)``; the
sandbox needs no fake. Every list the SDK can read must parse for every tool.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from kombo import Kombo
from sqlalchemy import Engine

from atsbridge.api.routes.tools import WRITE_ACTIONS
from atsbridge.connect.service import create_integration
from atsbridge.connectors.registry import BUILTIN, get_connector
from atsbridge.core.config import Settings
from atsbridge.model.registry import MODELS
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now
from tests.test_wire_sdk import LISTS, drain

TOOLS = sorted(BUILTIN)


@pytest.mark.parametrize("tool", TOOLS)
def test_declaration_is_consistent(tool: str) -> None:
    connector = get_connector(tool)
    assert connector.tool == tool
    names = [s.name for s in connector.streams]
    assert len(names) == len(set(names)), "stream names must be unique"
    filled: dict[str, str] = {}
    for stream in connector.streams:
        for model in stream.models:
            assert model in MODELS, f"{stream.name} fills unknown model {model}"
            assert model not in filled, f"{model} is filled by both {filled[model]} and {stream.name}"
            filled[model] = stream.name
    assert set(filled) == set(connector.capabilities.models), "declared models must be exactly the synced ones"
    for model, params in connector.capabilities.filters.items():
        assert model in connector.capabilities.models
        assert params <= {f.param for f in MODELS[model].filters}, f"{model}: unknown filter in {params}"
    assert set(connector.capabilities.actions) == set(connector.actions), "capabilities.actions must match actions"
    assert set(connector.actions) <= set(WRITE_ACTIONS), (
        f"unknown actions {set(connector.actions) - set(WRITE_ACTIONS)}"
    )
    if "attachments" in connector.capabilities.models:
        assert connector.download is not None, "a tool serving attachments must be able to download them"


@contextmanager
def _integration(tool: str, engine: Engine, settings: Settings) -> Iterator[tuple[str, str, str] | None]:
    """(environment, key, integration id) of a fresh integration of ``tool``, or None without a fake."""
    with engine.begin() as conn:
        env = platform.create_environment(conn, f"conformance-{tool}")
        key = platform.create_api_key(conn, env, "conformance")
    if tool == "sandbox":
        iid = create_integration(engine, settings, env, tool, "Conformance", config={"seed": 5, "size": "tiny"})
        yield env, key, iid
        return
    try:
        fake = importlib.import_module(f"atsbridge.fakes.{tool}")
    except ModuleNotFoundError:
        yield None
        return
    if not hasattr(fake, "conformance_setup"):
        yield None
        return
    app = fake.create_app(seed=3, records=30, rate_limit=None)  # rate limiting is each connector's own test
    with serve_asgi(app) as url:
        config, credentials = fake.conformance_setup(url)
        config = {**config, "sync_all_applications": True}
        iid = create_integration(engine, settings, env, tool, "Conformance", config=config, credentials=credentials)
        try:
            yield env, key, iid
        finally:
            with engine.begin() as conn:  # leave nothing for a scheduler to chase after the fake is gone
                conn.execute(
                    platform.integrations.update().where(platform.integrations.c.id == iid).values(enabled=False)
                )


@pytest.mark.parametrize("tool", TOOLS)
def test_live_sync_is_complete_idempotent_and_sdk_readable(
    tool: str, engine: Engine, settings: Settings, server: Server
) -> None:
    with _integration(tool, engine, settings) as found:
        if found is None:
            pytest.fail(f"{tool} has no fake with conformance_setup(base_url); every connector needs one")
        _env, key, iid = found
        first = sync_now(engine, settings, iid, full=True)
        produced = {m for m, s in first.models.items() if s.created}
        missing = set(get_connector(tool).capabilities.models) - produced
        assert not missing, f"declared but never produced: {sorted(missing)}"
        assert not first.mapping_errors, first.mapping_errors[:3]
        again = sync_now(engine, settings, iid, full=True)
        churn = {m: s.as_dict() for m, s in again.models.items() if s.created or s.updated or s.deleted}
        assert not churn, f"a second full sync changed records (unstable mapping?): {churn}"
        k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
        for model, method in LISTS.items():
            if model in get_connector(tool).capabilities.models:
                assert drain(getattr(k.ats, method), page_size=50) is not None

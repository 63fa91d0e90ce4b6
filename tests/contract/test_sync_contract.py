"""The sync contract every connector with a fake runs, on SQLite and PostgreSQL: the same scenarios for every
vendor, driven through the sync engine and read through the SDK over real HTTP, with the fake steered only
through its control API. A vendor's own test file keeps mapper golden tests and true quirks only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.store import platform
from tests.conftest import Server
from tests.contract.harness import TOOLS, Live, contract_models, live, shared_environment
from tests.test_wire_sdk import drain


@pytest.fixture(params=TOOLS)
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1) as found:
        yield found


def _truth(v: Live) -> dict[str, set[str]]:
    truth = {model: set(ids) for model, ids in v.state()["truth"].items()}
    wanted = set(contract_models(v.tool))
    assert wanted <= set(truth), f"{v.tool}: the fake states no truth for {wanted - set(truth)}"
    return truth


def _live_ids(v: Live, model: str) -> set[str]:
    return {rid for rid, (_, deleted) in v.stored(model).items() if deleted is None}


def test_full_sync_equals_the_fakes_truth(vendor: Live) -> None:
    result = vendor.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    truth = _truth(vendor)
    for model in contract_models(vendor.tool):
        assert vendor.remote_ids(model) == truth[model], f"{vendor.tool}: {model} listed by the API != the fake's"


def test_delta_after_simulate_is_exact(vendor: Live) -> None:
    assert vendor.sync(full=True).status == "SUCCEEDED"
    before = {model: vendor.stored(model) for model in contract_models(vendor.tool)}
    quiet = vendor.sync()
    assert quiet.status == "SUCCEEDED", quiet.error
    for model in contract_models(vendor.tool):  # nothing changed at the vendor: nothing changes here
        assert vendor.stored(model) == before[model], f"{vendor.tool}: a no-op delta sync changed {model}"
    changes = vendor.simulate(12, seed=5)
    assert changes, "simulate made no change"
    models = vendor.state()["models"]
    delta = vendor.sync()
    assert delta.status == "SUCCEEDED", delta.error
    full = vendor.sync(full=True)  # deletions without a feed show on a complete listing
    assert full.status == "SUCCEEDED", full.error
    after = {model: vendor.stored(model) for model in contract_models(vendor.tool)}
    for change in changes:
        model = models.get(change["resource"])
        if model not in contract_models(vendor.tool):
            continue
        rid, kind = change["remote_id"], change["kind"]
        if kind == "deleted":
            if rid in before[model]:  # (one simulate both created and deleted may never be seen at all)
                assert after[model][rid][1] is not None, f"{vendor.tool}: deleted {model} {rid} not marked deleted"
            continue
        gone = any(c["remote_id"] == rid and c["kind"] == "deleted" for c in changes)
        assert gone or rid in after[model], f"{vendor.tool}: {kind} {model} {rid} missing after the delta sync"
        if kind == "updated" and rid in before[model]:  # (a record simulate created may change again)
            moved = after[model][rid][0] > before[model][rid][0]
            assert moved, f"{vendor.tool}: updated {model} {rid} kept its changed_at"
    watched = "candidates" if "candidates" in after else contract_models(vendor.tool)[0]
    moved = [
        rid
        for rid, (changed, _) in after[watched].items()
        if rid in before[watched] and changed > before[watched][rid][0]
    ]
    assert len(moved) <= len(changes), (
        f"{vendor.tool}: {len(moved)} {watched} changed for {len(changes)} vendor changes"
    )
    truth = _truth(vendor)
    for model in contract_models(vendor.tool):
        assert _live_ids(vendor, model) == truth[model], f"{vendor.tool}: {model} after the changes != the fake's"


def test_rate_limit_storm_and_5xx_burst_are_ridden_out(vendor: Live) -> None:
    assert vendor.sync(full=True).status == "SUCCEEDED"
    per_sync = len(vendor.control("GET", "requests?limit=20000")["requests"])
    # mid-listing where a sync makes several requests; on its only request for a one-request API (a careers feed)
    first = 1 if per_sync > 1 else 0
    vendor.arm(kind="storm", n=3 if first else 2, seconds=0, after=first)
    vendor.arm(kind="fail", n=2, status=503, after=first + (3 if first else 2))
    result = vendor.sync(full=True)
    assert result.status == "SUCCEEDED", result.error
    assert vendor.state()["faults"] == [], "every armed fault was met"
    truth = _truth(vendor)
    for model in contract_models(vendor.tool):
        assert _live_ids(vendor, model) == truth[model]


def test_a_truncated_page_changes_nothing(vendor: Live) -> None:
    assert vendor.sync(full=True).status == "SUCCEEDED"
    before = {model: vendor.stored(model) for model in contract_models(vendor.tool)}
    vendor.arm(kind="truncate", n=50, method="GET")
    vendor.sync(full=True)  # fails or retries: either way nothing may be lost
    vendor.disarm()
    for model in contract_models(vendor.tool):
        after = vendor.stored(model)
        gone = [rid for rid, (_, deleted) in after.items() if deleted is not None and before[model][rid][1] is None]
        assert not gone, f"{vendor.tool}: broken pages marked {model} deleted: {gone[:5]}"
        assert set(after) == set(before[model])
    assert vendor.sync(full=True).status == "SUCCEEDED"
    truth = _truth(vendor)
    for model in contract_models(vendor.tool):
        assert _live_ids(vendor, model) == truth[model]


def test_401_marks_the_integration_invalid_and_changes_nothing(vendor: Live) -> None:
    assert vendor.sync(full=True).status == "SUCCEEDED"
    before = {model: vendor.stored(model) for model in contract_models(vendor.tool)}
    vendor.arm(kind="fail", n=10_000, status=401)
    result = vendor.sync(full=True)
    vendor.disarm()
    assert result.status == "FAILED"
    assert vendor.integration_status() == "INVALID"
    for model in contract_models(vendor.tool):
        assert vendor.stored(model) == before[model]
    assert vendor.sync(full=True).status == "SUCCEEDED"
    assert vendor.integration_status() == "ACTIVE"


FILE_TOOLS = [t for t in TOOLS if "attachments" in get_connector(t).capabilities.models]


@pytest.fixture(params=FILE_TOOLS)
def files_vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1) as found:
        yield found


def test_files_download_through_the_api(files_vendor: Live) -> None:
    """Every attachment the unified API lists can be downloaded through its ``data_url`` (the connector fetches
    the bytes from the fake), with the listed content type; a forged link is refused."""
    vendor = files_vendor
    assert vendor.sync(full=True).status == "SUCCEEDED"
    files = drain(vendor.sdk().ats.get_ats_attachments, page_size=250)
    assert files, f"{vendor.tool}: the fake's attachments were not synced"
    for listed in files[:3]:
        one = vendor.sdk().ats.get_candidate_attachments(candidate_id=listed.candidate_id).data.results
        served = next(f for f in one if f.id == listed.id)
        download = httpx.get(served.data_url, timeout=30)
        assert download.status_code == 200 and download.content, f"{vendor.tool}: {served.data_url}"
        assert download.headers["content-type"].startswith(served.content_type.split(";")[0])
        assert httpx.get(served.data_url[:-3] + "AAA", timeout=30).status_code == 404


#: How a vendor says "bad credentials" when it is not an HTTP 401 (Ashby answers 200 ``invalid_api_key``).
AUTH_SIGNAL = {"ashby": "invalid_api_key", "connexys": "invalid_client"}  # Salesforce: 400 invalid_client


@pytest.mark.parametrize("tool", TOOLS)
def test_wrong_credentials_fail_with_401_and_invalidate(
    tool: str, engine: Engine, settings: Settings, server: Server
) -> None:
    """Every credential the fake's setup names, wrong: the first sync fails on authentication, the
    integration turns INVALID and nothing is stored (moved here from each vendor's wrong-key test)."""
    fake = importlib.import_module(f"atsbridge.fakes.{tool}")
    with live(tool, engine, settings, server.v1) as v:
        config, credentials = fake.conformance_setup(v.url)
        wrong = {k: f"wrong-{value}" for k, value in credentials.items()}
        env, _key = shared_environment(engine)
        config = {**config, "sync_all_applications": True}
        iid = create_integration(engine, settings, env, tool, "Wrong", config=config, credentials=wrong)
        bad = Live(tool, v.url, iid, v.key, engine, settings, v.server_v1)
        result = bad.sync(full=True)
        with engine.begin() as conn:
            table = platform.integrations
            conn.execute(table.update().where(table.c.id == iid).values(enabled=False))
    assert result.status == "FAILED"
    assert AUTH_SIGNAL.get(tool, "401") in (result.error or ""), result.error
    assert bad.integration_status() == "INVALID"
    assert bad.stored("candidates") == {} and bad.stored("applications") == {}


@pytest.mark.parametrize("tool", TOOLS)
def test_the_vendors_rate_window_is_honoured(tool: str, engine: Engine, settings: Settings, server: Server) -> None:
    """The fake's own rate limit, tightened to 8/s (the vendor's headers and 429 body; the fake refuses what
    exceeds it): the sync paces itself under the announced window or waits out the 429s as told, and still
    ends with the fake's truth. A small tenant (10 applications) still needs more requests than one window
    allows on every vendor that pages or fans out, without spending a minute per vendor waiting."""
    with live(tool, engine, settings, server.v1, rate_limit=(8, 1.0), records=10) as v:
        result = v.sync(full=True)
        assert result.status == "SUCCEEDED", result.error
        truth = _truth(v)
        for model in contract_models(v.tool):
            assert _live_ids(v, model) == truth[model]

"""The write contract, for every write a connector declares that the suite can drive generically (today:
``add_application_note``): through the SDK over real HTTP with an Idempotency-Key, the fake steered only
through its control API.

* create-once after a stall: the vendor commits, the answer comes too late (client timeout 1 s), the caller
  retries under the same key: the vendor holds exactly what one clean write makes;
* Idempotency-Key replay: the same answer again, nothing sent to the vendor;
* refused input changes nothing and sends nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from tests.conftest import Server
from tests.contract.harness import TOOLS, Live, live

NOTE_TOOLS = [t for t in TOOLS if "add_application_note" in get_connector(t).actions]
#: Connector bugs this suite found (the connectors' owners fix them; strict: the test flags the fix).
NOT_CREATE_ONCE = {
    "welcometothejungle": "welcometothejungle: comments are write-only (scope comments_w, no listing), so a retry "
    "after a lost answer is refused as an unknown outcome instead of being adopted (no duplicate, but no replay)",
    "smartrecruiters": "smartrecruiters: notes cannot be searched (no documented way to list messages), so a retry "
    "after a lost answer is refused as an unknown outcome instead of being adopted (no duplicate, but no replay)",
    "erecruiter": "erecruiter: applicant history entries are write-only (no GET, no id in the answer), so a retry "
    "after a lost answer is refused as an unknown outcome instead of being adopted (no duplicate, but no replay)",
}


@pytest.fixture(params=NOTE_TOOLS)
def vendor(request: pytest.FixtureRequest, engine: Engine, settings: Settings, server: Server) -> Iterator[Live]:
    with live(request.param, engine, settings, server.v1, config={"timeout_seconds": 1.0}) as found:
        assert found.sync(full=True).status == "SUCCEEDED"
        yield found


def _counts(v: Live) -> dict[str, int]:
    return dict(v.state()["resources"])


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after) if after.get(k, 0) != before.get(k, 0)
    }


def _writes(v: Live) -> int:
    return sum(1 for r in v.control("GET", "requests?limit=20000")["requests"] if r["method"] != "GET")


def _open_applications(k: Kombo) -> list[Any]:
    apps = k.ats.get_applications(page_size=50).result.data.results
    return [a for a in apps if a.outcome is None] or apps


def _note(k: Kombo, app_id: str, key: str, content: str = "Called back, strong candidate.") -> Any:
    return k.ats.add_application_note(
        application_id=app_id, content=content, content_type="PLAIN_TEXT", http_headers={"Idempotency-Key": key}
    )


def test_note_is_created_once_after_a_stall_and_replays(vendor: Live, request: pytest.FixtureRequest) -> None:
    if vendor.tool in NOT_CREATE_ONCE:
        request.applymarker(pytest.mark.xfail(strict=True, reason=NOT_CREATE_ONCE[vendor.tool]))
    k = vendor.sdk()
    first_app, second_app = _open_applications(k)[:2]
    before = _counts(vendor)
    _note(k, first_app.id, uuid.uuid4().hex)
    clean = _delta(before, _counts(vendor))
    assert clean, f"{vendor.tool}: a note changed nothing at the vendor"

    key = uuid.uuid4().hex
    vendor.arm(kind="stall", n=1, seconds=2.5, writes=True)
    before = _counts(vendor)
    with pytest.raises(KomboAtsError):
        _note(k, second_app.id, key)
    done = _note(k, second_app.id, key)
    assert vendor.state()["faults"] == []
    assert _delta(before, _counts(vendor)) == clean, f"{vendor.tool}: a retried note was not created exactly once"

    sent = _writes(vendor)
    replay = _note(k, second_app.id, key)
    assert replay.model_dump() == done.model_dump()
    assert _writes(vendor) == sent, "an Idempotency-Key replay reached the vendor"


def test_refused_note_changes_nothing(vendor: Live) -> None:
    k = vendor.sdk()
    app = _open_applications(k)[0]
    before, sent = _counts(vendor), _writes(vendor)
    with pytest.raises(KomboAtsError) as info:
        _note(k, app.id, uuid.uuid4().hex, content="")
    assert info.value.data.error.code is not None and "content" in (info.value.data.error.message or "")
    with pytest.raises(KomboAtsError):
        _note(k, "no-such-application", uuid.uuid4().hex)
    assert _counts(vendor) == before and _writes(vendor) == sent

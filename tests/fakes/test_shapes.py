"""Generated shape test: every recorded real payload in a fake's ``payloads/`` folder has the same shape (keys
and JSON types, recursively; see :mod:`atsbridge.fakes.kit.shapes`) as the fake's answer on the endpoint its
``payloads/MANIFEST.json`` names. The real payload wins: a difference is a fake to fix.

Manifest: ``{"auth": {...}, "headers"?: {...}, "payloads": {"<file>": {"path", "method"?, "body"?, "ids"?, "recorded"?,
"answer"?, "optional"?, "extra"?} | {"skip": "<reason>"}}}``. ``ids`` lists listings whose first usable
record ids fill ``{0}``, ``{1}``... in ``path`` (each may use the ids before it); ``recorded``/``answer``
narrow either side to a key; ``optional``/``extra`` are ``{"keys": [...], "why": "..."}``: keys the recording
cannot require (one sample of a polymorphic list) or the endpoint adds by design; ``each`` compares a single
recorded record with every record of the answer; ``map`` compares the values of ``{id: record}`` maps; ``with``
names more recordings of the same endpoint to unite with this one. An ``ids`` listing may be
``{"path", "method", "body", "key"}``.
"""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from atsbridge.fakes.kit.shapes import differences, shape_of

FAKES = Path(importlib.import_module("atsbridge.fakes").__path__[0])
WITH_PAYLOADS = sorted(p.parent.name for p in FAKES.glob("*/payloads") if any(p.glob("*.json")))


def _manifest(vendor: str) -> dict[str, Any]:
    path = FAKES / vendor / "payloads" / "MANIFEST.json"
    return orjson.loads(path.read_bytes()) if path.exists() else {"payloads": {}}


CASES = [
    pytest.param(vendor, name, id=f"{vendor}/{name}")
    for vendor in WITH_PAYLOADS
    for name, entry in sorted(_manifest(vendor)["payloads"].items())
    if "skip" not in entry
]


@pytest.mark.parametrize("vendor", WITH_PAYLOADS)
def test_every_payload_is_declared(vendor: str) -> None:
    declared = _manifest(vendor)["payloads"]
    files = {p.name for p in (FAKES / vendor / "payloads").glob("*.json") if p.name != "MANIFEST.json"}
    assert files - set(declared) == set(), f"{vendor}: payloads without a manifest entry (path, or skip with a reason)"
    assert set(declared) - files == set(), f"{vendor}: manifest entries without a payload file"
    assert all(e.get("skip") or e.get("path") for e in declared.values()), "each entry needs a path or a reason"


def _headers(client: TestClient, auth: dict[str, Any]) -> dict[str, str]:
    if "basic" in auth:
        user, password = auth["basic"]
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
    if "bearer" in auth:
        return {"Authorization": f"Bearer {auth['bearer']}"}
    if "header" in auth:
        name, value = auth["header"]
        return {name: value}
    if "oauth2" in auth:
        o = auth["oauth2"]
        basic = base64.b64encode(f"{o['client_id']}:{o['client_secret']}".encode()).decode()
        answer = client.post(
            o["path"], data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
        )
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return {}


def _ids(found: Any, key: str = "id") -> Iterator[str]:
    """Record ids in an answer, in order (the lists of objects carrying ``key``)."""
    if isinstance(found, list):
        for item in found:
            if isinstance(item, dict) and key in item:
                yield str(item[key])
    elif isinstance(found, dict):
        for value in found.values():
            if isinstance(value, list | dict):
                yield from _ids(value, key)


def _fill(value: Any, ids: list[str]) -> Any:
    """``value`` with ``{0}``, ``{1}``... in its strings replaced by ``ids``."""
    if isinstance(value, str):
        return value.format(*ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _call(client: TestClient, headers: dict[str, str], spec: str | dict[str, Any], ids: list[str]) -> Any:
    """A request named by a path (GET) or ``{"method", "path", "body"}``, placeholders filled."""
    spec = {"path": spec} if isinstance(spec, str) else spec
    body = _fill(spec.get("body"), ids)
    return client.request(spec.get("method", "GET"), _fill(spec["path"], ids), headers=headers, json=body)


def _auth_headers(client: TestClient, manifest: dict[str, Any]) -> dict[str, str]:
    return {**manifest.get("headers", {}), **_headers(client, manifest.get("auth", {}))}


def _resolve(client: TestClient, headers: dict[str, str], listings: list[Any], known: list[str]) -> list[str] | None:
    """Ids for every listing in turn, backtracking until each listing has a record (None if none fits)."""
    if len(known) == len(listings):
        return known
    answer = _call(client, headers, listings[len(known)], known)
    spec = listings[len(known)]
    key = spec.get("key", "id") if isinstance(spec, dict) else "id"
    for rid in list(_ids(answer.json(), key))[:25] if answer.status_code == 200 else []:
        found = _resolve(client, headers, listings, [*known, rid])
        if found is not None:
            return found
    return None


def _narrow(value: Any, key: str | None) -> Any:
    return value[key] if key else value


@pytest.mark.parametrize(("vendor", "name"), CASES)
def test_fake_answers_in_the_recorded_shape(vendor: str, name: str) -> None:
    manifest = _manifest(vendor)
    entry = manifest["payloads"][name]
    recorded = _narrow(orjson.loads((FAKES / vendor / "payloads" / name).read_bytes()), entry.get("recorded"))
    others = [orjson.loads((FAKES / vendor / "payloads" / o).read_bytes()) for o in entry.get("with", [])]
    if entry.get("each"):  # one recorded record; the answer lists many
        recorded = [recorded]
    app = importlib.import_module(f"atsbridge.fakes.{vendor}").create_app(seed=4, records=40, rate_limit=None)
    with TestClient(app) as client:
        headers = _auth_headers(client, manifest)
        ids = _resolve(client, headers, entry.get("ids", []), [])
        assert ids is not None, f"{vendor}: no records to fill {entry['path']}"
        answer = _call(client, headers, entry, ids)
    assert answer.status_code < 300, f"{entry['path']}: {answer.status_code} {answer.text[:300]}"
    rules = {k: frozenset(entry[k]["keys"]) for k in ("optional", "extra") if k in entry}
    assert all(entry[k].get("why") for k in rules), "an optional/extra rule needs its reason"
    answered = _narrow(answer.json(), entry.get("answer"))
    if entry.get("map"):  # {id: record} maps: the records are what has a shape
        recorded, answered = list(recorded.values()), list(answered.values())
    diff = differences(shape_of(recorded, *others), answered, **rules)
    assert not diff, f"{vendor}: the fake's {entry['path']} differs from {name}:\n  " + "\n  ".join(diff[:40])

"""Scaffolding shared by the vendor tests' writes: an action run on a kit source over a vendor's fake (in
process), and the live create-once check through the SDK (the first answer lost to a stall after the vendor
committed, then the same Idempotency-Key again)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from starlette.types import ASGIApp

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteResult
from atsbridge.connectors.base import IntegrationInfo
from tests.contract.harness import Live

Action = Callable[[kit.KitSource], Awaitable[WriteResult]]


def run_action(api: kit.VendorApi, streams: Sequence[Any], app: ASGIApp, info: IntegrationInfo,
               action: Action) -> WriteResult:  # fmt: skip
    """``action`` on a kit source of ``api`` and ``streams`` whose requests go to ``app`` (a vendor fake)."""

    async def go() -> WriteResult:
        client = api.client(info, httpx.ASGITransport(app=app))
        source = kit.KitSource(api, client, info.config, streams=kit.resolve(streams), info=info)
        try:
            return await action(source)
        finally:
            await source.aclose()

    return asyncio.run(go())


def new_email(name: str = "ada") -> str:
    """An address no generated record has."""
    return f"{name}.{uuid.uuid4().hex[:6]}@x.example"


def open_jobs(v: Live) -> list[Any]:
    """The synced jobs whose status is OPEN (first page of 50)."""
    return [j for j in v.sdk().ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN"]


def created_after_stall(v: Live, job_id: str, candidate: dict[str, Any], fault: dict[str, Any] | None = None,
                        **body: Any) -> Any:  # fmt: skip
    """``create_application`` whose answer is lost to a stall after the vendor committed (``fault`` narrows the
    stalled request), then sent again with the same Idempotency-Key: the second answer's data."""
    k = v.sdk()
    key = {"Idempotency-Key": uuid.uuid4().hex}
    v.arm(kind="stall", n=1, seconds=2.5, writes=True, **(fault or {}))
    with pytest.raises(KomboAtsError):
        k.ats.create_application(job_id=job_id, candidate=candidate, http_headers=key, **body)
    assert v.state()["faults"] == []  # the stall was met
    return k.ats.create_application(job_id=job_id, candidate=candidate, http_headers=key, **body).data

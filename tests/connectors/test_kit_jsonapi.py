"""``kit.jsonapi``: JSON:API rows with their relationships resolved from ``included``, across pages."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.jsonapi import attrs, document, linked, linked_id, rows

PAGER = kit.NextUrl(path="links.next", size_param="page[size]", page_size=2)
API = kit.VendorApi("http://vendor.test/api", kit.HeaderKey("X-KEY", kit.Secret("key", "Key")), PAGER, "data")
INFO = IntegrationInfo("i", "tool", {}, {"key": "k"})
STAGE = {"type": "stages", "id": "9", "attributes": {"name": "Hired"}}


def test_rows_resolve_linkage_from_included() -> None:
    body = {
        "data": [
            {"id": "1", "type": "applications", "attributes": {"email": "a@x.io"},
             "relationships": {"stage": {"data": {"type": "stages", "id": "9"}},
                               "job": {"data": {"type": "jobs", "id": "4"}},
                               "tags": {"data": [{"type": "tags", "id": "t1"}, {"type": "tags", "id": "t2"}]},
                               "answers": {"meta": {"included": False}}, "owner": {"data": None}}},
            "not a resource",
        ],
        "included": [STAGE, {"type": "tags", "id": "t1", "attributes": {"name": "A"}}, {"type": "jobs"}],
    }  # fmt: skip
    (row,) = rows(body)
    assert linked(row, "stage") == STAGE and attrs(linked(row, "stage")) == {"name": "Hired"}
    assert linked(row, "job") == {"type": "jobs", "id": "4"} and linked_id(row, "job") == "4"  # not included
    assert [attrs(t).get("name") for t in linked(row, "tags")] == ["A", None]
    assert linked(row, "answers") is None and linked(row, "owner") is None and linked_id(row, "owner") is None
    assert rows({"data": STAGE})[0]["id"] == "9" and rows({"data": []}) == []


@pytest.mark.parametrize("body", [None, [], {"errors": [{"detail": "nope"}]}, "text"])
def test_anything_but_a_document_is_an_error(body: Any) -> None:
    with pytest.raises(RemoteError):
        rows(body)


def test_document_builds_request_bodies() -> None:
    assert document("comments", {"body_text": "hi"}, {"commentable": ("applications", "7")}) == {
        "data": {"type": "comments", "attributes": {"body_text": "hi"},
                 "relationships": {"commentable": {"data": {"type": "applications", "id": "7"}}}}}  # fmt: skip
    assert document("applications", {}, rid="3") == {"data": {"id": "3", "type": "applications", "attributes": {}}}


def test_the_source_resolves_each_pages_own_included_and_fetches_one_document() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-KEY"] == "k"
        if request.url.path == "/api/jobs/5":
            return httpx.Response(404, json={"errors": [{"status": "404"}]})
        if request.url.path == "/api/jobs/1":
            return httpx.Response(200, json={"data": {"id": "1", "type": "jobs"}})
        page = request.url.params.get("page[number]", "1")
        stage = {"type": "stages", "id": f"s{page}"}
        data = [{"id": f"j{page}", "type": "jobs", "relationships": {"stages": {"data": [stage]}}}]
        links = {"next": "http://vendor.test/api/jobs?page[number]=2&page[size]=2"} if page == "1" else {}
        return httpx.Response(200, json={"data": data, "included": [{**stage, "attributes": {"n": page}}],
                                         "links": links})  # fmt: skip

    async def go() -> tuple[list[Any], Any, Any]:
        client = API.client(INFO, httpx.MockTransport(handler))
        source = kit.JsonApiSource(API, client, {})
        try:
            found = await source.all_records("jobs", "/jobs", {"include": "stages"})
            return found, await source.document("/jobs/5"), await source.document("/jobs/1")
        finally:
            await client.aclose()

    found, missing, one = asyncio.run(go())
    assert [(r["id"], attrs(linked(r, "stages")[0])["n"]) for r in found] == [("j1", "1"), ("j2", "2")]
    assert missing is None and one["id"] == "1" and one["_linked"] == {}

"""``kit.BodyOffset`` (offset paging inside a search POST's JSON body) and its fake side."""

from __future__ import annotations

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.fakes.kit.body_offset import body_offset_page
from atsbridge.fakes.kit.errors import VendorError

PAGER = kit.BodyOffset(page_size=2)


def _answer(body: dict[str, object]) -> httpx.Response:
    return httpx.Response(200, json=body)


def test_offset_travels_in_the_body_beside_the_filter_until_total() -> None:
    first = PAGER.first(PageRequest("POST", "/jobpostings/search", json={"filter": {}}))
    assert first.json == {"filter": {}, "offset": 0, "limit": 2} and first.params is None
    page = {"total": 5, "entries": [{"id": 1}, {"id": 2}]}
    second = PAGER.next(first, _answer(page), page)
    assert second is not None and second.json == {"filter": {}, "offset": 2, "limit": 2}
    third = PAGER.next(second, _answer(page), page)
    assert third is not None and third.json is not None and third.json["offset"] == 4
    full_total = {"total": 4, "entries": [{"id": 3}, {"id": 4}]}
    assert PAGER.next(second, _answer(full_total), full_total) is None  # total reached: no empty extra page


def test_a_short_page_or_no_entries_ends_without_total() -> None:
    first = PAGER.first(PageRequest("POST", "/s", json=None))
    short = {"entries": [{"id": 1}]}
    assert PAGER.next(first, _answer(short), short) is None
    assert PAGER.next(first, _answer({}), {}) is None
    full = {"entries": [{"id": 1}, {"id": 2}]}
    following = PAGER.next(first, _answer(full), full)
    assert following is not None and following.json == {"offset": 2, "limit": 2}


def test_the_fake_side_slices_and_refuses_bad_positions() -> None:
    rows = list(range(5))
    assert body_offset_page({"offset": 3, "limit": 2}, rows) == {"total": 5, "entries": [3, 4]}
    assert body_offset_page({}, rows, default_size=2) == {"total": 5, "entries": [0, 1]}
    for bad in ({"offset": -1}, {"limit": 0}, {"limit": 101}, {"offset": "1"}, {"limit": True}):
        with pytest.raises(VendorError):
            body_offset_page(bad, rows)

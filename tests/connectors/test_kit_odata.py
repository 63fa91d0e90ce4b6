"""``kit.odata`` (connector side) and ``fakes.kit.odata`` (fake side): datetime literals, ``__next`` paging,
``/Date(...)/`` values, OData error bodies, upsert's per-row errors, and the fake's ``$filter`` reading."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.odata import date, error_body, parse_filter, shape

odata = kit.odata
TS = datetime(2019, 9, 7, 17, 4, 37, 120000, tzinfo=UTC)


def test_since_is_a_filter_with_a_datetime_literal_and_an_order() -> None:
    assert odata.since().params(TS) == {"$filter": "lastModifiedDateTime gt datetime'2019-09-07T17:04:37.120Z'"}
    assert odata.since(order=True).params(TS) == {
        "$filter": "lastModifiedDateTime gt datetime'2019-09-07T17:04:37.120Z'",
        "$orderby": "lastModifiedDateTime asc",
    }
    assert odata.quote("O'Hara") == "'O''Hara'"
    assert odata.params(expand=("a", "b"), select=()) == {"$expand": "a,b"}


def test_dates_both_forms_and_back() -> None:
    assert odata.parse_date("/Date(1568; )/") is None
    assert odata.parse_date("/Date(1567875877120)/") == TS == odata.parse_date("/Date(1567875877120+0000)/")
    assert odata.parse_date(odata.date_value(TS)) == TS and odata.parse_date(None) is None
    assert odata.date_iso("/Date(-1000)/") == "1969-12-31T23:59:59Z"


def test_next_url_paging() -> None:
    pager = odata.ODataNext(page_size=100)
    first = pager.first(PageRequest("GET", "/JobApplication", {"$filter": "x"}))
    assert first.params == {"$filter": "x", "$format": "json", "customPageSize": 100, "paging": "snapshot"}
    body = {"d": {"results": [], "__next": "https://h/odata/v2/JobApplication?$skiptoken=abc"}}
    nxt = pager.next(first, httpx.Response(200), body)
    assert nxt is not None and nxt.url.endswith("$skiptoken=abc") and nxt.params is None
    assert pager.next(first, httpx.Response(200), {"d": {"results": []}}) is None


def test_errors_and_upsert_rows() -> None:
    text = '{"error": {"code": "COE_PROPERTY_REQUIRED", "message": {"lang": "en-US", "value": "country is required"}}}'
    assert odata.error_message(text) == "COE_PROPERTY_REQUIRED: country is required"
    assert odata.error_message("<html>") == "<html>"
    assert odata.ODataErrors().text(httpx.Response(400, text=text)).endswith("country is required")
    ok = {"d": [{"key": "JobApplication/1", "status": "OK", "httpCode": 204}]}
    assert odata.upsert_rows(ok)[0]["status"] == "OK"
    with pytest.raises(RemoteError) as info:
        odata.upsert_rows({"d": [{"status": "ERROR", "message": "You are not allowed", "httpCode": 500}]})
    assert info.value.code == "REMOTE.INPUT_INVALID" and "You are not allowed" in info.value.message


def test_fake_filter_reading() -> None:
    old, new = date(TS, True), date(datetime(2020, 1, 1, tzinfo=UTC))
    rows = [{"id": "1", "name": "O'Hara", "lastModifiedDateTime": old, "flag": True},
            {"id": "22", "name": "B", "lastModifiedDateTime": new, "flag": None}]  # fmt: skip
    since = "lastModifiedDateTime gt datetime'2019-09-07T17:04:37.120Z'"
    assert [r["id"] for r in rows if parse_filter(since)(r)] == ["22"]
    assert [r["id"] for r in rows if parse_filter("lastModifiedDateTime ge datetime'2019-09-07T17:04:37.120'")(r)] == [
        "1", "22"]  # fmt: skip
    assert [r["id"] for r in rows if parse_filter("name eq 'O''Hara' or (id eq 22L and flag eq null)")(r)] == [
        "1", "22"]  # fmt: skip
    for broken in ("name eq", "name like 'x'", "(id eq 1", "lastModifiedDateTime gt datetime'yesterday'"):
        with pytest.raises(VendorError):
            parse_filter(broken)
    assert error_body(VendorError(404, "gone"))["error"] == {"code": "COE_RESOURCE_NOT_FOUND",
                                                             "message": {"lang": "en-US", "value": "gone"}}  # fmt: skip


def test_fake_shape_expands_or_defers() -> None:
    row = {"id": "1", "_hidden": 1}
    navs = {"items": lambda r: [{"x": 1}], "owner": lambda r: {"name": "a"}}
    out = shape(row, "https://h/odata/v2/Thing", "1L", navs, "items", None)
    assert out["items"] == {"results": [{"x": 1}]} and out["owner"] == {
        "__deferred": {"uri": "https://h/odata/v2/Thing(1L)/owner"}
    }
    assert "_hidden" not in out and out["__metadata"]["type"] == "SFOData.Thing"
    assert set(shape(row, "T", "1", navs, None, "id")) == {"__metadata", "id"}
    with pytest.raises(VendorError):
        shape(row, "T", "1", navs, "nope", None)

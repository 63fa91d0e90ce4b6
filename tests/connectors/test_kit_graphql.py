"""``kit.graphql``: the page-object pager (params become variables, 0-based pages, stop on a short page or
``totalElements``, a page without items fails), the query text, GraphQL errors in HTTP 200, and the fake side."""

from __future__ import annotations

import httpx
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.fakes.kit import graphql as fake
from atsbridge.fakes.kit.errors import VendorError


def _answer(n: int, total: int | None = None) -> dict[str, object]:
    return {"data": {"thingPage": {"totalElements": total, "items": [{"_id": str(i)} for i in range(n)]}}}


def test_params_become_variables_and_pages_count_from_zero() -> None:
    pager = kit.graphql.GraphQLPage("thingPage", page_size=2)
    first = pager.first(PageRequest("POST", "/graphql", {"qualifier": "a = 'b'"}, {"query": "q", "variables": {}}))
    assert first.params is None
    assert first.json == {"query": "q", "variables": {"qualifier": "a = 'b'", "pageable": {"page": 0, "size": 2}}}
    second = pager.next(first, httpx.Response(200), _answer(2))
    assert second is not None and second.json["variables"]["pageable"] == {"page": 1, "size": 2}
    assert second.json["variables"]["qualifier"] == "a = 'b'"
    assert pager.next(second, httpx.Response(200), _answer(1)) is None  # short page
    assert pager.next(first, httpx.Response(200), _answer(2, total=2)) is None  # totalElements reached
    with pytest.raises(RemoteError):
        pager.next(first, httpx.Response(200), {"data": {"thingPage": None}})


def test_query_text_and_listing_declaration() -> None:
    text = kit.graphql.page_query("crUserPage", "_id name", {"qualifier": "String"})
    assert text == (
        "query CrUserPage($pageable: Pageable, $qualifier: String) "
        "{ crUserPage(pageable: $pageable, qualifier: $qualifier) { totalElements items { _id name } } }"
    )
    read = kit.graphql.listed("/graphql", "crUserPage", "_id", since=kit.Since("qualifier"))
    assert read.method == "POST" and read.records_path == "data.crUserPage.items"
    assert isinstance(read.pager, kit.graphql.GraphQLPage) and read.body["query"].startswith("query CrUserPage")


def test_errors_in_an_http_200_are_errors() -> None:
    ok = {"data": {"x": 1}}
    kit.graphql.ERRORS.check(httpx.Response(200), ok)
    with pytest.raises(RemoteError) as info:
        kit.graphql.ERRORS.check(httpx.Response(200), fake.error_body("field 'nope' is undefined"))
    assert "nope" in str(info.value)
    with pytest.raises(RemoteError) as auth:
        kit.graphql.ERRORS.check(httpx.Response(200), fake.error_body("Unauthorized"))
    assert auth.value.status == 401


def test_the_fake_side_reads_the_root_field_and_serves_the_window() -> None:
    op = fake.operation({"query": "query P($pageable: Pageable) { crMatchPage(pageable: $pageable) { items { _id } } }",
                         "variables": {"pageable": {"page": 1, "size": 2}}})  # fmt: skip
    assert op.field == "crMatchPage"
    assert fake.operation({"query": "{ crUserPage { totalElements } }"}).field == "crUserPage"
    served = fake.page(op.field, list(range(5)), op.variables)
    assert served == {"data": {"crMatchPage": {"totalElements": 5, "items": [2, 3]}}}
    for bad in ({"query": 3}, {"query": "query {"}, {"query": "{ x }", "variables": []}):
        with pytest.raises(VendorError):
            fake.operation(bad)
    with pytest.raises(VendorError):
        fake.page("x", [], {"pageable": {"page": -1, "size": 2}})

"""The fake engine's page-number pager: a server-side cap shortens pages but never skips a record."""

from __future__ import annotations

from starlette.requests import Request

from atsbridge.fakes.kit.paging import PageNumber


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/x", "query_string": query.encode(), "headers": []})


def test_a_capped_page_size_skips_nothing_between_pages() -> None:
    pager = PageNumber(max_size=100)
    ordered = [(i, f"r{i}") for i in range(10)]
    served: list[str] = []
    for page in range(1, 6):
        rows, _ = pager.slice(pager.cursor(_request(f"page={page}&per_page=5")), ordered, cap=2)
        served += rows
    assert served == [f"r{i}" for i in range(10)]
    rows, following = pager.slice(pager.cursor(_request("page=2&per_page=5")), ordered, cap=None)
    assert rows == [f"r{i}" for i in range(5, 10)] and following is None


def test_slice_sorted_answers_what_slice_answers_for_every_position_filter_and_cap() -> None:
    """The bisecting pager (constant work per page) against the reference that filters the whole table."""
    import random

    from atsbridge.fakes.kit.paging import Cursor, LinkHeader

    rnd = random.Random(5)
    pagers = [LinkHeader(cursor_param="cursor", size_param="per_page", max_size=500), PageNumber(max_size=100)]
    for _ in range(300):
        pager = pagers[rnd.randrange(2)]
        ids = sorted(rnd.sample(range(1000), rnd.randrange(0, 40)), reverse=True)  # ids descending, as Greenhouse
        wanted = rnd.choice([lambda i: True, lambda i: i % 2 == 0, lambda i: i % 7 == 3])
        size, cap = rnd.randrange(1, 8), rnd.choice([None, 1, 3])
        after = None if rnd.random() < 0.3 or not ids else ((-rnd.choice(ids),))
        cursor = Cursor({}, size, after=after, index=0 if after is not None else rnd.choice([0, 0, size]))
        reference = pager.slice(cursor, [((-i,), i) for i in ids if wanted(i)], cap)
        assert pager.slice_sorted(cursor, ids, lambda i: (-i,), wanted, cap) == reference

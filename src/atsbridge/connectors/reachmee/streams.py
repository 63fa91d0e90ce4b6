"""ReachMee streams: users and roles from the admin API, jobs from the public job feed. No updated-since filter
and no deletion feed exist [conn]: every sync lists everything (a few requests), and the engine's deletion
detection after a complete listing finds what left (an unpublished job, a deleted user)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.reachmee import mappers as m
from atsbridge.connectors.reachmee.api import USERS_PAGER

Raw = dict[str, Any]


def _setting(source: kit.KitSource, key: str, default: str = "") -> str:
    value = str(source.config.get(key) or default).strip()
    if not value:
        raise RemoteError("REMOTE.INPUT_INVALID", f"the ReachMee integration has no {key}: reconnect it")
    return value


async def read_feed(source: kit.KitSource, since: Any) -> AsyncIterator[list[Raw]]:
    """``GET /feed/{feed_id}?lang=&customer=&format=json&feed_key=``: one array of ads, grouped into jobs."""
    credentials = source.info.credentials if source.info is not None else source.config
    params = {"lang": _setting(source, "lang", "SE"), "customer": _setting(source, "customer"),
              "format": "json", "feed_key": str(credentials.get("feed_key") or "")}  # fmt: skip
    feed_id = _setting(source, "feed_id")
    if not feed_id.isalnum():
        raise RemoteError("REMOTE.INPUT_INVALID", "the ReachMee job feed id must be letters and digits only")
    ads = await source.all_records("feed", f"/feed/{feed_id}", params)
    yield m.group_ads(ads)


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/users", pager=USERS_PAGER, records_path="result")),
    kit.stream("roles", "roles", m.map_role, kit.Listed("/roles")),
    kit.stream("jobs", "jobs", m.map_job, kit.Custom(read_feed, reason=(
        "the feed's path and query come from the integration (feed id, customer, language, feed key), and its "
        "ads are grouped into one job per ReachMee project"))),
)  # fmt: skip

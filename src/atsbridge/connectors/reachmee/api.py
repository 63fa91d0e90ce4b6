"""ReachMee's public API v1 (``https://{site}.reachmee.com/api/public/v1``), declared once.

Two credentials on one host [conn]: the **admin API** (``/users``, ``/roles``, ``/orgunits``) takes HTTP
Basic ``apiUserName:apiKey``; the **public job feed** (``/feed/{feed_id}``) takes no header but a ``feed_key``
query parameter (plus ``customer``, ``lang`` and ``format=json``). Basic is the client's auth; the feed
stream adds its key itself (``streams.read_feed``), so the feed key is never sent to the admin API.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField

Raw = dict[str, Any]

#: ``{"pages", "total_count", "result": [...], "prev", "next"}``: ``next`` is a ready-made URL, null on the last
#: page (the ColigoAB client follows it) [conn]. 50 is the only page size seen in client code [conn].
USERS_PAGER = kit.NextUrl(path="next", size_param="page_size", page_size=50)

API = kit.VendorApi(
    base_url="https://{site}.reachmee.com/api/public/v1",
    auth=kit.Basic(
        kit.Text("api_user", "API user name", help="The admin API user ReachMee (Talentech) issued for you."),
        kit.Secret("api_key", "API key", help="The key that goes with the API user name."),
    ),
    pager=kit.Single(),  # the feed, /roles and /orgunits answer plain arrays [conn]
    records_path=None,
    rate=kit.RatePolicy(5, 1.0),  # no limit published [gap]: a polite default, raised per integration
    headers=(("Accept", "application/json"),),
    passthrough="public",
)

#: The Connect form's fields beyond the Basic pair: the customer's numbered site host and the job feed.
FORM = (
    FormField("site", "Site host", target="config", placeholder="site106",
              help="The first part of your ReachMee address: site106 for https://site106.reachmee.com."),
    FormField("customer", "Customer id", target="config", placeholder="1234",
              help="The customer id in your job feed URL (…&customer=1234&…)."),
    FormField("feed_id", "Job feed id", target="config", placeholder="5",
              help="The feed id in your job feed URL (/api/public/v1/feed/5?…)."),
    FormField("lang", "Feed language", target="config", required=False, default="SE", placeholder="SE",
              help="The feed's lang parameter (SE, NO, EN...); jobs are read in this language."),
    kit.Secret("feed_key", "Job feed key", help="The feed_key parameter of your job feed URL."),
)  # fmt: skip

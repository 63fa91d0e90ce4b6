"""The Umantis API declared once: ``https://{subdomain}.umantis.com/api/v1``, JSON:API, one API key.

Abacus Umantis and Haufe Umantis are the same product and the same API (Kombo's passthrough table gives both
tool keys the same host and Swagger) [3p]; :data:`API` serves both declarations.
"""

from __future__ import annotations

from atsbridge.connectors import kit

#: The only media type the API accepts, without parameters ("MUST" in the Umantis help) [doc].
MEDIA_TYPE = "application/vnd.api+json"
PAGE_SIZE = 100
#: What an application listing side-loads (relationships carry linkage only for included resources).
APPLICATION_INCLUDE = "person,job,stage"

API = kit.VendorApi(
    base_url="https://{subdomain}.umantis.com/api/v1",
    # The help names an ``Authorization`` header but its "Authentifizierung" section was not stored [gap]: the
    # key is sent as a bearer token, the most common reading of a key in ``Authorization``.
    auth=kit.Bearer(
        kit.Secret(
            "api_key",
            "API key",
            help="Settings > Basic settings > API: activate the Umantis API, accept the terms, create a key.",
        )
    ),
    # JSON:API paging: the next page's full URL in ``links.next`` [doc, generic]; page[size] [gap]
    pager=kit.NextUrl(path="links.next", size_param="page[size]", page_size=PAGE_SIZE),
    records_path="data",
    # no published limit [gap]: a modest pace, raised per integration (``requests_per_second``)
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    headers=(("Accept", MEDIA_TYPE), ("Content-Type", MEDIA_TYPE)),
    timeout_seconds=30.0,
)

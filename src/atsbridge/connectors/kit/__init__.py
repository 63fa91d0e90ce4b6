"""The connector kit: an ATS is a typed declaration plus pure mappers (see docs/connectors.md).

Import everything a vendor folder needs from here::

    from atsbridge.connectors import kit

    API = kit.VendorApi(base_url=..., auth=kit.Basic(kit.Secret("api_key", "API key")), pager=..., ...)
    STREAMS = (kit.stream("users", "users", m.map_user, kit.Listed("/users")), ...)
    CONNECTOR = kit.declare(tool=..., label=..., api=API, streams=STREAMS, probe=kit.Probe("/users"), ...)
"""

from atsbridge.connectors.actions import UnknownOutcome, WriteCall, WriteResult
from atsbridge.connectors.http.paginators import (
    BodyPage,
    BodyToken,
    HeaderPages,
    LinkHeader,
    NextUrl,
    Offset,
    PageNumber,
    Single,
)
from atsbridge.connectors.inbound import (
    HmacBody,
    HmacTimestampedBody,
    PathTokenOnly,
    Registered,
    Touch,
    WebhookRefused,
    Webhooks,
    body_id,
    header_id,
    id_at,
    with_deletion,
)
from atsbridge.connectors.kit import graphql, jsonapi, jsonrpc, odata, soap, soql
from atsbridge.connectors.kit.api import RatePolicy, Restart, VendorApi
from atsbridge.connectors.kit.auth import (
    Basic,
    Bearer,
    HeaderKey,
    JsonClientCredentials,
    OAuthClientCredentials,
    OneKey,
    QueryKey,
    RefreshToken,
    Secret,
    SessionLogin,
    Text,
)
from atsbridge.connectors.kit.body_offset import BodyOffset
from atsbridge.connectors.kit.by_id import ById
from atsbridge.connectors.kit.concurrency import bounded
from atsbridge.connectors.kit.connect import ConnectForm, Probe
from atsbridge.connectors.kit.connector import declare, opener
from atsbridge.connectors.kit.deletions import DeletionFeed, id_field
from atsbridge.connectors.kit.download import Download, fetch_signed
from atsbridge.connectors.kit.either import Either
from atsbridge.connectors.kit.errors import ErrorShape
from atsbridge.connectors.kit.jobs import AsyncJob
from atsbridge.connectors.kit.jsonapi import JsonApiSource, jsonapi_opener
from atsbridge.connectors.kit.lookups import Lookup, Memo, Publish, row
from atsbridge.connectors.kit.ndjson import NdjsonPages, read_ndjson
from atsbridge.connectors.kit.order import StreamOrderError, ordered
from atsbridge.connectors.kit.pathpage import PathPage, as_list
from atsbridge.connectors.kit.query_login import QueryLogin
from atsbridge.connectors.kit.reads import (
    API_DEFAULT,
    Attach,
    Custom,
    Derived,
    Detail,
    Enrich,
    FanOut,
    Listed,
    Position,
    Read,
    Static,
    Step,
)
from atsbridge.connectors.kit.registration import delete_each, made_id, undo_on_failure
from atsbridge.connectors.kit.saml import SamlBearer
from atsbridge.connectors.kit.search import DailyQuota, QuotaExhausted, SearchBody, SearchThenFetch, search_then_fetch
from atsbridge.connectors.kit.session import OAuthSession
from atsbridge.connectors.kit.since import BodySince, Since, SyncToken, epoch_ms, epoch_s, iso, iso_ms, template
from atsbridge.connectors.kit.source import KitSource
from atsbridge.connectors.kit.stage_request import move_to_requested_stage, requested_stage
from atsbridge.connectors.kit.streams import KitStream, lookup_only, resolve, stream
from atsbridge.connectors.kit.submitted import as_submitted
from atsbridge.connectors.kit.values import (
    any_text,
    dict_obj,
    dicts,
    guess_content_type,
    json_number,
    number,
    numeric_id,
    obj,
    scalar_text,
    split_name,
    text,
)
from atsbridge.connectors.kit.window import DateWindow
from atsbridge.connectors.kit.write_table import WriteTable
from atsbridge.connectors.kit.writes import (
    Write,
    create_request,
    missing_tag_warning,
    result_link_text,
    result_link_warning,
    same_tag,
    tracked_id,
    with_tag,
    without_tag,
    writes,
)
from atsbridge.connectors.outcomes import Outcome, OutcomeRule

__all__ = [
    "any_text", "API_DEFAULT", "as_list", "as_submitted", "AsyncJob", "Attach", "Basic", "Bearer", "body_id",
    "BodyOffset", "BodyPage", "BodySince", "BodyToken", "bounded", "ById", "ConnectForm", "create_request", "Custom",
    "DailyQuota", "DateWindow", "declare", "delete_each", "DeletionFeed", "Derived", "Detail", "dict_obj", "dicts",
    "Download", "Either", "Enrich", "epoch_ms", "epoch_s", "ErrorShape", "FanOut", "fetch_signed", "graphql",
    "guess_content_type", "header_id", "HeaderKey", "HeaderPages", "HmacBody", "HmacTimestampedBody", "id_at",
    "id_field", "iso", "iso_ms", "json_number", "jsonapi", "jsonapi_opener", "JsonApiSource", "JsonClientCredentials",
    "jsonrpc", "KitSource", "KitStream", "LinkHeader", "Listed", "Lookup", "lookup_only", "made_id", "Memo",
    "missing_tag_warning", "move_to_requested_stage", "NdjsonPages", "NextUrl", "number", "numeric_id",
    "OAuthClientCredentials", "OAuthSession", "obj", "odata", "Offset", "OneKey", "opener", "ordered", "Outcome",
    "OutcomeRule", "PageNumber", "PathPage", "PathTokenOnly", "Position", "Probe", "Publish", "QueryKey", "QueryLogin",
    "QuotaExhausted", "RatePolicy", "Read", "read_ndjson", "RefreshToken", "Registered", "requested_stage", "resolve",
    "Restart", "result_link_text", "result_link_warning", "row", "same_tag", "SamlBearer", "scalar_text",
    "search_then_fetch", "SearchBody", "SearchThenFetch", "Secret", "SessionLogin", "Since", "Single", "soap", "soql",
    "split_name", "Static", "Step", "stream", "StreamOrderError", "SyncToken", "template", "Text", "text", "Touch",
    "tracked_id", "undo_on_failure", "UnknownOutcome", "VendorApi", "WebhookRefused", "Webhooks", "with_deletion",
    "with_tag", "without_tag", "Write", "WriteCall", "WriteResult", "writes", "WriteTable",
]  # fmt: skip

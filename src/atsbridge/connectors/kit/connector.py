"""``declare``: a vendor's declaration in, the engine's :class:`~atsbridge.connectors.base.Connector` out, with
everything that can be derived derived: stream order, capabilities, the Connect form and check, passthrough,
downloads and the source."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from atsbridge.connectors.actions import Action
from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.catalog import WRITE_ACTIONS
from atsbridge.connectors.inbound import Webhooks
from atsbridge.connectors.kit.api import VendorApi, placeholders
from atsbridge.connectors.kit.connect import ConnectForm, Probe, connect_spec
from atsbridge.connectors.kit.deletions import DeletionFeed
from atsbridge.connectors.kit.download import Download, Downloader
from atsbridge.connectors.kit.source import KitSource
from atsbridge.connectors.kit.streams import KitStream, resolve
from atsbridge.connectors.outcomes import OutcomeRule
from atsbridge.model.registry import MODELS

OpenSource = Callable[[IntegrationInfo], KitSource]


def opener(api: VendorApi, streams: Sequence[KitStream], deletions: Sequence[DeletionFeed] = ()) -> OpenSource:
    """``Connector.open``: a :class:`KitSource` with the integration's client, streams and saved tokens."""
    ordered = resolve(streams)

    def open_source(info: IntegrationInfo) -> KitSource:
        return KitSource(
            api, api.client(info), info.config, streams=ordered, deletion_feeds=deletions,
            sync_tokens=info.stream_state, info=info,
        )  # fmt: skip

    return open_source


def declare(
    *,
    tool: str,
    label: str,
    api: VendorApi,
    streams: Sequence[KitStream],
    probe: Probe,
    connect: ConnectForm | None = None,
    writes: Mapping[str, Action] | None = None,
    filters: Mapping[str, frozenset[str]] | None = None,
    deletions: Sequence[DeletionFeed] = (),
    download: Download | Downloader | None = None,
    outcomes: OutcomeRule | None = None,
    unavailable: Mapping[str, str] | None = None,
    webhooks: Webhooks | None = None,
) -> Connector:
    """The connector. ``filters``: model -> the filter params its data supports (models not named support
    every filter). Capabilities' models are the streams' models; its actions are the write table's keys.
    ``download``: a declared :class:`Download`, or a function for what cannot be declared (signed URLs).
    ``unavailable``: model or write action -> one line on why the vendor's API cannot serve it (the README
    matrix and ``GET /v1/tools/ats`` show it; naming something the connector does serve is an error)."""
    ordered = resolve(streams)
    actions = dict(writes or {})
    models = frozenset(m for s in ordered for m in s.models)
    unknown = set(filters or {}) - models
    if unknown:
        raise ValueError(f"{tool}: filters name models no stream fills: {', '.join(sorted(unknown))}")
    reasons = dict(unavailable or {})
    strange = set(reasons) - set(MODELS) - set(WRITE_ACTIONS)
    if strange:
        raise ValueError(f"{tool}: unavailable names no model or write action: {', '.join(sorted(strange))}")
    served = (models | frozenset(actions)) & set(reasons)
    if served:
        raise ValueError(f"{tool}: declared unavailable but served: {', '.join(sorted(served))}")
    form = connect or ConnectForm()
    asked = {f.key for f in (*api.auth.fields, *form.extra) if f.target == "config"}
    unasked = [key for key in placeholders(api.base_url) if key not in asked]
    if unasked:
        raise ValueError(f"{tool}: the base URL names config keys the Connect form does not ask for: {unasked}")
    return Connector(
        tool=tool,
        label=label,
        streams=ordered,
        capabilities=Capabilities(
            models=models, filters=dict(filters or {}), actions=frozenset(actions), unavailable=reasons
        ),
        open=opener(api, ordered, deletions),
        deletion_feed=bool(deletions),
        actions=actions,
        download=download.bind(api) if isinstance(download, Download) else download,
        connect=connect_spec(label, api, form, probe),
        passthrough=(PassthroughApi(api.passthrough, api.client),),
        outcomes=outcomes,
        webhooks=webhooks,
    )

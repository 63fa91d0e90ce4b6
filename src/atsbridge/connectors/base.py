"""What a connector is: typed data (streams, capabilities) plus small pure mapper functions.

The sync engine asks a connector's :class:`Source` for pages of *vendor* records per stream, and the
stream's mapper turns each vendor record into unified records. Pagination, retries and rate limits live in
shared code (for HTTP connectors); mappers never touch the network or the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import ValidationError
from sqlalchemy import Engine

from atsbridge.connectors.inbound import Webhooks
from atsbridge.connectors.outcomes import Outcome, OutcomeRule
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import parse_ts, to_utc
from atsbridge.model.record import UnifiedRecord
from atsbridge.model.registry import MODELS


class MappingError(ValueError):
    """A vendor record could not be mapped; carries the model and remote id for the sync log."""


@dataclass(frozen=True)
class MapContext:
    """Everything a mapper may know besides the vendor record: which integration it maps for."""

    integration_id: str
    #: The integration's status -> outcome override (normalised keys; see :mod:`atsbridge.connectors.outcomes`).
    status_map: Mapping[str, str] = field(default_factory=dict)

    def outcome(
        self, rule: OutcomeRule, status: object | None, *, stage: object | None = None, names: tuple[object, ...] = ()
    ) -> Outcome:
        """The application outcome by the connector's ``rule``, the integration's override first."""
        return rule.decide(status, stage=stage, override=self.status_map, names=names)

    def ref(self, model: str, remote_id: object | None) -> str | None:
        """The unified id of a related record, without looking it up (ids are deterministic)."""
        if remote_id is None or remote_id == "":
            return None
        return record_id(self.integration_id, model, str(remote_id))

    def dt(self, value: object | None) -> datetime | None:
        if value is None or value == "":
            return None
        if type(value) is str:  # the common case first
            return parse_ts(value)
        if isinstance(value, datetime):
            return to_utc(value)
        if isinstance(value, int | float):
            seconds = value / 1000 if value > 10**11 else value  # epoch millis (Lever) or seconds
            from datetime import UTC

            return datetime.fromtimestamp(seconds, UTC)
        return parse_ts(str(value))

    def record(
        self,
        model: str,
        remote_id: object,
        fields: Mapping[str, Any],
        nested: Mapping[str, Any] | None = None,
    ) -> UnifiedRecord:
        """Validate a mapper's output against the model and freeze it into a :class:`UnifiedRecord`."""
        spec = MODELS[model]
        rid = str(remote_id)
        try:
            # The compiled validator and serializer directly: the same work as ``model_validate(...)
            # .model_dump(mode="json")`` without pydantic's Python wrappers (every record of every sync).
            own_model = spec.fields
            own = own_model.__pydantic_serializer__.to_python(
                own_model.__pydantic_validator__.validate_python(fields), mode="json"
            )
            nested_json = None
            if spec.nested is not None:
                nested_model = spec.nested
                nested_json = nested_model.__pydantic_serializer__.to_python(
                    nested_model.__pydantic_validator__.validate_python(nested or {}), mode="json"
                )
        except ValidationError as exc:
            raise MappingError(f"{model} {rid}: {exc.errors(include_url=False)}") from exc
        return UnifiedRecord(model, record_id(self.integration_id, model, rid), rid, own, nested_json)


Mapper = Callable[[dict[str, Any], MapContext], Iterable[UnifiedRecord]]


@dataclass(frozen=True)
class Stream:
    """One vendor listing. ``models`` are the unified models it fills completely when listed in full."""

    name: str
    models: tuple[str, ...]
    mapper: Mapper
    #: The vendor offers an ``updated since`` filter for this listing (else delta syncs re-list it).
    incremental: bool = True
    #: Streams that must be listed before this one (their lookups or parent rows feed it); the engine orders
    #: streams by these, keeping declaration order otherwise. The kit fills it from the declared lookups.
    depends_on: tuple[str, ...] = ()

    def reads_one(self) -> bool:
        """Whether the source can read one of its records by remote id (:class:`ReadsOne`), which is how a
        webhook's deletion is checked with the vendor before it is applied."""
        return False


@dataclass(frozen=True)
class Capabilities:
    """What the tool can do: drives ``ignore_unsupported_filters``, MODEL/ACTION_NOT_AVAILABLE and /tools."""

    models: frozenset[str]
    #: model -> filter params the tool's data supports. Models not listed support every filter.
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    actions: frozenset[str] = frozenset()
    #: model or write action -> why the vendor's API cannot serve it (shown by ``/tools`` and the matrix).
    unavailable: Mapping[str, str] = field(default_factory=dict)

    def supports_filter(self, model: str, param: str) -> bool:
        allowed = self.filters.get(model)
        return allowed is None or param in allowed


@dataclass
class Deletions:
    """Remote ids a vendor reports deleted (a deletion feed), per unified model."""

    by_model: dict[str, list[str]] = field(default_factory=dict)


class Source(Protocol):
    """A live connection to one integration's ATS (one per sync run)."""

    def read(self, stream: Stream, since: datetime | None) -> AsyncIterator[list[dict[str, Any]]]:
        """Pages of vendor records; ``since`` set means only records changed after it (delta)."""
        ...

    async def deletions(self, since: datetime | None) -> Deletions:
        """Records the vendor says were deleted after ``since`` (empty when it has no such feed)."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class ReadsOne(Protocol):
    """A source that can read one record of a stream whose :meth:`Stream.reads_one` is true."""

    async def read_one(self, stream: Stream, remote_id: str) -> list[dict[str, Any]] | None:
        """The record as a one-row page ready for the stream's mapper; None only when the vendor answers that
        it no longer exists. Any other failure raises."""
        ...


@dataclass(frozen=True)
class IntegrationInfo:
    """What a connector needs to open a source: ids, non-secret config and decrypted credentials."""

    id: str
    tool: str
    config: Mapping[str, Any]
    credentials: Mapping[str, Any]
    #: Only for the built-in sandbox, whose ATS state lives in atsbridge's own database.
    engine: Engine | None = None
    #: Persist rotated credentials (new refresh tokens) at once, encrypted.
    save_credentials: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    #: Vendor cursors saved by earlier runs (e.g. Ashby sync tokens), stream -> token. A source that wants
    #: tokens kept leaves the new ones in ``source.state["sync_tokens"]``; the engine stores each one only
    #: after everything its stream listed has committed.
    stream_state: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FormField:
    """One input of a tool's credential form on the hosted Connect page."""

    key: str
    label: str
    #: text, secret (never echoed back), url, or select (``options``).
    kind: str = "text"
    #: Where the value goes: the sealed ``credentials`` or the plain, non-secret ``config``.
    target: str = "credentials"
    required: bool = True
    help: str = ""
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""
    #: A vendor host override (base URL, token URL): shown and accepted only when custom hosts are allowed
    #: (development mode or ``ATSBRIDGE_CONNECT_ALLOW_CUSTOM_HOSTS``), never in production (SSRF).
    advanced: bool = False


@dataclass(frozen=True)
class ConnectSpec:
    """How an end customer connects the tool: the form, and a live call proving the credentials work.

    ``verify`` raises :class:`~atsbridge.connectors.http.errors.RemoteError` (or ``ValueError``) with a
    message written for the end customer ("the API key was refused: check it has the Jobs scope").
    """

    fields: tuple[FormField, ...]
    verify: Callable[[IntegrationInfo], Awaitable[None]]
    guide_url: str | None = None
    #: Short markdown/plain instructions shown above the form.
    instructions: str = ""


@dataclass(frozen=True)
class PassthroughApi:
    """One vendor API reachable through ``POST /v1/passthrough/{tool}/{api}``.

    ``client`` builds the authenticated client (the connector's own, so auth and rate limits are shared
    code); its base URL is the only host requests may reach.
    """

    api: str
    client: Callable[[IntegrationInfo], Any]


@dataclass(frozen=True)
class Connector:
    tool: str
    label: str
    streams: tuple[Stream, ...]
    capabilities: Capabilities
    open: Callable[[IntegrationInfo], Source]
    #: The vendor has a deletion feed, so delta syncs can see deletions too.
    deletion_feed: bool = False
    #: Write actions by contract name (``create_application``, ``move_application_to_stage``...). Each gets the
    #: source ``open`` returned and a :class:`~atsbridge.connectors.actions.WriteCall`.
    actions: Mapping[str, Callable[[Any, Any], Awaitable[Any]]] = field(default_factory=dict)
    #: Fetch one attachment's bytes live: (content, file name, MIME type), or None when it is gone.
    download: Callable[[IntegrationInfo, str], Awaitable[tuple[bytes, str, str] | None]] | None = None
    #: The hosted Connect page's form and credential check (None: not connectable through Connect).
    connect: ConnectSpec | None = None
    #: Vendor APIs for passthrough requests, by the contract's ``{api}`` key.
    passthrough: tuple[PassthroughApi, ...] = ()
    #: The default application outcome rule (an integration's ``config["status_map"]`` overrides it).
    outcomes: OutcomeRule | None = None
    #: How the vendor pushes changes (None: it does not, or the connector does not ingest them yet).
    webhooks: Webhooks | None = None

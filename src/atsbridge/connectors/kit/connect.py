"""The hosted Connect page, derived: the form is the auth's fields plus declared extras (and the base URL
as an advanced field), the live check is one declared cheap request with the vendor's refusal explained."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.http.probe import Explain, probe
from atsbridge.connectors.kit.api import VendorApi


@dataclass(frozen=True)
class Probe:
    """The credential check: one request without retries. The texts complete "<Label> refused ..." and
    friends for the admin in front of the form."""

    path: str
    params: Mapping[str, Any] = field(default_factory=dict)
    method: str = "GET"
    json: Any = None
    #: Which fields are likely wrong on a 401 ("this API key").
    refused: str = "these credentials"
    forbidden: str = ""
    not_found: str = ""
    #: Answer bodies that mean "bad credentials" whatever the status.
    refused_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConnectForm:
    """What the Connect page shows besides the auth fields."""

    instructions: str = ""
    guide_url: str | None = None
    extra: tuple[FormField, ...] = ()
    #: Offer ``base_url`` as an advanced field (shown only when custom hosts are allowed).
    base_url_field: bool = True


def connect_spec(label: str, api: VendorApi, form: ConnectForm, check: Probe) -> ConnectSpec:
    how = Explain(label, check.refused, check.forbidden, check.not_found, check.refused_when)

    async def verify(info: IntegrationInfo) -> None:
        await probe(
            api.client(info), check.path, how, method=check.method, params=dict(check.params) or None, json=check.json
        )

    fields = [*api.auth.fields, *form.extra]
    if form.base_url_field:
        fields.append(
            FormField(
                "base_url", "API base URL", kind="url", target="config", required=False, advanced=True,
                placeholder=api.base_url,
            )
        )  # fmt: skip
    fields.extend(api.auth.advanced_fields)
    return ConnectSpec(tuple(fields), verify, form.guide_url, form.instructions)

"""Two ways to authenticate, one Connect form: vendors that issue either kind of credential (iCIMS: a Basic
user and password, or an OAuth2 client id and secret) let the admin fill in whichever they were given."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import httpx

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.kit.auth import Auth, credential


@dataclass(frozen=True)
class Either:
    """``first`` unless every field of ``second`` is filled and ``first``'s are not. The form shows both sets,
    each optional (their help says which pair goes together); a form with neither set filled reaches the
    vendor with blank credentials, whose refusal the Connect check explains."""

    first: Auth
    second: Auth
    #: Shown in front of each set's fields ("Basic: ", "OAuth2: ").
    labels: tuple[str, str] = ("", "")

    @property
    def fields(self) -> tuple[FormField, ...]:
        def optional(field: FormField, label: str) -> FormField:
            text = f"{label}{field.help}" if field.help else label.strip().rstrip(":")
            return dataclasses.replace(field, required=False, help=text.strip())

        return (*(optional(f, self.labels[0]) for f in self.first.fields),
                *(optional(f, self.labels[1]) for f in self.second.fields))  # fmt: skip

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return (*self.first.advanced_fields, *self.second.advanced_fields)

    def chosen(self, info: IntegrationInfo) -> Auth:
        def filled(auth: Auth) -> bool:
            return all(credential(info, f) for f in auth.fields)

        return self.second if filled(self.second) and not filled(self.first) else self.first

    def build(
        self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None
    ) -> httpx.Auth | None:
        return self.chosen(info).build(info, base_url, transport)

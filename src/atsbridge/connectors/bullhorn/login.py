"""Bullhorn Login: the same connector as ``bullhorn``, authorised with the API user's name and password
(atsbridge performs the OAuth authorization-code step itself, ``action=Login``): see the package docstring."""

from __future__ import annotations

from atsbridge.connectors.bullhorn import declare
from atsbridge.connectors.bullhorn.api import LOGIN_API

CONNECTOR = declare(
    "bullhornlogin",
    "Bullhorn Login",
    LOGIN_API,
    "Ask Bullhorn Support for REST API credentials "
    "(client ID and secret) and an API user; enter the user's name and password.",
)

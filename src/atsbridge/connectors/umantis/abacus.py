"""Abacus Umantis: the same product and API as Haufe Umantis (see the package docstring), its own tool key."""

from __future__ import annotations

from atsbridge.connectors.umantis import declare

CONNECTOR = declare("abacusumantis", "Abacus Umantis")

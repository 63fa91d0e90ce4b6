"""ReachMee write actions: none.

The documented writes are admin-API ones (create users and org units, assign roles) [conn], which no unified
action carries. Creating candidates and applications goes through ReachMee's ATS object API, whose paths,
OAuth token URL and bodies are not public [3p: unified.to, Kombo]; a guessed endpoint would fail for every
customer, so nothing is built and the connector declares each write ``unavailable`` with that reason.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action

ACTIONS: dict[str, Action] = kit.writes()

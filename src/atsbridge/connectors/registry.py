"""The built-in connectors by tool key, imported lazily so one broken connector cannot stop the API."""

from __future__ import annotations

import importlib

from atsbridge.connectors.base import Connector

#: tool key -> module that defines ``CONNECTOR``.
BUILTIN: dict[str, str] = {
    "sandbox": "atsbridge.connectors.sandbox",
    "greenhouse": "atsbridge.connectors.greenhouse",
    "homerun": "atsbridge.connectors.homerun",
    "join": "atsbridge.connectors.join",
    "lever": "atsbridge.connectors.lever",
    "workable": "atsbridge.connectors.workable",
    "ashby": "atsbridge.connectors.ashby",
    "teamtailor": "atsbridge.connectors.teamtailor",
    "recruitee": "atsbridge.connectors.recruitee",
    "bamboohr": "atsbridge.connectors.bamboohr",
    "smartrecruiters": "atsbridge.connectors.smartrecruiters",
    "personio": "atsbridge.connectors.personio",
    "icims": "atsbridge.connectors.icims",
    "workday": "atsbridge.connectors.workday",
    "oracle": "atsbridge.connectors.oracle",
    "comeet": "atsbridge.connectors.comeet",
    "fountain": "atsbridge.connectors.fountain",
    "jobdiva": "atsbridge.connectors.jobdiva",
    "jazzhr": "atsbridge.connectors.jazzhr",
    "jobvite": "atsbridge.connectors.jobvite",
    "zohorecruit": "atsbridge.connectors.zohorecruit",
    "pinpoint": "atsbridge.connectors.pinpoint",
    "breezyhr": "atsbridge.connectors.breezyhr",
    "bullhorn": "atsbridge.connectors.bullhorn",
    "bullhornlogin": "atsbridge.connectors.bullhorn.login",
    "connexys": "atsbridge.connectors.connexys",
    "afas": "atsbridge.connectors.afas",
    "dvinci": "atsbridge.connectors.dvinci",
    "welcometothejungle": "atsbridge.connectors.welcometothejungle",
    "successfactors": "atsbridge.connectors.successfactors",
    "softgarden": "atsbridge.connectors.softgarden",
    "eploy": "atsbridge.connectors.eploy",
    "taleez": "atsbridge.connectors.taleez",
    "flatchr": "atsbridge.connectors.flatchr",
    "ukgpro": "atsbridge.connectors.ukgpro",
    "hrworks": "atsbridge.connectors.hrworks",
    "cornerstonetalentlink": "atsbridge.connectors.cornerstonetalentlink",
    "otys": "atsbridge.connectors.otys",
    "carerix": "atsbridge.connectors.carerix",
    "umantis": "atsbridge.connectors.umantis",
    "abacusumantis": "atsbridge.connectors.umantis.abacus",
    "onlyfy": "atsbridge.connectors.onlyfy",
    "talentsoft": "atsbridge.connectors.talentsoft",
    "talentsoftcustomer": "atsbridge.connectors.talentsoftcustomer",
    "sagehr": "atsbridge.connectors.sagehr",
    "traffit": "atsbridge.connectors.traffit",
    "bite": "atsbridge.connectors.bite",
    "reachmee": "atsbridge.connectors.reachmee",
    "cornerstoneondemand": "atsbridge.connectors.cornerstoneondemand",
    "erecruiter": "atsbridge.connectors.erecruiter",
}

#: Kombo's keys for a vendor API one of our connectors speaks (atsbridge's Greenhouse *is* Harvest v3).
TOOL_ALIASES: dict[str, str] = {"greenhousev3": "greenhouse", "oraclerecruiting": "oracle"}

_loaded: dict[str, Connector] = {}


def get_connector(tool: str) -> Connector:
    if tool not in _loaded:
        module = importlib.import_module(BUILTIN[tool])
        _loaded[tool] = module.CONNECTOR
    return _loaded[tool]


def known_tools() -> list[str]:
    return sorted(BUILTIN)

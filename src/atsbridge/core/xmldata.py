"""XML as plain data, parsed safely: shared by SOAP connectors (``connectors.kit.soap``) and their fakes.

:func:`parse` refuses what ``defusedxml`` refuses by default (DTDs and entity declarations: billion laughs,
external entities) and oversized documents, then parses with ``xml.etree.ElementTree`` (never regular
expressions); :func:`to_dict` turns an element into plain data (namespaces dropped, attributes as ``@name``,
the text of an element with attributes as ``#text``, repeated children as lists: :func:`many` reads either);
:func:`to_xml` is its inverse, every tag and attribute in one namespace.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

#: Documents larger than this are refused rather than parsed.
MAX_XML_BYTES = 64 * 1024 * 1024

Raw = dict[str, Any]


class XmlRefused(ValueError):
    """Not usable XML: malformed, cut off, too large, not UTF-8, or declaring a DTD or entities."""


def parse(data: bytes) -> ET.Element:
    """The document's root, or :class:`XmlRefused`."""
    if len(data) > MAX_XML_BYTES:
        raise XmlRefused(f"{len(data)} bytes is over the {MAX_XML_BYTES} byte cap")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise XmlRefused("not UTF-8") from None
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise XmlRefused("a document type or entity declaration (refused)")
    try:
        return ET.fromstring(data)  # noqa: S314 - DTDs and entities are refused above
    except ET.ParseError as exc:
        raise XmlRefused(str(exc)) from None


def local(tag: str) -> str:
    """``{urn:com.workday/bsvc}Candidate`` -> ``Candidate``."""
    return tag.rpartition("}")[2]


def to_dict(element: ET.Element) -> Any:
    """An element as plain data: a leaf without attributes is its text; otherwise a dict of ``@attributes``,
    children by local name (a repeated child: a list) and ``#text``."""
    children = list(element)
    attrs: Raw = {"@" + local(k): v for k, v in element.attrib.items()}
    text = (element.text or "").strip()
    if not children and not attrs:
        return text
    out = attrs
    if text:
        out["#text"] = text
    for child in children:
        key, value = local(child.tag), to_dict(child)
        if key in out:
            prev = out[key]
            out[key] = [*prev, value] if isinstance(prev, list) else [prev, value]
        else:
            out[key] = value
    return out


def to_xml(ns: str, tag: str, value: Any) -> list[ET.Element]:
    """Plain data (as :func:`to_dict` makes it) as elements in namespace ``ns``; None writes nothing."""
    if value is None:
        return []
    if isinstance(value, list):
        return [e for item in value for e in to_xml(ns, tag, item)]
    element = ET.Element(f"{{{ns}}}{tag}")
    if not isinstance(value, dict):
        element.text = "true" if value is True else "false" if value is False else str(value)
        return [element]
    for key, item in value.items():
        if key.startswith("@"):
            element.set(f"{{{ns}}}{key[1:]}", str(item))
        elif key == "#text":
            element.text = str(item)
        else:
            element.extend(to_xml(ns, key, item))
    return [element]


def many(value: Any) -> list[Any]:
    """A child that may be absent, single or repeated, as a list."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def one(value: Any) -> Any:
    """The first of a possibly repeated child (None when absent)."""
    found = many(value)
    return found[0] if found else None


def text(value: Any) -> str | None:
    """A leaf's text (``#text`` of a leaf with attributes), None when absent or empty."""
    value = one(value)
    if isinstance(value, dict):
        value = value.get("#text")
    return str(value) if value not in (None, "") else None


def dig(raw: Any, path: str) -> Any:
    """``"Candidate_Data/Name_Data/Legal_Name"``: each step into the first of a repeated child."""
    for step in path.split("/"):
        raw = one(raw)
        if not isinstance(raw, dict):
            return None
        raw = raw.get(step)
    return raw


def ids(reference: Any) -> dict[str, str]:
    """A Workday-style reference's ``<ID type=...>`` values by type."""
    ref = one(reference)
    out: dict[str, str] = {}
    for item in many(ref.get("ID")) if isinstance(ref, dict) else []:
        if isinstance(item, dict) and item.get("#text"):
            out.setdefault(str(item.get("@type") or ""), str(item["#text"]))
    return out

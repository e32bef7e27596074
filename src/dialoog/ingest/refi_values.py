"""Values of a REFI-QDA project that become transcript metadata: variables of cases and sources, users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from dialoog.exchange import refi
from dialoog.ingest.refi_codebook import _guid
from dialoog.study.gemeenten import Gemeente, match_wijk, slugify
from dialoog.study.transcripts import ROLES

UNKNOWN_CODER = "onbekend"


def _items(element: etree._Element, container: str, item: str) -> list[etree._Element]:
    found = refi.child(element, container)
    return refi.children(found, item) if found is not None else []


def _coder(name: str | None, user_guid: str) -> str:
    slug = slugify(name or "")[:40].strip("-")
    if not slug:
        slug = f"user-{user_guid[:8]}" if user_guid else UNKNOWN_CODER
    return slug


def _value(element: etree._Element) -> Any:
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        node = refi.child(element, tag)
        if node is None:
            continue
        text = (node.text or "").strip()
        if tag == "BooleanValue":
            return text.lower() in ("true", "1")
        if tag in ("DateValue", "DateTimeValue"):
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
        return text
    return None


def _variables(root: etree._Element) -> dict[str, dict[str, Any]]:
    """Variable values per source guid: from cases that refer to the source and from the source itself."""
    names = {}
    for var in _items(root, "Variables", "Variable"):
        names[_guid(var.get("guid"))] = (var.get("name") or "").strip().lower()

    def values_of(element: etree._Element) -> dict[str, Any]:
        out = {}
        for vv in refi.children(element, "VariableValue"):
            ref = refi.child(vv, "VariableRef")
            name = names.get(_guid(ref.get("targetGUID") if ref is not None else ""))
            if name:
                out[name] = _value(vv)
        return out

    per_source: dict[str, dict[str, Any]] = {}
    for case in _items(root, "Cases", "Case"):
        values = values_of(case)
        for ref in refi.children(case, "SourceRef"):
            per_source.setdefault(_guid(ref.get("targetGUID")), {}).update(values)
    for source in _items(root, "Sources", "TextSource"):
        per_source.setdefault(_guid(source.get("guid")), {}).update(values_of(source))
    return per_source


def _meta(
    values: dict[str, Any],
    gemeente: Gemeente,
    tid: str,
    consent: bool,
    pseudonymised: bool,
    info: list[str],
    label: str,
) -> dict[str, Any]:
    wijk = values.get("wijk")
    if wijk:
        matched = match_wijk(gemeente, str(wijk))
        if matched is None:
            info.append(f"{label}: the wijk is not a CBS wijk of {gemeente.name}; left empty")
        wijk = matched
    role = str(values.get("respondent") or values.get("role") or "onbekend").strip().lower()
    if role not in ROLES:
        info.append(f"{label}: unknown respondent role; recorded as 'onbekend'")
        role = "onbekend"
    datum = values.get("datum") or values.get("date")
    if isinstance(datum, str):
        try:
            datum = dt.date.fromisoformat(datum[:10])
        except ValueError:
            datum = None
    interviewer = values.get("interviewer")
    meta: dict[str, Any] = {
        "id": tid,
        "gemeente": gemeente.name,
        "wijk": wijk or None,
        "datum": datum if isinstance(datum, dt.date) else None,
        "interviewer": str(interviewer) if interviewer else None,
        "respondent": role,
        "consent": consent,
        "pseudonymised": pseudonymised,
    }
    if values.get("fictional") is True:
        meta["fictional"] = True
    return meta

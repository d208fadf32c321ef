"""GS1 "EPCIS Event Hash ID" (CBV 2.0): a syntax-independent fingerprint of an EPCIS event.

The event (an EPCIS 2.0 JSON-LD event dict, e.g. from :func:`shian.trace.epcis.xml.document_from_xml`) is turned
into a canonical *pre-hash string* and hashed with SHA-256 into ``ni:///sha-256;<hex>?ver=CBV2.0`` (RFC 6920).

Canonicalisation, as the CBV 2.0 rules and the GS1 reference implementation (epcis-event-hash-generator) do it:

* fields in the canonical property order, ``key=value`` concatenated without separators, absent fields omitted;
  ``eventID``, ``recordTime``, ``errorDeclaration`` (an error declaration keeps the id of the event it corrects)
  and ``certificationInfo`` (added to the hash in CBV 2.1) do not take part;
* timestamps in UTC with millisecond precision (``...T02:33:31.116Z``), numbers without trailing zeros;
* CBV URNs and bare JSON vocabulary names as GS1 Web URIs (``https://ref.gs1.org/cbv/BizStep-receiving``),
  ``gs1:``/``cbv:``/``epcis:`` CURIEs expanded, EPC URNs and GS1 Digital Link URIs as canonical
  ``https://id.gs1.org/...`` Digital Link URIs;
* list items sorted, the list name written once; in bizTransaction/source/destination ``type=`` comes first (as
  in the reference implementation's CBV 2.0 test vectors, although the written rule puts it after the value);
* ILMD and user extensions as ``{namespace}local=value`` (nested elements follow their parent), sorted; extensions
  inside ``readPoint``, ``bizLocation`` and sensor elements form their own blocks after ILMD, then the event's own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_ORDER = ("eventTime", "eventTimeZoneOffset", "epcList", "parentID", "inputEPCList", "childEPCs", "quantityList")
_ORDER += ("childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList", "action")
_ORDER += ("transformationID", "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation")
_ORDER += ("bizTransactionList", "sourceList", "destinationList", "sensorElementList", "ilmd")
_IGNORED = frozenset({"type", "@context", "eventID", "recordTime", "errorDeclaration", "certificationInfo"})
_METADATA = ("time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod")
_METADATA += ("bizRules",)
_REPORT = ("type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time")
_REPORT += ("microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue")
_REPORT += ("hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue")
_REPORT += ("uom", "coordinateReferenceSystem")
_CBV = "https://ref.gs1.org/cbv/"
_GS1 = "https://gs1.org/voc/"
# Expansion of bare JSON vocabulary names, per field.
_VOCAB = {"bizStep": f"{_CBV}BizStep-", "disposition": f"{_CBV}Disp-", "set": f"{_CBV}Disp-"}
_VOCAB |= {"unset": f"{_CBV}Disp-", "btt": f"{_CBV}BTT-", "sdt": f"{_CBV}SDT-", "sensorType": _GS1}
_VOCAB |= {"exception": _GS1, "component": f"{_CBV}Comp-"}
_CBV_URN = re.compile(r"urn:epcglobal:cbv:(bizstep|disp|btt|sdt|er):(.+)")
_CBV_WEB = {"bizstep": "BizStep", "disp": "Disp", "btt": "BTT", "sdt": "SDT", "er": "ER"}
_CURIES = {"gs1:": _GS1, "cbv:": _CBV, "epcis:": "https://ref.gs1.org/epcis/"}
# XML namespace of CBV master data attributes (the JSON-LD context's cbvmda prefix stands for it).
_DEFAULT_NAMESPACES = {"cbvmda": "urn:epcglobal:cbv:mda", "gs1": _GS1, "cbv": _CBV}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)")
# EPC URI scheme -> (Digital Link key, layout); "G" = GS1 key body plus check digit, "I" = indicator moved first.
_EPC = {
    "id:sgtin": ("01", "I", "21"),
    "class:lgtin": ("01", "I", "10"),
    "idpat:sgtin": ("01", "I", None),
    "id:sscc": ("00", "I", None),
    "id:sgln": ("414", "G", "254"),
    "id:pgln": ("417", "G", None),
    "id:grai": ("8003", "0G", ""),
    "id:giai": ("8004", "", None),
    "id:gsrn": ("8018", "G", None),
    "id:gsrnp": ("8017", "G", None),
    "id:gdti": ("253", "G", ""),
    "id:sgcn": ("255", "G", ""),
    "id:ginc": ("401", "", None),
    "id:gsin": ("402", "G", None),
    "id:cpi": ("8010", "", "8011"),
    "id:upui": ("01", "I", "235"),
}
_DL = re.compile(
    r"https?://[^/?#]+(?:/[^?#]*?)??/(00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018)/([^/?#]+)"
)
_DL_QUALIFIERS = {"01": ("21", "235", "10"), "414": ("254",), "8006": ("21", "10"), "8010": ("8011",)}


def event_hash_id(event: Mapping[str, Any], context: Any = None) -> str:
    """The EPCIS Event Hash ID (``ni:///sha-256;...?ver=CBV2.0``) of an EPCIS 2.0 JSON-LD event."""
    digest = hashlib.sha256(pre_hash_string(event, context).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def pre_hash_string(event: Mapping[str, Any], context: Any = None) -> str:
    """The canonical pre-hash string; ``context`` is the document's ``@context`` (for extension prefixes)."""
    if not isinstance(event.get("type"), str):
        raise ValueError("an EPCIS event needs a 'type' such as 'ObjectEvent'")
    namespaces = _namespaces(context, event.get("@context"))
    parts = [f"eventType={event['type']}"]
    parts += [_field(name, event[name], namespaces) for name in _ORDER if name in event]
    for name in ("readPoint", "bizLocation"):
        if isinstance(event.get(name), Mapping) and (ext := _extensions(event[name], ("id",), namespaces)):
            parts.append(name + ext)
    sensor_ext = sorted(filter(None, (_sensor_extensions(e, namespaces) for e in event.get("sensorElementList", []))))
    if sensor_ext:
        parts.append("sensorElementList" + "".join(sensor_ext))
    parts.append(_extensions(event, (*_ORDER, *_IGNORED), namespaces))
    return "".join(parts)


def _namespaces(*contexts: Any) -> dict[str, str]:
    """Prefix -> namespace URI from JSON-LD contexts (string, object or list), over the standard defaults."""
    namespaces = dict(_DEFAULT_NAMESPACES)
    pending = list(contexts)
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending[:0] = item
        elif isinstance(item, Mapping):
            namespaces |= {k: v for k, v in item.items() if isinstance(v, str) and not k.startswith("@")}
    return namespaces


def _field(name: str, value: Any, namespaces: dict[str, str]) -> str:
    """Pre-hash substring of one standard event field."""
    if name.endswith("EPCList") or name in ("epcList", "childEPCs"):
        return _joined(name, (f"epc={_canon(epc)}" for epc in value))
    if name.endswith("uantityList"):
        items = ("quantityElement" + _ordered(q, ("epcClass", "quantity", "uom")) for q in value)
        return _joined(name, items)
    if name == "persistentDisposition":
        items = "".join(_joined("", (f"{k}={_canon(v, k)}" for v in value.get(k, []))) for k in ("set", "unset"))
        return name + items if items else ""
    if name in ("readPoint", "bizLocation"):
        return f"{name}id={_canon(value.get('id', ''))}" if value.get("id") else ""
    if name in ("bizTransactionList", "sourceList", "destinationList"):
        key = name[:-4]
        return _joined(
            name, (_ordered(item, ("type", key), "btt" if key == "bizTransaction" else "sdt") for item in value)
        )
    if name == "sensorElementList":
        return _joined(name, filter(None, (_sensor_element(element) for element in value)))
    if name == "ilmd":
        return _joined(name, _extension_strings(value, (), namespaces))
    text = _canon(value, name)
    return f"{name}={text}" if text else ""


def _joined(name: str, items: Any) -> str:
    """``name`` followed by the sorted items, or nothing for an empty list."""
    items = sorted(items)
    return name + "".join(items) if items else ""


def _ordered(obj: Mapping[str, Any], keys: tuple[str, ...], vocab: str | None = None) -> str:
    """``key=value`` for the given keys in the given order (a ``type`` key uses the ``vocab`` expansion)."""
    parts = []
    for key in keys:
        if key in obj and (text := _canon(obj[key], vocab if key == "type" else key)):
            parts.append(f"{key}={text}")
    return "".join(parts)


def _sensor_element(element: Mapping[str, Any]) -> str:
    """Regular fields of one sensor element: metadata, then the sorted reports."""
    metadata = _ordered(element.get("sensorMetadata", {}), _METADATA)
    reports = sorted(filter(None, (_ordered(r, _REPORT, vocab="sensorType") for r in element.get("sensorReport", []))))
    text = (f"sensorMetadata{metadata}" if metadata else "") + "".join(f"sensorReport{r}" for r in reports)
    return f"sensorElement{text}" if text else ""


def _sensor_extensions(element: Mapping[str, Any], namespaces: dict[str, str]) -> str:
    """User extensions of one sensor element (its metadata, reports and itself), or ``""``."""
    metadata = _extensions(element.get("sensorMetadata", {}), _METADATA, namespaces)
    reports = sorted(filter(None, (_extensions(r, _REPORT, namespaces) for r in element.get("sensorReport", []))))
    own = _extensions(element, ("sensorMetadata", "sensorReport"), namespaces)
    text = (f"sensorMetadata{metadata}" if metadata else "") + "".join(f"sensorReport{r}" for r in reports) + own
    return f"sensorElement{text}" if text else ""


def _extensions(obj: Mapping[str, Any], standard: tuple[str, ...], namespaces: dict[str, str]) -> str:
    """Sorted extension substrings of every key of ``obj`` that is not a standard field."""
    return "".join(sorted(_extension_strings(obj, standard, namespaces)))


def _extension_strings(obj: Mapping[str, Any], skip: tuple[str, ...], namespaces: dict[str, str]) -> list[str]:
    """One ``{namespace}local[=value][children]`` string per extension value (list items count separately)."""
    strings = []
    for key, value in obj.items():
        if key in skip or key == "@value":
            continue
        prefix, colon, local = key.partition(":")
        name = f"{{{namespaces[prefix]}}}{local}" if colon and prefix in namespaces else key
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Mapping):
                own = f"={_canon(item['@value'])}" if "@value" in item else ""
                strings.append(name + own + _extensions(item, (), namespaces))
            else:
                text = "" if item is None else _canon(item)
                strings.append(f"{name}={text}" if text else name)
    return strings


def _canon(value: Any, field: str | None = None) -> str:
    """Canonical text of a value: vocabulary, CURIE, number, timestamp and identifier normalisation."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _decimal(value)
    text = str(value).strip()
    if field in _VOCAB and text and ":" not in text:
        return _VOCAB[field] + text
    if match := _CBV_URN.fullmatch(text):
        return f"{_CBV}{_CBV_WEB[match[1]]}-{match[2]}"
    for curie, uri in _CURIES.items():
        if text.startswith(curie):
            return uri + text[len(curie) :]
    if _NUMBER.fullmatch(text):
        return _decimal(text)
    if _TIMESTAMP.fullmatch(text):
        return _utc(text)
    return _digital_link(text)


def _decimal(value: int | float | str) -> str:
    """A number without exponent, leading ``+`` or trailing zeros (``26.0`` -> ``26``, ``0.10`` -> ``0.1``)."""
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


def _utc(text: str) -> str:
    """An ``xsd:dateTimeStamp`` in UTC with milliseconds (rounded half up), e.g. ``2005-04-05T02:33:31.116Z``."""
    base, fraction, zone = _TIMESTAMP.fullmatch(text).groups()  # type: ignore[union-attr]
    moment = datetime.fromisoformat(base + ("+00:00" if zone == "Z" else zone))
    millis = Decimal(fraction or "0").quantize(Decimal("0.001"), ROUND_HALF_UP)
    moment = (moment + timedelta(milliseconds=int(millis * 1000)) - moment.utcoffset()).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


def _check_digit(digits: str) -> str:
    """GS1 mod-10 check digit for a numeric key body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def _digital_link(text: str) -> str:
    """Canonical ``https://id.gs1.org`` Digital Link URI of an EPC URI or Digital Link URI, else ``text``."""
    urn, epc, kind, scheme, body = [*text.split(":", 4), "", "", "", ""][:5]
    if (urn, epc) == ("urn", "epc") and f"{kind}:{scheme}" in _EPC:
        key, layout, qualifier = _EPC[f"{kind}:{scheme}"]
        company, _, rest = body.partition(".")
        reference, _, extra = rest.partition(".")
        if layout == "I":
            reference, company = reference[1:], reference[:1] + company
        number = company + reference
        if "G" in layout or "I" in layout:
            if not number.isdigit():
                return text
            number = ("0" if layout == "0G" else "") + number + _check_digit(number)
        if qualifier == "":  # serial appended to the key (GRAI, GDTI, SGCN)
            return f"https://id.gs1.org/{key}/{number}{extra}"
        if qualifier and extra and not (key == "414" and extra == "0"):
            return f"https://id.gs1.org/{key}/{number}/{qualifier}/{extra}"
        return f"https://id.gs1.org/{key}/{number}"
    if match := _DL.match(text):
        key, value = match[1], match[2]
        tail = text[match.end() :].split("?")[0].split("#")[0].strip("/").split("/")
        pairs = dict(zip(tail[::2], tail[1::2], strict=False))
        if key == "01" and value.isdigit():
            value = value.zfill(14)
        qualifier = next((q for q in _DL_QUALIFIERS.get(key, ()) if q in pairs), None)
        suffix = f"/{qualifier}/{pairs[qualifier]}" if qualifier else ""
        return f"https://id.gs1.org/{key}/{value}{suffix}"
    return text

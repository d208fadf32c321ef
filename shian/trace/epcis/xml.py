"""Convert GS1 EPCIS 2.0 XML documents into the equivalent EPCIS 2.0 JSON-LD document (a plain dict).

Parsing uses ``defusedxml`` (entity declarations and external references are refused). The result has the shape the
official EPCIS 2.0 JSON Schema requires: standard vocabulary URNs (``urn:epcglobal:cbv:bizstep:receiving``) become
the bare names the schema demands (``receiving``); EPC URNs and other identifiers are kept as given; user extension
elements become ``"prefix:local"`` keys, their prefixes declared in ``@context``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
EVENT_TYPES = ("AggregationEvent", "AssociationEvent", "ObjectEvent", "TransactionEvent", "TransformationEvent")
_ROOTS = {"EPCISDocument": "urn:epcglobal:epcis:xsd:", "EPCISQueryDocument": "urn:epcglobal:epcis-query:xsd:"}
# Prefixes the (protected) EPCIS context defines; an XML prefix clashing with one of them gets another name.
_STANDARD_PREFIXES = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "gs1": "https://gs1.org/voc/",
}
_STANDARD_PREFIXES |= {"cbvmda": "urn:epcglobal:cbv:mda", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
_STANDARD_PREFIXES |= {"owl": "http://www.w3.org/2002/07/owl#", "xsd": "http://www.w3.org/2001/XMLSchema#"}
_STANDARD_PREFIXES |= {"dcterms": "http://purl.org/dc/terms/"}
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_TEXT_FIELDS = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "action", "parentID")
_TEXT_FIELDS += ("transformationID", "bizStep", "disposition")
_EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
# Which vocabulary URN each field may carry; the JSON Schema only accepts the bare names for these.
_CBV_KINDS = {"bizStep": "bizstep", "disposition": "disp", "set": "disp", "unset": "disp", "reason": "er"}
_CBV_KINDS |= {"bizTransaction": "btt", "source": "sdt", "destination": "sdt"}
_SENSOR_NUMBERS = ("value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue")
_XSD_NUMBERS = ("decimal", "double", "float", "integer", "int", "long", "short", "byte", "nonNegativeInteger")
_XSD_NUMBERS += ("positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")


class XmlDocumentError(ValueError):
    """An XML document that cannot be read as an EPCIS document; the message says where and why."""


def document_from_xml(data: bytes) -> dict[str, Any]:
    """Parse an EPCIS 2.0 XML ``EPCISDocument``/``EPCISQueryDocument`` and return the JSON-LD document dict."""
    root, namespaces = _parse(data)
    ns, name = _split(root.tag)
    if name not in _ROOTS or ns not in (f"{_ROOTS[name]}1", f"{_ROOTS[name]}2"):
        found = f"<{name}>" + (f" (namespace {ns})" if ns else " (no namespace)")
        raise XmlDocumentError(f"root element {found} is not an EPCIS EPCISDocument or EPCISQueryDocument")
    conv = _Converter(namespaces)
    doc: dict[str, Any] = {"@context": [], "type": name, "schemaVersion": "2.0"}
    if creation := root.get("creationDate"):
        doc["creationDate"] = creation.strip()
    elif name == "EPCISDocument":
        raise XmlDocumentError("<EPCISDocument> lacks the required creationDate attribute")
    header = _child(root, "EPCISHeader")
    listed = [] if header is None else [e for e in header.iter() if _split(e.tag)[1] == "VocabularyList"]
    for vocabularies in listed[:1]:
        doc["epcisHeader"] = {"epcisMasterData": {"vocabularyList": conv.vocabularies(vocabularies)}}
    if (body := _child(root, "EPCISBody")) is None:
        raise XmlDocumentError(f"<{name}> has no <EPCISBody> element")
    if name == "EPCISDocument":
        doc["epcisBody"] = {"eventList": conv.events(_child(body, "EventList"))}
    elif (results := _child(body, "QueryResults")) is None:
        raise XmlDocumentError("<EPCISQueryDocument> has no <QueryResults> element in its <EPCISBody>")
    else:
        query = {tag: _text(e) for tag in ("queryName", "subscriptionID") if (e := _child(results, tag)) is not None}
        results_body = _child(results, "resultsBody")
        listed = _child(results_body, "EventList") if results_body is not None else None
        doc["epcisBody"] = {"queryResults": {**query, "resultsBody": {"eventList": conv.events(listed)}}}
    doc["@context"] = [EPCIS_CONTEXT, *({prefix: uri} for prefix, uri in conv.used.items())]
    return doc


def _parse(data: bytes) -> tuple[Element, dict[str, str]]:
    """Parse safely; return the root and the first prefix declared for each namespace URI."""
    namespaces: dict[str, str] = {}
    try:
        parser = iterparse(io.BytesIO(data), events=("start-ns",))
        for _event, (prefix, uri) in parser:
            namespaces.setdefault(uri, prefix)
    except ParseError as exc:
        line, column = exc.position
        raise XmlDocumentError(f"malformed XML at line {line}, column {column + 1}: {exc.msg}") from exc
    except DefusedXmlException as exc:
        raise XmlDocumentError(f"refused unsafe XML ({type(exc).__name__}): {exc}") from exc
    return parser.root, namespaces  # type: ignore[attr-defined]


def _split(tag: str) -> tuple[str, str]:
    """Split a Clark-notation name ``{uri}local`` into ``(uri, local)``."""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return ns, local


def _children(el: Element) -> Iterator[Element]:
    """Child elements, with EPCIS 1.x ``<extension>``/``<baseExtension>`` wrappers flattened away."""
    for child in el:
        yield from _children(child) if child.tag in ("extension", "baseExtension") else (child,)


def _child(el: Element, local: str) -> Element | None:
    """First child (any namespace, 1.x wrappers flattened) with the given local name."""
    return next((c for c in _children(el) if _split(c.tag)[1] == local), None)


def _text(el: Element | None) -> str:
    """Stripped text content of an element (``""`` for none)."""
    return "" if el is None else (el.text or "").strip()


def _cbv(field: str, value: str) -> str:
    """Shorten a standard vocabulary URN to the bare name the JSON Schema requires for this field."""
    prefix = f"urn:epcglobal:cbv:{_CBV_KINDS.get(field)}:"
    return value.removeprefix(prefix) if field in _CBV_KINDS else value


def _number(text: str) -> int | float | str:
    """A JSON number for a numeric lexical value; the text itself when it is not a finite number."""
    try:
        number = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _typed_reference(el: Element) -> dict[str, str]:
    """Convert a ``<bizTransaction>``, ``<source>`` or ``<destination>`` with its optional ``type`` attribute."""
    kind = {"type": _cbv(el.tag, el.get("type", "").strip())} if el.get("type") else {}
    return kind | {el.tag: _text(el)}


def _put(obj: dict[str, Any], key: str, value: Any) -> None:
    """Set ``obj[key]``; a repeated key (repeated XML element) collects its values in a list."""
    if key in obj:
        value = [*(obj[key] if isinstance(obj[key], list) else [obj[key]]), value]
    obj[key] = value


class _Converter:
    """Per-document state: the XML namespace prefixes, and those used (which go into ``@context``)."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        """Remember the XML prefix declared for each namespace URI."""
        self.namespaces = namespaces
        self.used: dict[str, str] = {}

    def key(self, tag: str) -> str:
        """JSON-LD key for an element or attribute name: ``prefix:local``, or the bare local name."""
        ns, local = _split(tag)
        if not ns:
            return local
        known = {**_STANDARD_PREFIXES, **self.used}
        prefix = next((p for p, uri in known.items() if uri == ns), None)
        if prefix is None:
            prefix = base = self.namespaces.get(ns) or "ns"
            suffix = 1
            while prefix in known:
                suffix += 1
                prefix = f"{base}{suffix}"
            self.used[prefix] = ns
        return f"{prefix}:{local}"

    def value(self, el: Element) -> Any:
        """JSON value of a user extension element: a scalar typed by ``xsi:type``, or an object."""
        if el.get(f"{_XSI}nil") in ("true", "1"):
            return None
        attributes = {self.key(k): v for k, v in el.attrib.items() if not k.startswith(_XSI)}
        text, xsd_type = _text(el), el.get(f"{_XSI}type", "").rpartition(":")[2]
        if attributes or len(el):
            return self.extensions(el, attributes | ({"@value": text} if text and not len(el) else {}))
        if xsd_type == "boolean" and text in ("true", "false", "1", "0"):
            return text in ("true", "1")
        return _number(text) if xsd_type in _XSD_NUMBERS else text

    def extensions(self, children: Iterable[Element], obj: dict[str, Any], where: str = "") -> dict[str, Any]:
        """Add one property per child to ``obj``; with ``where``, only namespaced (extension) children may occur."""
        for child in children:
            if where and not _split(child.tag)[0]:
                raise XmlDocumentError(f"unexpected element <{child.tag}> in <{where}>")
            _put(obj, self.key(child.tag), self.value(child))
        return obj

    def events(self, event_list: Element | None) -> list[dict[str, Any]]:
        """Convert every event of an ``<EventList>``."""
        events = []
        for index, el in enumerate(_children(event_list) if event_list is not None else (), start=1):
            if el.tag not in EVENT_TYPES:
                raise XmlDocumentError(
                    f"unknown event element <{el.tag}> (item {index} of <EventList>); expected {', '.join(EVENT_TYPES)}"
                )
            events.append(self.event(el))
        return events

    def event(self, el: Element) -> dict[str, Any]:
        """Convert one event element, keeping the XML field order."""
        out: dict[str, Any] = {"type": el.tag}
        for child in _children(el):
            name = child.tag
            if _split(name)[0]:
                _put(out, self.key(name), self.value(child))
            elif name in _TEXT_FIELDS:
                out[name] = _cbv(name, _text(child))
            elif name == "certificationInfo":
                _put(out, name, _text(child))
            elif name in _EPC_LISTS:
                out[name] = [_text(epc) for epc in child]
            elif name in _QUANTITY_LISTS:
                out[name] = [self.quantity(q) for q in child]
            elif name in ("readPoint", "bizLocation"):
                rest = [c for c in _children(child) if c.tag != "id"]
                out[name] = self.extensions(rest, {"id": _text(_child(child, "id"))}, name)
            elif name in ("bizTransactionList", "sourceList", "destinationList"):
                out[name] = [_typed_reference(item) for item in child]
            elif name == "sensorElementList":
                out[name] = [self.sensor_element(s) for s in child]
            elif name == "persistentDisposition":
                out[name] = {}
                for item in child:
                    out[name].setdefault(item.tag, []).append(_cbv(item.tag, _text(item)))
            elif name == "ilmd":
                out[name] = self.extensions(_children(child), {}, "ilmd")
            elif name == "errorDeclaration":
                out[name] = self.error_declaration(child)
            else:
                raise XmlDocumentError(f"unexpected element <{name}> in <{el.tag}>")
        return out

    def quantity(self, el: Element) -> dict[str, Any]:
        """Convert a ``<quantityElement>``; the quantity becomes a number, a nil (empty) quantity is left out."""
        fields = (c for c in el if c.tag in ("epcClass", "quantity", "uom") and _text(c))
        return {c.tag: _number(_text(c)) if c.tag == "quantity" else _text(c) for c in fields}

    def sensor_element(self, el: Element) -> dict[str, Any]:
        """Convert a ``<sensorElement>``; its metadata and report attributes become JSON properties."""
        out: dict[str, Any] = {}
        for child in _children(el):
            if child.tag == "sensorMetadata":
                out["sensorMetadata"] = self.sensor_attributes(child)
            elif child.tag == "sensorReport":
                out.setdefault("sensorReport", []).append(self.sensor_attributes(child))
            else:
                self.extensions([child], out, "sensorElement")
        return out

    def sensor_attributes(self, el: Element) -> dict[str, Any]:
        """Attributes of ``<sensorMetadata>``/``<sensorReport>``: numbers as numbers, booleans as booleans."""
        known: dict[str, Any] = {}
        for name, raw in el.attrib.items():
            text = raw.strip()
            if name in _SENSOR_NUMBERS:
                known[name] = _number(text)
            else:
                known[self.key(name)] = text in ("true", "1") if name == "booleanValue" else text
        return self.extensions(_children(el), known, el.tag)

    def error_declaration(self, el: Element) -> dict[str, Any]:
        """Convert an ``<errorDeclaration>`` with its corrective event IDs and extensions."""
        out: dict[str, Any] = {}
        for child in _children(el):
            if child.tag in ("declarationTime", "reason"):
                out[child.tag] = _cbv(child.tag, _text(child))
            elif child.tag == "correctiveEventIDs":
                out[child.tag] = [_text(c) for c in child]
            else:
                self.extensions([child], out, "errorDeclaration")
        return out

    def vocabularies(self, vocabulary_list: Element) -> list[dict[str, Any]]:
        """Convert a master data ``<VocabularyList>`` to the JSON ``vocabularyList`` array."""
        result = []
        for vocabulary in _children(vocabulary_list):
            elements = []
            for element in (e for e in vocabulary.iter() if _split(e.tag)[1] == "VocabularyElement"):
                entry: dict[str, Any] = {"id": element.get("id", "")}
                if attributes := [a for a in _children(element) if a.tag == "attribute"]:
                    values = [self.extensions(a, {}) if len(a) else _text(a) for a in attributes]
                    entry["attributes"] = [
                        {"id": a.get("id", ""), "attribute": v} for a, v in zip(attributes, values, strict=True)
                    ]
                if (children := _child(element, "children")) is not None:
                    entry["children"] = [_text(c) for c in children]
                elements.append(entry)
            result.append({"type": vocabulary.get("type", ""), "vocabularyElementList": elements})
        return result

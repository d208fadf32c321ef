"""GS1 identifiers as EPCIS writes them (EPC URNs and GS1 Digital Link URIs), read into GTINs and lot codes,
and the CBV vocabulary's short names (GS1 EPC Tag Data Standard 2.0; CBV 2.0 §7-8)."""

import re
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from stdnum import ean

_EPC = re.compile(r"^urn:epc:(?:id|class|idpat):(?P<scheme>[a-z]+):(?P<body>.+)$")
_DIGITAL_LINK = re.compile(r"^/(?:.*/)?01/(?P<gtin>\d{14})(?:/10/(?P<lot>[^/]+))?(?:/21/(?P<serial>[^/]+))?/?$")
_CBV_PREFIXES = (
    "urn:epcglobal:cbv:bizstep:",
    "urn:epcglobal:cbv:disp:",
    "urn:epcglobal:cbv:btt:",
    "urn:epcglobal:cbv:sdt:",
    "urn:epcglobal:cbv:er:",
    "https://ref.gs1.org/cbv/BizStep-",
    "https://ref.gs1.org/cbv/Disp-",
    "https://ref.gs1.org/cbv/BTT-",
    "https://ref.gs1.org/cbv/SDT-",
    "https://ref.gs1.org/cbv/ER-",
)


class Identified(NamedTuple):
    """What an EPC says of itself: its product's GTIN (when GS1), its lot code, whether it names one thing."""

    gtin: str | None
    lot: str | None
    instance: bool


def gtin_from_epc(company_prefix: str, item_reference: str) -> str:
    """The GTIN-14 of an SGTIN/LGTIN's company prefix and item reference (indicator digit first)."""
    body = item_reference[:1] + company_prefix + item_reference[1:]
    return body + ean.calc_check_digit(body)


def identify(uri: str) -> Identified:
    """Read a GS1 identifier; anything else (a local trace code) is an instance with no GTIN."""
    if match := _EPC.match(uri):
        scheme, parts = match["scheme"], match["body"].split(".")
        if scheme in ("sgtin", "lgtin") and len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            gtin = gtin_from_epc(parts[0], parts[1])
            if scheme == "lgtin":
                return Identified(gtin, unquote(parts[2]), instance=False)
            return Identified(gtin, None, instance=parts[2] != "*")
        return Identified(None, None, instance=":idpat:" not in uri and ":class:" not in uri)
    try:
        split = urlsplit(uri)
    except ValueError:  # not a URL at all ("http://[" …): a local code
        return Identified(None, None, instance=True)
    if split.scheme in ("http", "https") and (match := _DIGITAL_LINK.match(split.path)):
        lot = unquote(match["lot"]) if match["lot"] else None
        return Identified(match["gtin"], lot, instance=match["serial"] is not None)
    return Identified(None, None, instance=True)


def short_name(value: str) -> str:
    """A CBV standard value by its short name ("urn:epcglobal:cbv:bizstep:receiving" → "receiving")."""
    for prefix in _CBV_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def lot_identifier(uri: str) -> str:
    """One spelling per lot: GS1 lots as a GS1 Digital Link (an LGTIN URN and its link are the same lot);
    other class ids as given."""
    gtin, lot, instance = identify(uri)
    if gtin is None or instance:
        return uri
    return f"https://id.gs1.org/01/{gtin}/10/{quote(lot, safe='')}" if lot else f"https://id.gs1.org/01/{gtin}"

"""Request bodies the capture interface takes: EPCIS 2.0 JSON-LD, and EPCIS 2.0 XML read into the same shape."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, JSONParser

from .epcis.xml import XmlDocumentError, document_from_xml


class JsonLdParser(JSONParser):
    media_type = "application/ld+json"


class EpcisXmlParser(BaseParser):
    media_type = "application/xml"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return document_from_xml(stream.read())
        except XmlDocumentError as exc:
            raise ParseError(str(exc)) from None


class TextXmlParser(EpcisXmlParser):
    media_type = "text/xml"

"""EPCIS documents from files (`shian import epcis FILE`): JSON-LD or XML, captured as the API captures them."""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from ..epcis.xml import XmlDocumentError, document_from_xml
from .capture import CaptureResult, epcis_capture


class EpcisFileError(ValueError):
    pass


def epcis_document_read(path: Path) -> dict:
    """The document in a .json/.jsonld or .xml file, or EpcisFileError saying why it cannot be read."""
    data = path.read_bytes()
    if path.suffix.lower() == ".xml" or data.lstrip()[:1] == b"<":
        try:
            return document_from_xml(data)
        except XmlDocumentError as exc:
            raise EpcisFileError(str(exc)) from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EpcisFileError(_("%(name)s is not JSON: %(reason)s") % {"name": path.name, "reason": exc}) from None


def epcis_file_capture(*, path: Path, by=None) -> CaptureResult:
    return epcis_capture(document=epcis_document_read(path), by=by)

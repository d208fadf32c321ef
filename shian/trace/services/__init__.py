from .capture import CaptureResult, epcis_capture
from .files import EpcisFileError, epcis_document_read, epcis_file_capture
from .sites import operator_site

__all__ = [
    "CaptureResult",
    "EpcisFileError",
    "epcis_capture",
    "epcis_document_read",
    "epcis_file_capture",
    "operator_site",
]

from .capture import CaptureResult, epcis_capture
from .control import control_acknowledge, control_close, control_order_open, control_report
from .files import EpcisFileError, epcis_document_read, epcis_file_capture
from .sites import operator_site

__all__ = [
    "CaptureResult",
    "EpcisFileError",
    "control_acknowledge",
    "control_close",
    "control_order_open",
    "control_report",
    "epcis_capture",
    "epcis_document_read",
    "epcis_file_capture",
    "operator_site",
]

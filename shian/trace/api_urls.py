from django.urls import path

from .api import CaptureView, EventQueryView, TraceEpcisView, TraceSheetView, TraceView

urlpatterns = [
    path("trace/capture", CaptureView.as_view(), name="api-trace-capture"),
    path("trace/events", EventQueryView.as_view(), name="api-trace-events"),
    path("trace", TraceView.as_view(), name="api-trace"),
    path("trace/sheet", TraceSheetView.as_view(), name="api-trace-sheet"),
    path("trace/epcis", TraceEpcisView.as_view(), name="api-trace-epcis"),
]

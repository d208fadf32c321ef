from django.urls import path

from . import control_views, receiving_views, trace_views

urlpatterns = [
    path("trace/receive/", receiving_views.receive, name="receive"),
    path("trace/receipts/", receiving_views.receipt_list, name="receipt-list"),
    path("trace/ledgers/", receiving_views.ledger_upload, name="ledger-upload"),
    path("trace/suppliers/", receiving_views.supplier_list, name="supplier-list"),
    path("trace/stock/", receiving_views.stock, name="stock"),
    path("trace/", trace_views.trace_page, name="trace"),
    path("trace/control/", control_views.control_list, name="control-list"),
    path("trace/control/new/", control_views.control_new, name="control-new"),
    path("trace/control/<int:pk>/", control_views.control_detail, name="control-detail"),
    path("trace/control/<int:pk>/close/", control_views.control_close_view, name="control-close"),
    path("trace/control/<int:pk>/report.pdf", control_views.control_report_pdf, name="control-report-pdf"),
    path(
        "trace/control/<int:pk>/holders/<int:holder_pk>/acknowledge/",
        control_views.control_acknowledge_view,
        name="control-acknowledge",
    ),
    path(
        "trace/control/<int:pk>/holders/<int:holder_pk>/report/",
        control_views.control_report_view,
        name="control-report",
    ),
]

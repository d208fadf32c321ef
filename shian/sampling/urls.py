from django.urls import path

from . import views

urlpatterns = [
    path("sampling/samples/", views.sample_list, name="sample-list"),
    path("sampling/samples/new/<int:operator_pk>/", views.sample_new, name="sample-new"),
    path("sampling/samples/<int:pk>/", views.sample_detail, name="sample-detail"),
    path("sampling/samples/<int:pk>/receive/", views.sample_receive_view, name="sample-receive"),
    path("sampling/samples/<int:pk>/results/", views.sample_results_view, name="sample-results"),
    path("sampling/samples/<int:pk>/notify/", views.sample_notify_view, name="sample-notify"),
    path("sampling/samples/<int:pk>/notice.pdf", views.sample_notice_pdf, name="sample-notice-pdf"),
    path("sampling/samples/<int:pk>/retest/", views.retest_apply_view, name="retest-apply"),
    path("sampling/samples/<int:pk>/retest/decide/", views.retest_decide_view, name="retest-decide"),
    path("sampling/samples/<int:pk>/disposal/", views.disposal_order_view, name="disposal-order"),
    path("sampling/samples/<int:pk>/disposal/report/", views.disposal_report_view, name="disposal-report"),
    path("sampling/samples/<int:pk>/disposal/verify/", views.disposal_verify_view, name="disposal-verify"),
    path("public/sampling/", views.public_results, name="public-sampling"),
]

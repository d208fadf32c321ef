from django.urls import path

from . import plan_views, rapid_views, views

urlpatterns = [
    path("sampling/samples/", views.sample_list, name="sample-list"),
    path("sampling/samples/export.<str:fmt>", views.sample_export, name="sample-export"),
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
    path("sampling/plans/", plan_views.plan_list, name="sampling-plan-list"),
    path("sampling/plans/<int:pk>/", plan_views.plan_detail, name="sampling-plan-detail"),
    path("sampling/plans/<int:pk>/activate/", plan_views.plan_activate_view, name="sampling-plan-activate"),
    path("sampling/tasks/", plan_views.my_tasks, name="sampling-my-tasks"),
    path("sampling/rapid/", rapid_views.rapid_list, name="rapid-list"),
    path("sampling/rapid/export.<str:fmt>", rapid_views.rapid_export, name="rapid-export"),
    path("sampling/rapid/new/<int:operator_pk>/", rapid_views.rapid_new, name="rapid-new"),
    path("sampling/rapid/<int:pk>/", rapid_views.rapid_detail, name="rapid-detail"),
    path("sampling/rapid/<int:pk>/object/", rapid_views.rapid_object_view, name="rapid-object"),
    path("sampling/rapid/<int:pk>/follow-up/", rapid_views.rapid_follow_up_view, name="rapid-follow-up"),
    path("public/vote/", plan_views.public_votes, name="public-votes"),
    path("public/vote/nominate/", plan_views.public_nominate, name="public-nominate"),
    path("public/vote/<int:pk>/", plan_views.public_vote, name="public-vote"),
]

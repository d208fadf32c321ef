from django.urls import include, path

from . import plan_views, views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/measures/", views.measures_view, name="inspection-measures"),
    path("inspections/new/<int:operator_pk>/", views.inspection_new, name="inspection-new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/answers/<int:answer_pk>/", views.inspection_answer_view, name="inspection-answer"),
    path("inspections/<int:pk>/finish/", views.inspection_finish_view, name="inspection-finish"),
    path("inspections/<int:pk>/publish/", views.inspection_publish_view, name="inspection-publish"),
    path("inspections/<int:pk>/record.pdf", views.inspection_record_pdf, name="inspection-record-pdf"),
    path("inspections/<int:pk>/rectify/", views.rectification_new, name="rectification-new"),
    path("rectifications/", views.rectification_list, name="rectification-list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification-detail"),
    path("rectifications/<int:pk>/submit/", views.rectification_submit_view, name="rectification-submit"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify_view, name="rectification-verify"),
    path("rectifications/<int:pk>/notice.pdf", views.rectification_notice_pdf, name="rectification-notice-pdf"),
    path("", include("shian.inspection.checklist_urls")),
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("plans/tasks/", plan_views.my_tasks, name="plan-my-tasks"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/draw/<str:kind>/", plan_views.plan_draw, name="plan-draw"),
    path("plans/<int:pk>/publish/", plan_views.plan_publish_view, name="plan-publish"),
    path("plans/draws/<int:pk>.json", plan_views.draw_record, name="draw-record"),
    path("operators/<int:operator_pk>/recusal/", plan_views.recusal_new, name="recusal-new"),
    path("public/plans/", plan_views.public_plans, name="public-plans"),
    path("public/plans/<int:pk>/", plan_views.public_plan, name="public-plan"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("operators/<int:pk>/risk/", views.operator_risk, name="operator-risk"),
    path("operators/<int:pk>/risk/regrade/", views.operator_regrade_view, name="operator-regrade"),
    path("operators/<int:pk>/risk/facts/", views.operator_facts_view, name="operator-risk-facts"),
    path("operators/<int:pk>/risk/override/", views.operator_override_view, name="operator-risk-override"),
    path("risk/regrade/", views.regrade_runs, name="risk-regrade"),
]

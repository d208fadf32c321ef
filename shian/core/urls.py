from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox-mark-read"),
    path("audit/", views.audit_log_page, name="audit-log"),
    path("audit/<str:label>/<str:pk>/", views.audit_object, name="audit-object"),
    path("healthz", views.healthz, name="healthz"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence-list"),
    path("evidence/new/", views.evidence_new, name="evidence-upload"),
    path("evidence/<uuid:public_id>/", views.evidence_detail, name="evidence-detail"),
    path("evidence/<uuid:public_id>/file", views.evidence_file, name="evidence-file"),
    path("evidence/<uuid:public_id>/face", views.evidence_face, name="evidence-face"),
]

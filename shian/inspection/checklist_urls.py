"""Checklist-template pages; included by shian/inspection/urls.py."""

from django.urls import path

from . import checklist_views as views

urlpatterns = [
    path("checklists/", views.checklist_list, name="checklist-list"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist-detail"),
    path("checklists/<int:pk>/copy/", views.checklist_copy_view, name="checklist-copy"),
    path("checklists/<int:pk>/activate/", views.checklist_activate_view, name="checklist-activate"),
    path("checklists/<int:pk>/items/new/", views.checklist_item_add, name="checklist-item-add"),
    path("checklists/<int:pk>/items/<int:item_pk>/", views.checklist_item_edit, name="checklist-item-edit"),
]

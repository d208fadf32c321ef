from django.urls import path

from . import views

urlpatterns = [
    path("", views.operator_index, name="operator-list"),
    path("export.<str:fmt>", views.operator_export, name="operator-export"),
    path("<int:pk>/", views.operator_detail, name="operator-detail"),
]

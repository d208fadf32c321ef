from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.training_home, name="training-home"),
    path("training/start/<int:pk>/", views.exam_new, name="training-exam-new"),
    path("training/exams/<int:pk>/", views.exam_view, name="training-exam"),
    path("training/exams/<int:pk>/start/", views.spot_start, name="training-spot-start"),
    path("training/spot/", views.spot_list, name="training-spot"),
    path("training/spot/assign/<int:pk>/", views.spot_assign, name="training-spot-assign"),
]

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import InspectionViewSet, MeasuresView, RectificationViewSet

router = SimpleRouter()
router.register("inspections", InspectionViewSet, basename="api-inspection")
router.register("rectifications", RectificationViewSet, basename="api-rectification")
urlpatterns = [path("inspections/measures/", MeasuresView.as_view(), name="api-inspection-measures"), *router.urls]

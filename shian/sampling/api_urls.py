from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import RapidTestViewSet, SampleReceiveView, SampleResultsView, SampleViewSet, SamplingPlanViewSet

router = SimpleRouter()
router.register("samples", SampleViewSet, basename="api-sample")
router.register("sampling-plans", SamplingPlanViewSet, basename="api-sampling-plan")
router.register("rapid-tests", RapidTestViewSet, basename="api-rapid-test")
urlpatterns = [
    path("samples/<str:code>/receive/", SampleReceiveView.as_view(), name="api-sample-receive"),
    path("samples/<str:code>/results/", SampleResultsView.as_view(), name="api-sample-results"),
    *router.urls,
]

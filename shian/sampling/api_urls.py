from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import SampleReceiveView, SampleResultsView, SampleViewSet

router = SimpleRouter()
router.register("samples", SampleViewSet, basename="api-sample")
urlpatterns = [
    path("samples/<str:code>/receive/", SampleReceiveView.as_view(), name="api-sample-receive"),
    path("samples/<str:code>/results/", SampleResultsView.as_view(), name="api-sample-results"),
    *router.urls,
]

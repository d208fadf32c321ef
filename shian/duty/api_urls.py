from rest_framework.routers import SimpleRouter

from .api import DailyCheckViewSet, LogEntryViewSet

router = SimpleRouter()
router.register("duty/logs", LogEntryViewSet, basename="api-duty-log")
router.register("duty/daily-checks", DailyCheckViewSet, basename="api-duty-daily-check")
urlpatterns = router.urls

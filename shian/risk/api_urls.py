from rest_framework.routers import SimpleRouter

from .api import RiskGradeViewSet

router = SimpleRouter()
router.register("risk/grades", RiskGradeViewSet, basename="api-risk-grade")
urlpatterns = router.urls

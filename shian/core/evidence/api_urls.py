from rest_framework.routers import SimpleRouter

from .api import EvidenceViewSet

router = SimpleRouter(use_regex_path=False)
router.register("evidence", EvidenceViewSet, basename="api-evidence")
urlpatterns = router.urls

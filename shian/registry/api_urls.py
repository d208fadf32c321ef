from rest_framework.routers import SimpleRouter

from .api import OperatorViewSet

router = SimpleRouter()
router.register("operators", OperatorViewSet, basename="api-operator")
urlpatterns = router.urls

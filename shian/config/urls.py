from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shian.core.forms import LoginForm

handler403 = "shian.core.views.error_403"
handler404 = "shian.core.views.error_404"
handler500 = "shian.core.views.error_500"

api_v1 = [
    path("", include("shian.core.api.urls")),
    path("", include("shian.core.evidence.api_urls")),
    path("", include("shian.registry.api_imports")),  # before the operators router: "imports" is no operator id
    path("", include("shian.registry.api_urls")),
    path("", include("shian.risk.api_urls")),
    path("", include("shian.inspection.api_urls")),
    path("", include("shian.sampling.api_urls")),
    path("", include("shian.trace.api_urls")),
    path("", include("shian.duty.api_urls")),
]

urlpatterns = [
    path("", include("shian.core.urls")),
    path("", include("shian.core.evidence.urls")),
    path("operators/", include("shian.registry.urls")),
    path("", include("shian.risk.urls")),
    path("", include("shian.inspection.urls")),
    path("", include("shian.sampling.urls")),
    path("", include("shian.trace.urls")),
    path("", include("shian.duty.urls")),
    path("", include("shian.training.urls")),
    path("p/", include("shian.registry.views.public")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

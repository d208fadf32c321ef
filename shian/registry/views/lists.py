from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from shian.core.exports import FORMATS, export_response

from ..filtersets import OperatorFilterSet
from ..models import Operator
from ..selectors import operator_list


@login_required
@vary_on_headers("HX-Request")
def operator_index(request):
    filterset = OperatorFilterSet(request.GET, queryset=operator_list(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    rows_only = request.htmx and not request.htmx.history_restore_request
    template = "registry/partials/operator_rows.html" if rows_only else "registry/operator_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@login_required
def operator_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    filterset = OperatorFilterSet(request.GET, queryset=operator_list(user=request.user))
    headers = [
        _("Name"),
        _("Unified social credit code"),
        _("County"),
        _("County code"),
        _("Address"),
        _("Status"),
    ]
    rows = (
        (o.name, o.credit_code, o.region.name, o.region_id, o.address, o.get_status_display())
        for o in filterset.qs.iterator(chunk_size=2000)
    )
    return export_response(fmt=fmt, filename="operators", headers=headers, rows=rows)


@login_required
def operator_detail(request, pk):
    operator = get_object_or_404(Operator.objects.visible_to(request.user).select_related("region__parent"), pk=pk)
    return render(request, "registry/operator_detail.html", {"operator": operator})


urlpatterns = [
    path("", operator_index, name="operator-list"),
    path("export.<str:fmt>", operator_export, name="operator-export"),
    path("<int:pk>/", operator_detail, name="operator-detail"),
]

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from shian.registry.models import Operator


def operator_for(request, pk) -> Operator:
    """A business the user may see (a business user: their own; a regulator: those of their region), else 404."""
    return get_object_or_404(Operator.objects.visible_to(request.user).select_related("region"), pk=pk)


def record_for(request, model, pk, *related):
    """A duty record the user may see, else 404."""
    return get_object_or_404(model.objects.visible_to(request.user).select_related("operator", *related), pk=pk)


def pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

"""The business a request names, as every module's pages look it up."""

from django.shortcuts import get_object_or_404

from .models import Operator


def operator_for(request, pk, *related: str) -> Operator:
    """A business the user may see (a business user: their own; a regulator: those of their region), else 404."""
    return get_object_or_404(Operator.objects.visible_to(request.user).select_related(*(related or ("region",))), pk=pk)

from django.shortcuts import get_object_or_404


def record_for(request, model, pk, *related):
    """A duty record the user may see, else 404."""
    return get_object_or_404(model.objects.visible_to(request.user).select_related("operator", *related), pk=pk)

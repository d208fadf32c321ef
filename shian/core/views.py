from django.apps import apps
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_POST

from . import home as home_pages
from .filtersets import AuditEntryFilterSet
from .selectors import audit_log, audit_timeline
from .selectors import inbox as inbox_selector
from .services.notifications import notifications_mark_read


@login_required
def home(request):
    """Each kind of user lands on their own console."""
    template, context = home_pages.home_for(request.user)
    return render(request, template, context)


@login_required
def inbox(request):
    notes = inbox_selector(user=request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    if request.htmx:
        return render(request, "core/partials/unread_badge.html", {"unread_count": 0 if ids is None else None})
    return redirect("inbox")


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_log_page(request):
    filterset = AuditEntryFilterSet(request.GET, queryset=audit_log(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"filter": filterset, "page": page})


@login_required
def audit_object(request, label, pk):
    name, entries = audit_timeline(user=request.user, label=label, pk=pk)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    model_name = apps.get_model(label)._meta.verbose_name
    context = {"object": name, "label": label, "model_name": model_name, "page": page}
    return render(request, "core/audit_object.html", context)


def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "not_found", "message": "Not found.", "details": {}}}, status=404)
    return render(request, "404.html", status=404)


def error_500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "server_error", "message": "Server error.", "details": {}}}, status=500)
    # No request context: the database may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))

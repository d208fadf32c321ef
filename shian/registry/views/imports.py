"""Bulk import through the web: upload a file, watch the job, read and download its report."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from shian.core.exports import export_response

from ..importing import COLUMNS, import_job_create, import_jobs, template_workbook


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )
    partial = forms.BooleanField(label=_("Write the good rows even if some rows are bad"), required=False)
    dry_run = forms.BooleanField(label=_("Dry run: check and count only, write nothing"), required=False)


@login_required
@permission_required("registry.add_operator", raise_exception=True)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                upload=form.cleaned_data["file"],
                by=request.user,
                partial=form.cleaned_data["partial"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            form.add_error("file", error.message_dict.get("file", error.messages))
        else:
            return redirect("operator-import-job", pk=job.pk)
    jobs = import_jobs(user=request.user)[:10]
    return render(request, "registry/import.html", {"form": form, "jobs": jobs, "columns": COLUMNS})


@login_required
def import_template(request):
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="operators-import-template.xlsx"'
    return response


@login_required
def import_job(request, pk):
    job = get_object_or_404(import_jobs(user=request.user), pk=pk)
    page = Paginator(job.problems, 100).get_page(request.GET.get("page"))
    template = "registry/partials/import_job_status.html" if request.htmx else "registry/import_job.html"
    return render(request, template, {"job": job, "page": page})


@login_required
def import_job_report(request, pk):
    job = get_object_or_404(import_jobs(user=request.user), pk=pk)
    headers = [_("Level"), _("Row"), _("Column"), _("Problem")]
    return export_response(fmt="csv", filename=f"import-{job.pk}-report", headers=headers, rows=job.problems)


urlpatterns = [
    path("import/", import_start, name="operator-import"),
    path("import/template.xlsx", import_template, name="operator-import-template"),
    path("import/<int:pk>/", import_job, name="operator-import-job"),
    path("import/<int:pk>/report.csv", import_job_report, name="operator-import-report"),
]

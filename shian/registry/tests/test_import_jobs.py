"""Bulk import through the web and the API: a job runs in the worker and keeps its report."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shian.core.choices import Role
from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import RegulatorFactory
from shian.registry.models import ImportJob, Operator
from shian.registry.tests.test_import import row

pytestmark = pytest.mark.django_db


def csv_upload(rows: list[dict], name="operators.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


@pytest.fixture
def importer(inspector, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspector.user_permissions.add(Permission.objects.get(codename="add_operator", content_type__app_label="registry"))
    return inspector


def test_an_upload_through_the_web_runs_as_a_job_and_shows_its_report(
    client, importer, django_capture_on_commit_callbacks
):
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("operator-import"), {"file": csv_upload([row(1), row(2, name="")]), "partial": "on"}
        )
    job = ImportJob.objects.get()
    assert response.url == reverse("operator-import-job", args=[job.pk])
    assert (job.status, job.written, job.counts["created"], job.counts["rejected"]) == ("done", True, 1, 1)
    assert Operator.objects.filter(name="测试餐馆1").exists()
    page = client.get(response.url).content.decode()
    assert job.summary in page and "name" in page
    report = b"".join(client.get(reverse("operator-import-report", args=[job.pk])).streaming_content).decode(
        "utf-8-sig"
    )
    assert "error,3,name" in report


def test_only_the_uploader_sees_a_job(client, importer, other_county_inspector, django_capture_on_commit_callbacks):
    client.force_login(importer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("operator-import"), {"file": csv_upload([row(1)])})
    job = ImportJob.objects.get()
    client.force_login(other_county_inspector)
    assert client.get(reverse("operator-import-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("operator-import-report", args=[job.pk])).status_code == 404


def test_importing_needs_the_permission_and_a_csv_or_xlsx(client, importer, django_capture_on_commit_callbacks):
    client.force_login(RegulatorFactory(roles=[Role.COMMITTEE_OFFICE]))
    assert client.post(reverse("operator-import"), {"file": csv_upload([row(1)])}).status_code == 403
    client.force_login(importer)
    response = client.post(reverse("operator-import"), {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_the_template_downloads_with_the_chinese_headers(client, importer):
    client.force_login(importer)
    sheet = load_workbook(io.BytesIO(client.get(reverse("operator-import-template")).content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["名称", "统一社会信用代码", "许可证或备案编号", "主体业态", "行政区划代码", "经营地址"]


def test_the_api_returns_a_job_at_once_and_its_report_later(client, importer, django_capture_on_commit_callbacks):
    _, key = api_token_create(
        user=importer, name="county system", scopes=["operators:read", "operators:write"], days=30
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/operators/imports/", {"file": csv_upload([row(1), row(2, region_code="999999")])}, **auth
        )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    job = client.get(f"/api/v1/operators/imports/{job_id}/", **auth).json()
    assert (job["status"], job["written"], job["counts"]["rejected"]) == ("done", False, 1)
    report = b"".join(client.get(f"/api/v1/operators/imports/{job_id}/report/", **auth).streaming_content).decode(
        "utf-8-sig"
    )
    assert "error,3,region_code" in report
    assert not Operator.objects.exists()


def test_a_read_only_token_cannot_start_an_import(client, importer):
    _, key = api_token_create(user=importer, name="read only", scopes=["operators:read"], days=30)
    response = client.post(
        "/api/v1/operators/imports/", {"file": csv_upload([row(1)])}, HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 403


def test_the_list_links_to_registering_and_importing_for_registrars(client, importer):
    client.force_login(importer)
    page = client.get(reverse("operator-list")).content.decode()
    assert reverse("operator-import") in page and reverse("operator-create") in page
    client.force_login(RegulatorFactory(roles=[Role.COMMITTEE_OFFICE]))
    assert reverse("operator-import") not in client.get(reverse("operator-list")).content.decode()

"""CSV and XLSX exports of any list, streamed so that a large export does not fill memory."""

import csv
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")


class _Echo:
    def write(self, value):
        return value


def _csv_stream(headers: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens UTF-8 Chinese text correctly
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow(row)


def export_response(*, fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """A download of `rows` as `<filename>-<date>.csv|xlsx`."""
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
        write_table(spool, fmt="xlsx", headers=headers, rows=rows)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"{filename}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    raise ValueError(f"unknown export format {fmt!r}")


def write_table(stream, *, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write `rows` as CSV (text stream) or XLSX (binary stream), as the downloads are (for the CLI)."""
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(stream)

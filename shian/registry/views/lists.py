from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from shian.core.exports import FORMATS, export_response

from ..filtersets import OperatorFilterSet
from ..models import Operator
from ..selectors import match_ids, operator_table, region_choices

PAGE_SIZE = 50
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Pages of a list whose matches are looked up once, no further than `cap` rows.

    An unfiltered province holds a million operators: counting them all on every page view costs a scan of
    the whole range, so past the cap the page says "more than 10,000" and pages through the first `cap`
    rows in order (filters and exports reach the rest). Below the cap, the page is read from the ids that
    look-up found (`rows_for(ids)`), so a selective filter or search is evaluated once instead of again,
    row by row in list order, for the page."""

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *, rows_for):
        super().__init__(object_list, per_page)
        self.rows_for = rows_for

    @cached_property
    def ids(self) -> list[int]:
        return match_ids(self.object_list, self.cap + 1)

    @property
    def capped(self) -> bool:
        return len(self.ids) > self.cap

    @cached_property
    def count(self) -> int:
        return min(len(self.ids), self.cap)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = self.object_list if self.capped else self.rows_for(self.ids)
        return self._get_page(rows[bottom:top], number, self)


def operator_page(*, user, params, number=None) -> tuple[OperatorFilterSet, Page]:
    """The filtered list and the requested page of it, as the list page shows it (also timed by
    benchmarks/search_operators.py)."""
    rows = operator_table(user=user)
    filterset = OperatorFilterSet(params, queryset=rows)
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE, rows_for=lambda ids: rows.filter(pk__in=ids))
    return filterset, paginator.get_page(number)


@login_required
@vary_on_headers("HX-Request")
def operator_index(request):
    filterset, page = operator_page(user=request.user, params=request.GET, number=request.GET.get("page"))
    rows_only = request.htmx and not request.htmx.history_restore_request
    template = "registry/partials/operator_rows.html" if rows_only else "registry/operator_list.html"
    context = {"filter": filterset, "page": page}
    if not rows_only:
        context["regions"] = region_choices(user=request.user)
    return render(request, template, context)


def _licence_numbers(operator: Operator) -> str:
    return "; ".join(licence.number for licence in operator.licences.all())


def _licence_expiry(operator: Operator) -> str:
    return "; ".join(
        licence.expires_on.isoformat() if licence.expires_on else "" for licence in operator.licences.all()
    )


@login_required
def operator_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    # The same rows as the list page with these parameters (an invalid field is ignored there too).
    filterset = OperatorFilterSet(request.GET, queryset=operator_table(user=request.user))
    headers = [
        _("Name"),
        _("Unified social credit code"),
        _("Business format"),
        _("County"),
        _("County code"),
        _("Address"),
        _("Status"),
        _("Licence numbers"),
        _("Licence expiry dates"),
        _("Filing numbers"),
        _("Legal representative"),
        _("Phone"),
        _("Risk grade"),
    ]
    rows = (
        (
            o.name,
            o.credit_code,
            o.get_category_display(),
            o.region.name,
            o.region_id,
            o.address,
            o.get_status_display(),
            _licence_numbers(o),
            _licence_expiry(o),
            "; ".join(filing.number for filing in o.filings.all()),
            o.legal_representative,
            o.phone,
            o.risk_grade or "",
        )
        for o in filterset.qs.iterator(chunk_size=2000)
    )
    return export_response(fmt=fmt, filename="operators", headers=headers, rows=rows)


urlpatterns = [
    path("", operator_index, name="operator-list"),
    path("export.<str:fmt>", operator_export, name="operator-export"),
]

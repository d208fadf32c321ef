"""The traceability API: EPCIS 2.0 capture and query, and traces of a lot or trace code (as JSON, as the
sortable spreadsheet, or as EPCIS), each behind a token scope and scoped to what the caller may see."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from shian.core.api.errors import ApiErrorSerializer, error_body
from shian.core.exports import export_response
from shian.core.filtersets import InstantField

from .epcis.documents import capture_document, query_document
from .epcis.identifiers import lot_identifier, short_name
from .models import TraceEvent
from .parsers import EpcisXmlParser, JsonLdParser, TextXmlParser
from .selectors import TraceStartError, trace_of, trace_start
from .selectors.epcis import event_json, with_items
from .selectors.sheet import HEADERS, sheet_rows
from .selectors.trace import BACKWARD, FORWARD, Trace
from .services import epcis_capture

DIRECTIONS = {"both": (BACKWARD, FORWARD), "backward": (BACKWARD,), "forward": (FORWARD,)}


class CanCapture(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("trace.add_traceevent")


class CanTrace(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("trace.view_traceevent")


_CAPTURED = inline_serializer(
    "CaptureResult",
    {
        "stored": serializers.ListField(child=serializers.CharField(), help_text="ids of the events stored"),
        "duplicates": serializers.ListField(child=serializers.CharField(), help_text="ids already stored before"),
        "declared": serializers.ListField(
            child=serializers.CharField(), help_text="ids of stored events this document declared erroneous"
        ),
    },
)


class CaptureView(APIView):
    """Capture an EPCIS 2.0 document (JSON-LD, or XML as `application/xml`). Validated against the official
    JSON Schema and stored all together or not at all; an event already stored (by its eventID, or by its event
    hash when it has none) is skipped, so a retry is safe. A refusal lists every bad event with its position
    (`event`), JSON path and reason."""

    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanCapture]
    parser_classes = [JSONParser, JsonLdParser, EpcisXmlParser, TextXmlParser]
    required_scopes = {"POST": "trace:capture"}

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "application/ld+json": OpenApiTypes.OBJECT},
        responses={201: _CAPTURED, 400: ApiErrorSerializer},
    )
    def post(self, request):
        result = epcis_capture(document=request.data, by=request.user)
        if not result.ok:
            details = {"events": [error.as_dict() for error in result.errors]}
            message = _("The document was not captured: %(count)d problems.") % {"count": len(result.errors)}
            return Response(error_body("invalid", message, details), status=status.HTTP_400_BAD_REQUEST)
        body = {"stored": result.stored, "duplicates": result.duplicates, "declared": result.declared}
        return Response(body, status=status.HTTP_201_CREATED)


_TRACE_PARAMETERS = [
    OpenApiParameter(
        "code",
        {"type": "string", "minLength": 1, "pattern": r"\S"},
        required=True,
        description="a trace code, or a lot's identifier (GS1 or local)",
    ),
    OpenApiParameter("direction", str, enum=list(DIRECTIONS), description="default both"),
]


_JSON_RESPONSES = {200: OpenApiTypes.OBJECT, 400: ApiErrorSerializer, 404: ApiErrorSerializer}


class _TraceEndpoint(APIView):
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanTrace]
    required_scopes = {"GET": "trace:read"}

    def traced(self, request) -> Trace:
        code, direction = request.query_params.get("code", ""), request.query_params.get("direction", "both")
        problems = {}
        if not code.strip():
            problems["code"] = [_("Give a trace code or a lot.")]
        if direction not in DIRECTIONS:
            problems["direction"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(DIRECTIONS)}]
        if problems:
            raise ValidationError(problems)
        try:
            lots, codes = trace_start(code)
        except TraceStartError as exc:
            raise NotFound(str(exc)) from None
        return trace_of(lots=lots, codes=codes, directions=DIRECTIONS[direction], user=request.user)


class TraceView(_TraceEndpoint):
    """The trace of a lot or trace code: backward (every upstream lot, through transformations and packing),
    forward (every downstream lot and every holder, with what it still holds and its latest disposition), or
    both. Events outside the caller's scope keep their shape with quantities and documents hidden."""

    @extend_schema(
        parameters=_TRACE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request):
        return Response(self.traced(request).as_json())


class TraceSheetView(_TraceEndpoint):
    """The trace as a sortable traceability spreadsheet (FSMA 204 style): one row per event and lot."""

    @extend_schema(
        parameters=[*_TRACE_PARAMETERS, OpenApiParameter("file", str, enum=["csv", "xlsx"], description="default csv")],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request):
        fmt = request.query_params.get("file", "csv")
        if fmt not in ("csv", "xlsx"):
            raise ValidationError({"file": [_("Choose csv or xlsx.")]})
        trace = self.traced(request)
        return export_response(fmt=fmt, filename="trace", headers=HEADERS, rows=list(sheet_rows(trace)))


class TraceEpcisView(_TraceEndpoint):
    """The trace's events as an EPCIS 2.0 JSON-LD document."""

    @extend_schema(
        parameters=_TRACE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: ApiErrorSerializer, 404: ApiErrorSerializer},
    )
    def get(self, request):
        trace = self.traced(request)
        visible = {e["event_id"]: e["visible"] for e in trace.events}
        events = with_items(TraceEvent.objects.filter(event_id__in=visible)).order_by("event_time", "pk")
        return Response(capture_document([event_json(e, visible=visible[e.event_id]) for e in events]))


_QUERY_PARAMETERS = [
    OpenApiParameter("EQ_bizStep", str, description="business steps, comma-separated (short names or URNs)"),
    OpenApiParameter("GE_eventTime", OpenApiTypes.DATETIME),
    OpenApiParameter("LT_eventTime", OpenApiTypes.DATETIME),
    OpenApiParameter("MATCH_epc", str, description="trace codes or lots, comma-separated"),
    OpenApiParameter("EQ_bizLocation", str, description="location ids, comma-separated"),
    OpenApiParameter("perPage", {"type": "integer", "minimum": 1, "maximum": 1000}, description="default 100"),
    OpenApiParameter(
        "nextPageToken", {"type": "string", "pattern": "^[0-9]{1,18}$"}, description="from the previous page"
    ),
]


class EventQueryView(APIView):
    """EPCIS 2.0 query of the events the caller may see, with the common filters; the answer is an
    EPCISQueryDocument, its next page named in `Link` (rel=next) and `nextPageToken`."""

    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, CanTrace]
    required_scopes = {"GET": "trace:read"}

    @extend_schema(parameters=_QUERY_PARAMETERS, responses={200: OpenApiTypes.OBJECT, 400: ApiErrorSerializer})
    def get(self, request):
        params = request.query_params
        events = TraceEvent.objects.visible_to(request.user)
        problems = {}
        if steps := _listed(params.get("EQ_bizStep")):
            events = events.filter(biz_step__in=[short_name(s) for s in steps])
        for key, lookup in (("GE_eventTime", "event_time__gte"), ("LT_eventTime", "event_time__lt")):
            if key in params:
                moment = _moment(params[key])
                if moment is None:
                    problems[key] = [_("Give a date and time with a time zone (ISO 8601).")]
                else:
                    events = events.filter(**{lookup: moment})
        if epcs := _listed(params.get("MATCH_epc")):
            lots = {lot_identifier(e) for e in epcs} | set(epcs)
            events = events.filter(items__code__code__in=epcs) | events.filter(items__lot__identifier__in=lots)
            events = events.distinct()
        if places := _listed(params.get("EQ_bizLocation")):
            events = events.filter(biz_location__identifier__in=places)
        per_page = _whole(params.get("perPage", "100"))
        if per_page is None or not 1 <= per_page <= 1000:
            problems["perPage"] = [_("Give a whole number from 1 to 1000.")]
        after = _whole(params.get("nextPageToken", "0"))
        if after is None:
            problems["nextPageToken"] = [_("This page token is not one this server gave.")]
        if problems:
            raise ValidationError(problems)
        page = list(with_items(events.filter(pk__gt=after).order_by("pk"))[: per_page + 1])
        more = len(page) > per_page
        page = page[:per_page]
        body = query_document([event_json(e) for e in page])
        response = Response(body)
        if more:
            token = str(page[-1].pk)
            body["nextPageToken"] = token
            query = params.copy()
            query["nextPageToken"] = token
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        return response


def _listed(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _whole(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


def _moment(value: str) -> datetime.datetime | None:
    """An ISO 8601 instant with its offset, in UTC (PostgreSQL refuses offsets beyond ±15:59); None if it is
    not one. A "+" sent unencoded in a query string arrives as a space."""
    text = value.replace(" ", "+")
    try:
        parsed = parse_datetime(text)
    except ValueError:
        return None
    if parsed is None or parsed.tzinfo is None:
        return None
    try:
        return InstantField().to_python(text)
    except DjangoValidationError:
        return None

"""Training pages. Business users: their exams, starting one, taking it, the bureau's spot tests waiting for them.
Regulators: the spot tests of their region, the people flagged, assigning a test. Every page reads through
`visible_to`: a business sees its own exams only, a regulator those of its region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shian.core.choices import UserKind
from shian.core.outcome import report
from shian.registry.filtersets import OperatorFilterSet
from shian.registry.models import Operator, OperatorMembership
from shian.registry.selectors import membership_role
from shian.registry.shortcuts import operator_for

from .choices import ExamKind, SpotResult
from .forms import AssignForm, ExamForm, StartForm
from .models import Exam
from .selectors import appointees, exam_lines, flagged, waiting_spot_tests
from .services import exam_start, exam_submit, spot_test_assign, spot_test_start


def exam_for(request, pk) -> Exam:
    """An exam the user may see, else 404."""
    return get_object_or_404(
        Exam.objects.visible_to(request.user).select_related("operator", "staff", "user", "assigned_by"), pk=pk
    )


def _regulator(user) -> bool:
    return user.kind == UserKind.REGULATOR or user.is_superuser


@login_required
@permission_required("training.view_exam", raise_exception=True)
def training_home(request):
    """A business user's training page: spot tests waiting, their exams, starting a new one."""
    if _regulator(request.user):
        return redirect("training-spot")
    if not request.user.has_perm("training.add_exam"):
        raise PermissionDenied
    today = timezone.localdate()
    memberships = OperatorMembership.objects.filter(user=request.user).select_related("operator").order_by("pk")
    mine = Exam.objects.visible_to(request.user)
    context = {
        "today": today,
        "waiting": waiting_spot_tests(request.user, today=today),
        "exams": mine.filter(user=request.user).exclude(kind=ExamKind.SPOT).select_related("operator")[:30],
        "spot_results": mine.spot()
        .exclude(submitted_at__isnull=True, due_on__gte=today)
        .select_related("operator", "staff")
        .order_by("-due_on", "-pk")[:30],
        "starts": [
            {
                "operator": m.operator,
                "role": m.get_role_display(),
                "form": StartForm(operator=m.operator, role=m.role, prefix=f"op{m.operator_id}"),
            }
            for m in memberships
        ],
    }
    return render(request, "training/home.html", context)


@login_required
@require_POST
@permission_required("training.add_exam", raise_exception=True)
def exam_new(request, pk):
    operator = operator_for(request, pk)
    form = StartForm(
        request.POST, operator=operator, role=membership_role(request.user, operator), prefix=f"op{operator.pk}"
    )
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("training-home")
    try:
        exam = exam_start(operator=operator, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training-home")
    return redirect("training-exam", pk=exam.pk)


@login_required
@permission_required("training.view_exam", raise_exception=True)
def exam_view(request, pk):
    """Take an exam (all questions in one form) or, once submitted, see the score and every right answer."""
    exam = exam_for(request, pk)
    today = timezone.localdate()
    user = request.user
    taking = user.kind == UserKind.BUSINESS and exam.user_id == user.pk and exam.is_open(today)
    lines = exam_lines(exam) if taking or exam.is_submitted else []
    data = request.POST if request.method == "POST" else None  # an empty POST is a submission with no answers
    form = ExamForm(data, lines=lines) if taking else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            submitted = report(
                request,
                lambda: exam_submit(exam=exam, by=user, answers=form.answers()),
                _("Submitted."),
            )
            if submitted:
                return redirect("training-exam", pk=exam.pk)
    context = {
        "exam": exam,
        "today": today,
        "result": exam.result(today),
        "lines": lines,
        "form": form,
        "can_start": exam.is_spot
        and exam.user_id is None
        and exam.is_open(today)
        and user.kind == UserKind.BUSINESS
        and user.has_perm("training.add_exam"),
        "correct": sum(1 for line in lines if line.right),
    }
    return render(request, "training/exam.html", context)


@login_required
@require_POST
@permission_required("training.add_exam", raise_exception=True)
def spot_start(request, pk):
    exam = exam_for(request, pk)
    report(request, lambda: spot_test_start(exam=exam, by=request.user), _("The spot test has started."))
    return redirect("training-exam", pk=exam.pk)


@login_required
@permission_required("training.view_exam", raise_exception=True)
def spot_list(request):
    """The regulators' page: spot tests of their region by result, the people flagged, and assigning tests."""
    if not _regulator(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    visible = Exam.objects.visible_to(request.user)
    exams = visible.spot().select_related("operator", "staff", "assigned_by").order_by("-assigned_at", "-pk")
    result = request.GET.get("result", "")
    if result in SpotResult.values:
        exams = exams.with_result(result, today)
    can_assign = request.user.has_perm("training.assign_spot_test")
    query = request.GET.get("q", "").strip()
    found, chosen, form, waiting = [], None, None, []
    if can_assign and query:
        operators = Operator.objects.visible_to(request.user)
        found = list(OperatorFilterSet({"q": query}, queryset=operators).qs.order_by("name")[:20])
    if can_assign and request.GET.get("operator", "").isdigit():
        chosen = operator_for(request, int(request.GET["operator"]))
        form = AssignForm(people=appointees(chosen, today=today))
        waiting = Exam.objects.spot().pending(today).filter(operator=chosen).select_related("staff")
    context = {
        "page": Paginator(exams, 30).get_page(request.GET.get("page")),
        "today": today,
        "result": result,
        "results": SpotResult.choices,
        "flagged": flagged(visible, today=today)[:50],
        "can_assign": can_assign,
        "query": query,
        "found": found,
        "chosen": chosen,
        "form": form,
        "waiting": waiting,
    }
    return render(request, "training/spot.html", context)


@login_required
@require_POST
@permission_required("training.assign_spot_test", raise_exception=True)
def spot_assign(request, pk):
    operator = operator_for(request, pk)
    form = AssignForm(request.POST, people=appointees(operator, today=timezone.localdate()))
    if form.is_valid():
        people = form.chosen()
        report(
            request,
            lambda: spot_test_assign(operator=operator, staff=people, by=request.user),
            _("Spot tests assigned: %(n)d.") % {"n": len(people)},
        )
    else:
        messages.error(request, _("Choose at least one appointed director or officer."))
    return redirect(f"{reverse('training-spot')}?operator={operator.pk}")

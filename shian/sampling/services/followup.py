"""After a failure: the result served on the business, its re-test (复检) with a lab drawn at random, and the
follow-up handling (核查处置) ordered, reported and verified (FSL arts. 87–88; SAMR Order 15; regulations.md §2)."""

import datetime
import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role, UserKind
from shian.core.models import User
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify

from ..choices import DisposalStatus, ResultSource, RetestStatus, SampleStatus
from ..labrows import LabRow
from ..models import Disposal, Lab, Retest, Sample, TestResult
from ..rules import RETEST_APPLY_WORKING_DAYS, draw_retest_lab, retest_fee_bearer, sample_verdict
from .results import Judge
from .samples import clock, deadline


def _business_users(*operators) -> "list[User]":
    ids = [o.pk for o in operators if o is not None]
    return list(User.objects.filter(operator_memberships__operator_id__in=ids, is_active=True).distinct())


def _bureau_users(sample: Sample):
    return User.objects.filter(
        kind=UserKind.REGULATOR,
        is_active=True,
        agency=sample.agency_id,
        groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD],
    ).distinct()


def _require_member(sample: Sample, by: User, *, or_producer: bool = False) -> None:
    allowed = [sample.operator_id, *([sample.producer_id] if or_producer and sample.producer_id else [])]
    if not by.operator_memberships.filter(operator__in=allowed).exists():
        raise ValidationError(_("Only the sampled business may do this."))


@transaction.atomic
def sample_notify(*, sample: Sample, by: User) -> Sample:
    """Serve the failing result and its notice (检验结果通知书) on the sampled business and the producer: the
    business may apply for a re-test within 7 working days [V: FSL art. 88 ¶1]; the result is published."""
    if sample.status != SampleStatus.FAILED:
        raise ValidationError(_("Only a failed sample's result is served on the business."))
    if sample.notified_at is not None:
        raise ValidationError(_("The result was already served on %(date)s.") % {"date": sample.notified_at.date()})
    before = snapshot(sample)
    sample.notified_at = sample.published_at = timezone.now()
    sample.retest_due = deadline(timezone.localdate(sample.notified_at), RETEST_APPLY_WORKING_DAYS)
    sample.save(update_fields=["notified_at", "published_at", "retest_due"])
    audit_record(actor=by, action="sampling.sample.notify", obj=sample, before=before, after=snapshot(sample))
    notify(
        recipients=_business_users(sample.operator, sample.producer),
        kind="sampling.sample.notice",
        title=_("Test result notice: %(product)s failed") % {"product": sample.product_name},
        body=_("You may apply for a re-test until %(date)s.") % {"date": sample.retest_due or "—"},
        link=f"/sampling/samples/{sample.pk}/",
        dedupe_key=f"sampling.notice:{sample.pk}",
        sms=True,
    )
    return sample


@transaction.atomic
def retest_apply(*, sample: Sample, by: User, reason: str, fee=None) -> Retest:
    """The business applies for a re-test, within 7 working days of being served the result [V: FSL art. 88 ¶1];
    it pays the fee in advance (Implementing Regulations art. 42 [V]). The producer named on the food may apply
    as the sampled business may (FSL art. 88 ¶1: 食品生产经营者)."""
    _require_member(sample, by, or_producer=True)
    if sample.status != SampleStatus.FAILED or sample.notified_at is None:
        raise ValidationError(_("A re-test may be applied for once a failing result has been served."))
    if Retest.objects.filter(sample=sample).exists():
        raise ValidationError(_("A re-test was already applied for."))
    today = timezone.localdate()
    if sample.retest_due is not None and today > sample.retest_due:
        raise ValidationError(
            _("The time to apply for a re-test ended on %(date)s (7 working days).") % {"date": sample.retest_due}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you apply for a re-test.")})
    retest = Retest.objects.create(sample=sample, applied_at=timezone.now(), applicant=by, reason=reason, fee=fee)
    audit_record(actor=by, action="sampling.retest.apply", obj=retest, after=snapshot(retest))
    notify(
        recipients=_bureau_users(sample),
        kind="sampling.retest.applied",
        title=_("Re-test applied for: sample %(code)s") % {"code": sample.code},
        body=reason,
        link=f"/sampling/samples/{sample.pk}/",
    )
    return retest


@transaction.atomic
def retest_decide(*, retest: Retest, by: User, accept: bool, reason: str = "") -> Retest:
    """The bureau accepts (and the re-test lab is drawn) or refuses (with its reason) a re-test application."""
    if retest.status != RetestStatus.APPLIED:
        raise ValidationError(_("This application was already decided."))
    before = snapshot(retest)
    retest.decided_at, retest.decided_by = timezone.now(), by
    if not accept:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for refusing.")})
        retest.status, retest.refusal_reason = RetestStatus.REFUSED, reason
    else:
        pool = list(Lab.objects.filter(active=True, retest_approved=True).values_list("pk", flat=True))
        seed = secrets.token_hex(8)
        drawn = draw_retest_lab(pool, retest.sample.lab_id, seed)
        if drawn is None:
            raise ValidationError(_("No approved re-test lab other than the first lab is available."))
        retest.status, retest.lab_id, retest.draw_seed, retest.draw_pool = RetestStatus.TESTING, drawn, seed, pool
    retest.save()
    audit_record(actor=by, action="sampling.retest.decide", obj=retest, before=before, after=snapshot(retest))
    if accept:
        notify(
            recipients=User.objects.filter(lab_memberships__lab=retest.lab_id, is_active=True),
            kind="sampling.retest.assigned",
            title=_("Re-test of sample %(code)s assigned to your lab") % {"code": retest.sample.code},
            link=f"/sampling/samples/{retest.sample_id}/",
        )
    notify(
        recipients=[retest.applicant],
        kind="sampling.retest.decided",
        title=_("Your re-test application was accepted") if accept else _("Your re-test application was refused"),
        body=reason,
        link=f"/sampling/samples/{retest.sample_id}/",
    )
    return retest


@transaction.atomic
def retest_results_record(
    *, retest: Retest, rows: Sequence[LabRow], by: User, concluded_on: datetime.date, source=ResultSource.WEB
) -> Retest:
    """The re-test lab reports its results: judged as the first test was; its verdict is final and decides
    who bears the fee [V: FSL art. 88 ¶1; Implementing Regulations art. 42]. Every row must be readable."""
    if retest.status != RetestStatus.TESTING:
        raise ValidationError(_("This re-test is not at a lab."))
    if not by.lab_memberships.filter(lab=retest.lab_id).exists():
        raise ValidationError(_("This re-test was assigned to another lab."))
    sample = Sample.objects.select_related("category").get(pk=retest.sample_id)
    judge_with = Judge()
    results = [judge_with.result(sample, row, source=source, by=by) for row in rows]
    problems = [f"{r.analyte_text}: {'; '.join(r.problems)}" for r in results if r.problems]
    if problems or not results:
        raise ValidationError({"results": problems or [_("Report at least one result.")]})
    for result in results:
        result.retest = retest
    TestResult.objects.bulk_create(results)
    verdict = sample_verdict(r.verdict for r in results)
    if verdict is None:
        raise ValidationError({"results": [_("No reported item has a limit: the re-test cannot be concluded.")]})
    before = snapshot(retest)
    retest.status, retest.verdict, retest.concluded_on = RetestStatus.CONCLUDED, verdict, concluded_on
    retest.fee_bearer = retest_fee_bearer(verdict)
    retest.save()
    Sample.objects.filter(pk=sample.pk).update(final_verdict=verdict)
    audit_record(actor=by, action="sampling.retest.conclude", obj=retest, before=before, after=snapshot(retest))
    ledger_append(
        kind="sampling.retest.verdict",
        obj=retest,
        actor=by,
        payload={
            "sample": sample.code,
            "verdict": verdict,
            "lab": retest.lab_id,
            "items": [{"analyte": r.analyte_text, "value": r.value_text, "verdict": r.verdict} for r in results],
        },
    )
    notify(
        recipients=[*_bureau_users(sample), retest.applicant],
        kind="sampling.retest.concluded",
        title=_("Re-test of sample %(code)s: %(verdict)s")
        % {"code": sample.code, "verdict": retest.get_verdict_display()},
        link=f"/sampling/samples/{sample.pk}/",
    )
    return retest


@transaction.atomic
def disposal_order(*, sample: Sample, by: User, requirement: str) -> Disposal:
    """Order the follow-up handling of a failed sample: to be finished within the disposal limit from the day
    the result was served (SHIAN_SAMPLING DISPOSAL_DAYS [R: Order 15 art. 45])."""
    if sample.status != SampleStatus.FAILED or sample.notified_at is None:
        raise ValidationError(_("Follow-up handling is ordered for a failed sample once its result is served."))
    if Disposal.objects.filter(sample=sample).exists():
        raise ValidationError(_("Follow-up handling was already ordered."))
    if not requirement.strip():
        raise ValidationError({"requirement": _("Say what the business must do.")})
    start = timezone.localdate(sample.notified_at)
    disposal = Disposal.objects.create(
        sample=sample,
        ordered_at=timezone.now(),
        ordered_by=by,
        requirement=requirement,
        due=start + datetime.timedelta(days=clock("DISPOSAL_DAYS")),
    )
    audit_record(actor=by, action="sampling.disposal.order", obj=disposal, after=snapshot(disposal))
    notify(
        recipients=_business_users(sample.operator),
        kind="sampling.disposal.ordered",
        title=_("Follow-up handling ordered for %(product)s") % {"product": sample.product_name},
        body=requirement,
        link=f"/sampling/samples/{sample.pk}/",
        sms=True,
    )
    return disposal


@transaction.atomic
def disposal_report(
    *,
    disposal: Disposal,
    by: User,
    sealed: bool,
    sales_stopped: bool,
    recalled_quantity: str,
    cause: str,
) -> Disposal:
    """The business reports what it did: sealing, stopping sales, the recall and the cause (its photos are 五定
    evidence uploaded for the handling)."""
    _require_member(disposal.sample, by)
    if disposal.status not in (DisposalStatus.ORDERED, DisposalStatus.RETURNED):
        raise ValidationError(_("This follow-up handling is not waiting for the business."))
    if not cause.strip():
        raise ValidationError({"cause": _("Describe the cause you found.")})
    before = snapshot(disposal)
    disposal.sealed, disposal.sales_stopped = sealed, sales_stopped
    disposal.recalled_quantity, disposal.cause = recalled_quantity, cause
    disposal.status, disposal.reported_at, disposal.reported_by = DisposalStatus.REPORTED, timezone.now(), by
    disposal.save()
    audit_record(actor=by, action="sampling.disposal.report", obj=disposal, before=before, after=snapshot(disposal))
    notify(
        recipients=_bureau_users(disposal.sample),
        kind="sampling.disposal.reported",
        title=_("Follow-up handling reported: sample %(code)s") % {"code": disposal.sample.code},
        link=f"/sampling/samples/{disposal.sample_id}/",
    )
    return disposal


@transaction.atomic
def disposal_verify(*, disposal: Disposal, by: User, accepted: bool, reason: str = "", open_case: bool = False):
    """The bureau verifies the business's report: closes the handling or returns it; and may open a case for
    the enforcement module."""
    if disposal.status != DisposalStatus.REPORTED:
        raise ValidationError(_("Nothing has been reported to verify."))
    if not accepted and not reason.strip():
        raise ValidationError({"reason": _("Say what is missing.")})
    before = snapshot(disposal)
    disposal.status = DisposalStatus.CLOSED if accepted else DisposalStatus.RETURNED
    disposal.verified_at, disposal.verified_by, disposal.verdict_reason = timezone.now(), by, reason
    disposal.case_opened = disposal.case_opened or open_case
    disposal.save()
    audit_record(actor=by, action="sampling.disposal.verify", obj=disposal, before=before, after=snapshot(disposal))
    ledger_append(
        kind="sampling.disposal.verdict",
        obj=disposal,
        actor=by,
        payload={"sample": disposal.sample.code, "accepted": accepted, "case_opened": disposal.case_opened},
    )
    notify(
        recipients=_business_users(disposal.sample.operator),
        kind="sampling.disposal.verified",
        title=_("Follow-up handling closed") if accepted else _("Follow-up handling returned for more"),
        body=reason,
        link=f"/sampling/samples/{disposal.sample_id}/",
    )
    return disposal

from django.utils import timezone

from shian.core.home import Card, home_card

from .choices import SampleStatus
from .models import Sample


@home_card
def samples_card(user) -> Card | None:
    """The samples still open that the user may see: at a lab, the ones to test; at a bureau, the ones under way
    and the failures; for a business, its failures to act on."""
    if not user.has_perm("sampling.view_sample"):
        return None
    today = timezone.localdate()
    visible = Sample.objects.visible_to(user)
    open_samples = visible.filter(status__in=[SampleStatus.SAMPLED, SampleStatus.TESTING])
    context = {
        "open": open_samples.select_related("category").order_by("report_due", "lab_due")[:6],
        "open_count": open_samples.count(),
        "late": open_samples.filter(report_due__lt=today).count() + visible.late_to_lab(today).count(),
        "failed": visible.filter(status=SampleStatus.FAILED, disposal__isnull=True).count(),
    }
    return Card("sampling/cards/home_samples.html", context, order=18)

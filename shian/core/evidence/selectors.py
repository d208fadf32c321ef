from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from ..models import Evidence


def evidence_for(record) -> QuerySet[Evidence]:
    """The 五定 evidence uploaded for a record (a sample's photos, a holder's proof of control …)."""
    subject_type = ContentType.objects.get_for_model(record)
    return Evidence.objects.filter(subject_type=subject_type, subject_id=str(record.pk)).order_by("uploaded_at")

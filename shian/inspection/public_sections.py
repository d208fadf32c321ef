from shian.registry.public_sections import Section, public_section

from .models import Inspection


@public_section
def inspections_section(operator) -> Section | None:
    """Published inspection results (Order 49 art. 39 [V]): date, kind and result, nothing else."""
    published = (
        Inspection.objects.filter(operator=operator, published_at__isnull=False)
        .order_by("-finished_at")
        .only("kind", "result", "finished_at", "published_at")[:10]
    )
    published = list(published)
    if not published:
        return None
    return Section("inspection/public/section_inspections.html", {"inspections": published}, order=30)

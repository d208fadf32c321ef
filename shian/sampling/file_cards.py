from shian.core.home import Card
from shian.registry.file_cards import file_card

from .models import Sample


@file_card
def samples_card(operator, user) -> Card | None:
    if not user.has_perm("sampling.view_sample") and not user.has_perm("sampling.view_rapidtest"):
        return None
    samples = Sample.objects.visible_to(user).filter(operator=operator).order_by("-sampled_at")[:5]
    return Card(
        "sampling/cards/file_samples.html",
        {
            "samples": samples,
            "can_sample": user.has_perm("sampling.add_sample"),
            "can_rapid": user.has_perm("sampling.add_rapidtest"),
        },
        order=25,
    )

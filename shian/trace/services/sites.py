"""A business's own sites as supply-chain locations."""

from shian.registry.models import Operator

from ..choices import LocationKind
from ..models import Location


def site_identifier(operator: Operator) -> str:
    return f"urn:shian:site:{operator.public_id}"


def operator_site(operator: Operator) -> Location:
    """The location standing for a business's registered premises (created on first use)."""
    location, _ = Location.objects.get_or_create(
        identifier=site_identifier(operator),
        defaults={
            "kind": LocationKind.SITE,
            "name": operator.name,
            "operator": operator,
            "region_id": operator.region_id,
            "address": operator.address,
        },
    )
    return location

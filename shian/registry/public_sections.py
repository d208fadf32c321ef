"""The sections of an operator's public page (/p/<public_id>/, the QR target), registered by apps.

Each app that publishes something about a business (licences here; grades, inspection results, samples
in later modules) registers `provider(operator) -> Section | None` in its own `public_sections.py` with
`@public_section`. A provider returns None when it has nothing to show. Everything a provider puts in
its section is shown to anyone without logging in: only facts that the law has published (公示).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .choices import LicenceStatus


@dataclass
class Section:
    """A block of the public page: `template` is included with `ctx=context` and `operator`."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: list[Callable] = []
_discovered = False


def public_section(provider: Callable):
    """Register `provider(operator) -> Section | None` for the public page."""
    _providers.append(provider)
    return provider


def sections_for(operator) -> list[Section]:
    """The sections of `operator`'s public page, in their order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("public_sections")
        _discovered = True
    sections = [section for provider in _providers if (section := provider(operator)) is not None]
    return sorted(sections, key=lambda s: s.order)


@public_section
def licences_section(operator) -> Section:
    """Licences and filings are public (公示) [S: Food Business Licensing and Filing Measures, SAMR Order 78]."""
    today = timezone.localdate()
    licences = [
        {
            "licence": licence,
            "in_force": licence.status == LicenceStatus.VALID and not licence.is_expired(today),
            "expired": licence.is_expired(today),
        }
        for licence in operator.licences.all()
    ]
    # Licences in force first, then the rest; each group newest first (the model's ordering).
    licences.sort(key=lambda row: not row["in_force"])
    filings = list(operator.filings.all())
    return Section(
        "registry/public/section_licences.html",
        {"licences": licences, "filings": filings, "today": today},
        order=10,
    )

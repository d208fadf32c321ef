"""Cards that other modules add to an operator's file page (一企一档): its risk grade, its inspections …

An app registers `provider(operator, user) -> Card | None` in its own `file_cards.py` with `@file_card`; the
provider shows only what `user` may see and returns None otherwise. Cards appear in the side column in their
`order`; a card template gets `operator` and its context as `ctx`.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

from shian.core.home import Card

_providers: list[Callable] = []
_discovered = False


def file_card(provider: Callable):
    _providers.append(provider)
    return provider


def file_cards_for(operator, user) -> list[Card]:
    global _discovered
    if not _discovered:
        autodiscover_modules("file_cards")
        _discovered = True
    cards = [card for provider in _providers if (card := provider(operator, user)) is not None]
    return sorted(cards, key=lambda c: c.order)

from django.conf import settings


def shell(request):
    """What the base layout needs on every page: the unread count and the navigation for the user's roles."""
    from .navigation import navigation_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shian_debug": settings.DEBUG}
    return {
        "shian_debug": settings.DEBUG,
        "unread_count": user.notifications.filter(read_at__isnull=True).count(),
        "navigation": navigation_for(user),
    }

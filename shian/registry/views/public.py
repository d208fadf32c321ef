"""Filled in by the registry issue (work in progress)."""

urlpatterns = []

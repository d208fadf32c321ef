from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Cursor pagination: stable and fast at any depth of a million-row list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"

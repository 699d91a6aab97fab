from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    """Cursor pagination: stays fast at a million rows, where page-number counts would not."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-received_date", "-id")

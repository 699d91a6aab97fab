from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    """Cursor pagination: stays fast at a million rows, where page-number counts would not."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_description = "分页游标：取自上一次响应的 next 或 previous 链接。"
    page_size_query_description = "每页条数，默认 50，最多 200。"
    invalid_cursor_message = "分页游标无效。"
    ordering = ("-received_date", "-id")

    def get_paginated_response_schema(self, schema: dict) -> dict:
        def link(description: str) -> dict:
            return {"type": "string", "format": "uri", "nullable": True, "description": description}

        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": link("下一页的地址；已是最后一页时为 null"),
                "previous": link("上一页的地址；已是第一页时为 null"),
                "results": schema,
            },
        }


class SuspectPagination(CasePagination):
    ordering = ("-id",)

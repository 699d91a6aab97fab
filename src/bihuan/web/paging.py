"""Keyset (seek) pagination and capped counts for lists that must stay fast at a million rows.

A page is fetched with `WHERE (k1, k2) < (last k1, last k2) ORDER BY k1 DESC, k2 DESC LIMIT n+1`
(or `>` and ascending order), written so that the leading key also gives the index a range bound;
no OFFSET is ever used.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

CURSOR_SEPARATOR = "_"


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None


def _beyond(keys: list[str], values: list[Any], op: str) -> Q:
    """Lexicographic (k1, k2 …) op (v1, v2 …), plus `k1 op= v1` so the index gets a bound."""
    first, value = keys[0], values[0]
    if len(keys) == 1:
        return Q(**{f"{first}__{op}": value})
    strict = Q(**{f"{first}__{op}": value}) | (Q(**{first: value}) & _beyond(keys[1:], values[1:], op))
    return Q(**{f"{first}__{op}e": value}) & strict


class Seek:
    """Pages of a queryset in descending (or ascending) order of `keys`; the last key must be
    unique and no key may be NULL."""

    def __init__(self, keys: list[tuple[str, Callable[[str], Any]]], size: int, *, descending: bool = True) -> None:
        self.names = [name for name, _ in keys]
        self.parsers = [parse for _, parse in keys]
        self.size = size
        # Comparison after a cursor going forward, and the order of a page, in each direction.
        self.forward, self.backward = ("lt", "gt") if descending else ("gt", "lt")
        self.forward_order = [f"-{name}" for name in self.names] if descending else self.names
        self.backward_order = self.names if descending else [f"-{name}" for name in self.names]

    def encode(self, row: Any) -> str:
        return CURSOR_SEPARATOR.join(str(getattr(row, name)) for name in self.names)

    def decode(self, cursor: str | None) -> list[Any] | None:
        """The key values of a cursor, or None for a missing or malformed one (first page)."""
        if not cursor:
            return None
        parts = cursor.split(CURSOR_SEPARATOR)
        if len(parts) != len(self.parsers):
            return None
        try:
            return [parse(part) for parse, part in zip(self.parsers, parts, strict=True)]
        except ValueError:
            return None

    def page(self, queryset: QuerySet, params: Mapping[str, str]) -> Page:
        """The page after `params["after"]`, before `params["before"]`, or the first page."""
        before = self.decode(params.get("before"))
        if before is not None:
            backwards = queryset.filter(_beyond(self.names, before, self.backward)).order_by(*self.backward_order)
            rows = list(backwards[: self.size + 1])
            more = len(rows) > self.size
            rows = rows[: self.size][::-1]
            return Page(
                rows,
                next_cursor=self.encode(rows[-1]) if rows else None,
                prev_cursor=self.encode(rows[0]) if more else None,
            )
        after = self.decode(params.get("after"))
        if after is not None:
            queryset = queryset.filter(_beyond(self.names, after, self.forward))
        rows = list(queryset.order_by(*self.forward_order)[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        return Page(
            rows,
            next_cursor=self.encode(rows[-1]) if more else None,
            prev_cursor=self.encode(rows[0]) if after is not None and rows else None,
        )


def capped_count(queryset: QuerySet, cap: int) -> int:
    """COUNT over a subquery limited to cap + 1 rows: exact up to `cap`, then just "more"."""
    return queryset.order_by()[: cap + 1].count()

"""The case code's domain error, in a module of its own so that the query and helper modules
(sharing, reviews, gate, reminders) can raise it without importing `actions`, which imports them."""


class CodeRefused(Exception):
    """A case-code action refused, with the reason in Chinese."""

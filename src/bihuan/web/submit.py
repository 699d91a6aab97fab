"""Once-only form submissions: a form carries a fresh token, and the server honours each token
once, so a double click or a resent form does nothing twice (product rule: "a double submit
... leaves one clean result")."""

import secrets

from django.http import HttpRequest

SESSION_KEY = "submit_tokens"
FIELD = "submit_token"
KEPT = 200  # tokens a session holds; the oldest unused ones are forgotten
REPEATED = "该操作已提交，未重复执行。"  # what a repeated submission is told


def issue_token(request: HttpRequest) -> str:
    token = secrets.token_urlsafe(16)
    tokens = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*tokens[-(KEPT - 1) :], token]
    return token


def consume_token(request: HttpRequest) -> bool:
    """True the first time the form's token comes back; False for a repeat or a forged token."""
    token = request.POST.get(FIELD, "")
    tokens = request.session.get(SESSION_KEY, [])
    if not token or token not in tokens:
        return False
    tokens.remove(token)
    request.session[SESSION_KEY] = tokens
    return True

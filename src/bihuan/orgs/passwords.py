"""Password complexity for 等级保护 2.0: at least three of four character classes."""

import re

from django.core.exceptions import ValidationError

CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


class ComplexityValidator:
    def validate(self, password: str, user=None) -> None:
        present = sum(1 for pattern in CLASSES if re.search(pattern, password))
        if present < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"

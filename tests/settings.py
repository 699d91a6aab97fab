"""Test overlay on Bihuan's settings (never used in production)."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from bihuan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405

"""The `bihuan` console script: Django's management utility with Bihuan's settings."""

import os
import secrets
import sys
from pathlib import Path

DEMO_SECRET_FILE = ".bihuan-secret-key"  # noqa: S105 - a file name, not a secret


def _demo_secret_key() -> str:
    """Return the embedded setup's secret key, generating it once and keeping it in the working directory."""
    path = Path.cwd() / DEMO_SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    # A secret key is generated and kept only for the demo and the embedded setup (`bihuan demo`,
    # no DATABASE_URL, or a working directory where one was already made); production must set one.
    is_demo = len(sys.argv) > 1 and sys.argv[1] == "demo"
    if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")) and (
        is_demo or "DATABASE_URL" not in os.environ or (Path.cwd() / DEMO_SECRET_FILE).exists()
    ):
        os.environ["SECRET_KEY"] = _demo_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

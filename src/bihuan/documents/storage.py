"""Where uploaded document files are kept: `DATA_DIR/documents/`, content-addressed by SHA-256.

The directory lies outside the web root and outside STATIC_ROOT; nothing serves it directly, the
bytes only leave through the scoped download view. A file is written to a temporary name in
the same directory and renamed into place, so a reader never sees half a file.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SUBDIR = "documents"


@dataclass(frozen=True)
class Stored:
    key: str  # path under the storage root, e.g. "ab/ab12…"
    sha256: str
    created: bool  # False when the same bytes were already stored


def root() -> Path:
    """The storage root; refuses a DATA_DIR inside STATIC_ROOT, which a web server may serve."""
    base = (Path(settings.DATA_DIR) / SUBDIR).resolve()
    static_root = settings.STATIC_ROOT
    if static_root and base.is_relative_to(Path(static_root).resolve()):
        raise ImproperlyConfigured("DATA_DIR must not lie inside STATIC_ROOT: uploaded files would be served")
    return base


def key_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


def path_of(key: str) -> Path:
    """The file of a storage key; a key is always "<2 hex>/<64 hex>", so it cannot leave the root."""
    head, _, name = key.partition("/")
    if len(head) != 2 or len(name) != 64 or not name.startswith(head) or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("bad storage key")
    return root() / head / name


def save(data: bytes) -> Stored:
    """Store `data` under its SHA-256 (temporary file, fsync, rename) and return where it lies."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = key_for(sha256)
    target = path_of(key)
    if target.exists():
        return Stored(key, sha256, created=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Stored(key, sha256, created=True)


def discard(key: str) -> None:
    path_of(key).unlink(missing_ok=True)

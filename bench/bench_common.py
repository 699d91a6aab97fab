"""Shared pieces of the HTTP benchmarks: the server as a subprocess, a logged-in client built on
the standard library (urllib + http.cookiejar), and percentiles.

The server is `bihuan serve`, started with the caller's environment, so it uses the same
DATABASE_URL and SECRET_KEY as the data was loaded with (a different SECRET_KEY would sign new
audit events with another key and break `bihuan verifyaudit`).
"""

import contextlib
import http.cookiejar
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"bihuan serve exited with status {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"bihuan serve did not listen on port {port} within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(port: int | None = None, threads: int = 8, timeout: float = 60) -> Iterator[str]:
    """Run `bihuan serve` on 127.0.0.1 for the duration of the block; yield its base URL."""
    port = port or free_port()
    command = [sys.executable, "-m", "bihuan", "serve", "--port", str(port), "--threads", str(threads)]
    with tempfile.TemporaryDirectory(prefix="bihuan-bench-") as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
            try:
                try:
                    _wait_for_port(port, process, timeout)
                except RuntimeError:
                    sys.stderr.write(log_path.read_text(encoding="utf-8", errors="replace")[-4000:])
                    raise
                yield f"http://127.0.0.1:{port}"
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass
class Reply:
    status: int
    url: str
    body: str
    ms: float


class Browser:
    """One logged-in person: a cookie jar, CSRF handling, and timed requests."""

    def __init__(self, base: str) -> None:
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise ValueError(f"not an HTTP address: {base}")
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, request: urllib.request.Request) -> Reply:
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read()
                status, url = response.status, response.url
        except urllib.error.HTTPError as exc:
            body, status, url = exc.read(), exc.code, exc.url
        ms = (time.perf_counter() - start) * 1000
        return Reply(status, url, body.decode("utf-8", errors="replace"), ms)

    def get(self, path: str, params: dict | None = None) -> Reply:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self._open(urllib.request.Request(self.base + path + query))  # noqa: S310 - http(s) only

    def post(self, path: str, data: dict) -> Reply:
        """Submit a form as the browser does (CSRF token from the cookie) and follow the redirect;
        the time covers both requests."""
        token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        url = self.base + path
        body = urllib.parse.urlencode(data).encode()
        headers = {"X-CSRFToken": token, "Referer": url}
        return self._open(urllib.request.Request(url, data=body, headers=headers))  # noqa: S310 - http(s) only

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, with its CSRF token; raise if the login is refused."""
        page = self.get("/login/")
        match = CSRF_INPUT.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"login page answered {page.status} without a CSRF token")
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
        ).encode()
        login_url = self.base + "/login/"
        request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})  # noqa: S310
        reply = self._open(request)
        if reply.status != 200 or urllib.parse.urlsplit(reply.url).path.startswith("/login/"):
            raise RuntimeError(f"login as {username} failed ({reply.status})")


class SelectOptions(HTMLParser):
    """The options of every <select> in a page: {name: [(value, label), ...]}, empty values left out."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[tuple[str, str]]] = {}
        self._select: str | None = None
        self._value: str | None = None
        self._label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "select":
            self._select = attributes.get("name")
            self.options.setdefault(self._select, [])
        elif tag == "option" and self._select:
            self._value, self._label = attributes.get("value") or "", []

    def handle_data(self, data: str) -> None:
        if self._value is not None:
            self._label.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select and self._value is not None:
            if self._value:
                self.options[self._select].append((self._value, "".join(self._label).strip()))
            self._value = None
        elif tag == "select":
            self._select = None


def select_options(html: str) -> dict[str, list[tuple[str, str]]]:
    parser = SelectOptions()
    parser.feed(html)
    return parser.options


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q / 100 * len(ordered)) - 1, 0)]

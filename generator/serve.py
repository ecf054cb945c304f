"""The preview server of `briefing watch --serve`: the site folder over HTTP, with live reload.

Only files inside the site folder are ever served: a request path with a
`..` segment (plain or percent-encoded) is refused, and so is a file whose
real path, symlinks followed, lies outside the folder. HTML pages get a
small script injected on the way out (never into the files on disk) that
listens on `/__briefing/events` (Server-Sent Events): it reloads the page
after each build that changed the site and shows a failed build's error
over the page until the next good build.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import socket
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LIVE_PREFIX = "/__briefing/"
EVENTS_PATH = LIVE_PREFIX + "events"
SCRIPT_PATH = LIVE_PREFIX + "live.js"
MAX_URL_LENGTH = 2048
"""A longer request path is answered 414: no page of a site has one, and the file system
refuses names that long (ENAMETOOLONG) anyway."""
KEEPALIVE_SECONDS = 10.0
"""A comment line this often keeps idle event streams open through proxies and lets a closed tab be noticed."""

LIVE_SCRIPT = """\
// Injected by `briefing watch --serve` only; the built site does not contain it.
(function () {
  "use strict";
  var shown = document.currentScript.getAttribute("data-generation");
  var overlay = null;
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "briefing-build-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "The last build failed; this page shows the last good build.\\n\\n" + message;
  }
  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  var events = new EventSource("%(events)s");
  events.addEventListener("build", function (event) {
    var state = JSON.parse(event.data);
    if (state.error) { showError(state.error); }
    else if (String(state.generation) !== shown) { location.reload(); }
    else { hideError(); }
  });
})();
"""


class LiveState:
    """What the builder tells open pages: a generation number that changes
    with every build that changed the site, and the error of the last build
    if it failed. Request threads wait on it; the watch loop updates it."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.generation = 0
        self.error: str | None = None
        self.closed = False

    def site_changed(self) -> None:
        with self._changed:
            self.generation += 1
            self.error = None
            self._changed.notify_all()

    def build_succeeded_unchanged(self) -> None:
        """A good build that wrote nothing: pages stay, a shown error goes."""
        if self.error is not None:
            self.site_changed()

    def build_failed(self, message: str) -> None:
        with self._changed:
            self.generation += 1
            self.error = message
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def snapshot(self) -> tuple[int, str | None]:
        with self._changed:
            return self.generation, self.error

    def wait_after(self, generation: int, timeout: float) -> tuple[int, str | None]:
        """The state once it differs from `generation`, or as it is after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.generation != generation, timeout)
            return self.generation, self.error


def site_file(site_root: Path, request_path: str) -> Path | None:
    """The file under `site_root` that a request path names, or None when the path
    tries to leave the folder (a `..` segment, encoded or not, a NUL or backslash,
    a symlink out). A folder is returned as is; the caller serves its index."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(request_path).path, errors="strict")
    if not path.startswith("/") or "\0" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    root = site_root.resolve()
    real = root.joinpath(*parts).resolve()
    if real != root and root not in real.parents:
        return None
    return real


def _is(path: Path, test) -> bool:
    """`test(path)`, False where the file system refuses the name (a part longer than it allows)."""
    try:
        return test(path)
    except OSError:
        return False


def inject_live_script(html: bytes, generation: int) -> bytes:
    tag = f'<script src="{SCRIPT_PATH}" data-generation="{generation}"></script>'.encode()
    at = html.lower().rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the site's files, the live-reload script and its event stream."""

    server: PreviewServer
    server_version = "briefing-preview"

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(with_body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        """Requests are not logged: the watch output is for builds."""

    def _respond(self, with_body: bool) -> None:
        if len(self.path) > MAX_URL_LENGTH:
            self._send(HTTPStatus.REQUEST_URI_TOO_LONG, "text/plain; charset=utf-8", b"414: the address is too long\n", with_body)
            return
        path = urllib.parse.urlsplit(self.path).path
        if path == EVENTS_PATH and with_body:
            self._stream_events()
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", (LIVE_SCRIPT % {"events": EVENTS_PATH}).encode(), with_body)
            return
        try:
            target = site_file(self.server.site_root, self.path)
        except (UnicodeDecodeError, OSError):  # OSError: a name the file system refuses, such as one too long
            target = None
        if target is None:
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"403: outside the site folder\n", with_body)
            return
        if _is(target, Path.is_dir):
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = site_file(self.server.site_root, path + "index.html")
        if target is None or not _is(target, Path.is_file):
            self._not_found(with_body)
            return
        self._send_file(target, HTTPStatus.OK, with_body)

    def _not_found(self, with_body: bool) -> None:
        page = site_file(self.server.site_root, "/404.html")
        if page is not None and page.is_file():
            self._send_file(page, HTTPStatus.NOT_FOUND, with_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404: not in the site\n", with_body)

    def _send_file(self, file: Path, status: HTTPStatus, with_body: bool) -> None:
        try:
            data = file.read_bytes()
        except OSError:  # removed by a build between the check and the read
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"404: not in the site\n", with_body)
            return
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if content_type == "text/html":
            data = inject_live_script(data, self.server.live.snapshot()[0])
        if content_type.startswith("text/") or content_type in ("application/json", "application/javascript"):
            content_type += "; charset=utf-8"
        self._send(status, content_type, data, with_body)

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        live = self.server.live
        generation, error = live.snapshot()
        try:
            self._event(generation, error)
            while not live.closed:
                latest, error = live.wait_after(generation, KEEPALIVE_SECONDS)
                if latest != generation:
                    generation = latest
                    self._event(generation, error)
                elif not live.closed:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def _event(self, generation: int, error: str | None) -> None:
        data = json.dumps({"generation": generation, "error": error})
        self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive
    request_queue_size = socket.SOMAXCONN  # the listen backlog: socketserver's 5 made a burst of requests wait seconds for a retry

    def __init__(self, address: tuple[str, int], site_root: Path, live: LiveState):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.site_root = site_root
        self.live = live
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address) -> None:
        """A client that goes before its answer is sent (a closed tab, a reload) is one line,
        not a traceback; anything else is a bug, reported in full."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            print(f"preview: {client_address[0]} closed the connection before the answer was sent ({error.__class__.__name__})", file=sys.stderr, flush=True)
        else:
            super().handle_error(request, client_address)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Preview:
    """The preview server running in a background thread."""

    def __init__(self, site_root: Path, live: LiveState, host: str, port: int):
        self.server = PreviewServer((host, port), site_root, live)
        self.live = live
        self._thread = threading.Thread(target=self.server.serve_forever, name="briefing-preview", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.socket.getsockname()[:2]  # the bound address: its port is the system's choice when asked for 0
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Close open event streams, stop accepting requests and wait for the server thread."""
        self.live.close()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()

"""The preview server of `briefing watch --serve`: only the site folder is
served, HTML gets the live-reload script on the way out (never on disk), and
the event stream announces every build, good or failed."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import urllib.parse

import pytest

from conftest import WatchProcess
from generator.serve import LiveState, inject_live_script, site_file


def url_of(process: WatchProcess) -> urllib.parse.SplitResult:
    process.wait_until(lambda: "serving " in process.output(), "the server's address")
    return urllib.parse.urlsplit(re.search(r"serving \S+ at (http://\S+/)", process.output()).group(1))


def get(url: urllib.parse.SplitResult, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A raw request, the path sent exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


class EventStream:
    """A reader of the live-reload stream, as the injected script's EventSource is."""

    def __init__(self, url: urllib.parse.SplitResult):
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        self.connection.request("GET", "/__briefing/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")

    def next_build(self) -> dict:
        """The next `build` event's data (comments and keep-alives skipped)."""
        event, data = None, None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise AssertionError("the event stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and event == "build":
                return json.loads(data)

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def served(watch, scratch_project):
    process = watch("--serve", "--port", "0")
    return url_of(process), process


CLIMBING_PATHS = (
    "/../../../../etc/passwd",
    "/sources/../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/sources/%2e%2e/%2e%2e/conftest.py",
    "/..\\..\\etc\\passwd",
    "/%00index.html",
)


def test_paths_that_climb_out_of_the_site_are_refused_and_odd_ones_stay_inside(served):
    url, _ = served
    for path in CLIMBING_PATHS:
        status, _, body = get(url, path)
        assert status == 403, path
        assert b"root:" not in body and b"SHARED_CACHE" not in body
    # Not climbing, but they must still resolve inside the site (and there, to nothing).
    for path in ("//etc/passwd", "/%252e%252e/%252e%252e/etc/passwd", "http://evil.example/../../etc/passwd"):
        status, _, body = get(url, path)
        assert status in (403, 404) and b"root:" not in body, path


def test_a_symlink_out_of_the_site_is_refused_and_one_inside_is_served(served, scratch_project, tmp_path):
    url, _ = served
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve me\n")
    (scratch_project.out / "leak.txt").symlink_to(secret)
    (scratch_project.out / "home.html").symlink_to(scratch_project.out / "index.html")
    status, _, body = get(url, "/leak.txt")
    assert status == 403 and b"do not serve me" not in body
    assert get(url, "/home.html")[0] == 200


def test_pages_are_served_with_the_live_script_which_is_not_on_disk(served, scratch_project):
    url, _ = served
    status, headers, body = get(url, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<script src="/__briefing/live.js"' in body and body.rstrip().endswith(b"</html>")
    assert b"__briefing" not in (scratch_project.out / "index.html").read_bytes()
    status, headers, script = get(url, "/__briefing/live.js")
    assert status == 200 and b"EventSource" in script and headers["content-type"].startswith("text/javascript")
    status, headers, css = get(url, "/assets/style.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert css == (scratch_project.out / "assets" / "style.css").read_bytes()


def test_folders_redirect_to_their_index_and_missing_pages_get_the_404_page(served):
    url, _ = served
    status, headers, _ = get(url, "/sources")
    assert status == 301 and headers["location"] == "/sources/"
    status, _, body = get(url, "/sources/")
    assert status == 200 and b"<html" in body
    status, _, body = get(url, "/people/nobody-at-all.html")
    assert status == 404 and b"<html" in body
    status, headers, body = get(url, "/index.html", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_the_event_stream_announces_good_builds_and_failed_ones(served, scratch_project):
    url, process = served
    stream = EventStream(url)
    try:
        first = stream.next_build()
        assert first["error"] is None
        seed = sorted(scratch_project.seeds.glob("*.txt"))[0]
        seed.write_text(seed.read_text(encoding="utf-8") + "\nVolunteers repainted the station.\n", encoding="utf-8")
        after_edit = stream.next_build()
        assert after_edit == {"generation": first["generation"] + 1, "error": None}
        _, _, page = get(url, "/index.html")
        assert f'data-generation="{after_edit["generation"]}"'.encode() in page

        (scratch_project.content / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
        broken = stream.next_build()
        assert "content/site.yaml:" in broken["error"] and "invalid YAML" in broken["error"]
        assert get(url, "/index.html")[0] == 200  # the last good site is still served

        (scratch_project.content / "site.yaml").write_text("title: Mended\n", encoding="utf-8")
        mended = stream.next_build()
        assert mended["error"] is None and mended["generation"] > broken["generation"]
        assert b"Mended" in get(url, "/index.html")[2]
    finally:
        stream.close()


def test_a_host_other_than_loopback_is_warned_about(watch):
    process = watch("--serve", "--port", "0", "--host", "0.0.0.0")
    url_of(process)
    assert "WARNING: serving on 0.0.0.0" in process.output()


def test_a_port_in_use_is_a_clear_error(scratch_project, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = WatchProcess(tmp_path, "--serve", "--port", str(port))
        try:
            assert process.proc.wait(30) == 1
        finally:
            process.close()
    assert f"cannot serve on 127.0.0.1:{port}" in process.output() and "--port 0" in process.output()


def test_site_file_keeps_every_path_inside_the_root(tmp_path):
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    assert site_file(root, "/sub/page.html") == (root / "sub" / "page.html").resolve()
    assert site_file(root, "/a%20b.html") == (root / "a b.html").resolve()
    assert site_file(root, "/") == root.resolve()
    for bad in ("/../x", "/sub/../../x", "/%2e%2e/x", "relative.html", "/a\\..\\b", "/nul%00.html"):
        assert site_file(root, bad) is None, bad


def test_the_script_goes_before_the_closing_body_tag():
    html = b"<html><body><p>x</p></body></html>"
    assert inject_live_script(html, 7) == b'<html><body><p>x</p><script src="/__briefing/live.js" data-generation="7"></script></body></html>'
    assert inject_live_script(b"<p>fragment</p>", 1).startswith(b"<p>fragment</p><script")


def test_waiting_readers_wake_on_a_build_and_on_close():
    live = LiveState()
    seen: list[tuple[int, str | None]] = []
    reader = threading.Thread(target=lambda: seen.append(live.wait_after(0, timeout=10)))
    reader.start()
    live.build_failed("content/site.yaml:1: invalid YAML")
    reader.join(5)
    assert seen == [(1, "content/site.yaml:1: invalid YAML")]
    live.close()
    assert live.wait_after(1, timeout=10) == (1, "content/site.yaml:1: invalid YAML")  # returns at once once closed

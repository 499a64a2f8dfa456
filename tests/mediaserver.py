"""A local web server for the download tests (127.0.0.1, a thread, the standard library).

It serves a dict of files and can misbehave on purpose, per path: answer 500 a
number of times first, stall longer than the client's timeout, send fewer bytes
than its Content-Length says, or stream slowly. It answers ``Range`` requests and
counts every request, so a test can tell what was fetched twice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class MediaServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)  # URL path -> content
        self.errors: dict[str, int] = {}  # path -> answers of 500 still to give
        self.stalls: dict[str, float] = {}  # path -> seconds to wait before the first answer (once)
        self.short: set[str] = set()  # paths whose next full answer stops half way (once each)
        self.slow: dict[str, float] = {}  # path -> seconds between chunks of 64 bytes
        self.gets: Counter[str] = Counter()
        self.heads: Counter[str] = Counter()
        self.ranges: Counter[str] = Counter()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_HEAD(self) -> None:
                with server.lock:
                    server.heads[self.path] += 1
                data = server.files.get(self.path)
                self.send_response(200 if data is not None else 404)
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()

            def do_GET(self) -> None:
                path = self.path
                with server.lock:
                    server.gets[path] += 1
                    stall = server.stalls.pop(path, 0)
                    error = server.errors.get(path, 0)
                    if error:
                        server.errors[path] = error - 1
                if stall:
                    time.sleep(stall)
                data = server.files.get(path)
                if data is None:
                    self.send_error(404, "Not Found")
                    return
                if error:
                    self.send_error(500, "Internal Server Error")
                    return
                start = 0
                header = self.headers.get("Range")
                if header and header.startswith("bytes=") and header.endswith("-"):
                    start = int(header[6:-1])
                    with server.lock:
                        server.ranges[path] += 1
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with server.lock:
                    cut = path in server.short and start == 0
                    server.short.discard(path)
                if cut:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                delay = server.slow.get(path)
                if delay:
                    for at in range(0, len(body), 64):
                        self.wfile.write(body[at : at + 64])
                        self.wfile.flush()
                        time.sleep(delay)
                else:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> MediaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

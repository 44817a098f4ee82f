"""A loopback HTTP server speaking the part of WeChat's official-account API that Kefu uses.

WeChat's servers cannot be reached from here; this answers as they document it:
GET  /cgi-bin/token?grant_type=client_credential&appid=…&secret=…  → access_token / errcode 40001
POST /cgi-bin/message/template/send?access_token=…                  → errcode 0 + msgid / 40001 / 40037
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeWeChat:
    def __init__(self, app_id: str, secret: str, templates: set[str]):
        self.app_id, self.secret, self.templates = app_id, secret, templates
        self.tokens: set[str] = set()
        self.sent: list[dict] = []
        self.token_requests = 0
        self._ids = itertools.count(200228332)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/"

    def __enter__(self) -> FakeWeChat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, data: dict) -> None:
                body = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/token":
                    return self._json({"errcode": 40001, "errmsg": "invalid path"})
                fake.token_requests += 1
                if query.get("appid") != fake.app_id or query.get("secret") != fake.secret:
                    return self._json({"errcode": 40001, "errmsg": "invalid credential"})
                token = f"ACCESS_TOKEN_{len(fake.tokens) + 1}"
                fake.tokens.add(token)
                return self._json({"access_token": token, "expires_in": 7200})

            def do_POST(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                if query.get("access_token") not in fake.tokens:
                    return self._json(
                        {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
                    )
                if url.path != "/cgi-bin/message/template/send":
                    return self._json({"errcode": 48001, "errmsg": "api unauthorized"})
                if payload.get("template_id") not in fake.templates:
                    return self._json({"errcode": 40037, "errmsg": "invalid template_id"})
                msgid = next(fake._ids)
                fake.sent.append(payload)
                return self._json({"errcode": 0, "errmsg": "ok", "msgid": msgid})

        return Handler

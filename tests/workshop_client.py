"""A plain HTTP client for the workshop server (a cookie jar, no redirects followed, the join form's _xsrf)."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

from servers import NoRedirect

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, *, timeout: float = 60) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            with error:  # closes the connection it holds
                return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def get(self, path: str, **kwargs) -> tuple[int, dict, str]:
        return self.request(path, **kwargs)

    def follow(self, path: str, limit: int = 5) -> tuple[int, dict, str, str]:
        """GET, following redirects by hand (keeping cookies); returns status, headers, body and final path."""
        for _ in range(limit):
            status, headers, body = self.get(path)
            if status not in (301, 302, 303, 307):
                return status, headers, body, path
            path = urllib.parse.urljoin(path, headers["Location"])
        raise AssertionError(f"too many redirects from {path}")

    def join(self, code: str, nickname: str = "", lang: str = "en") -> tuple[int, dict, str]:
        status, _, page = self.get("/workshop/join")
        assert status == 200, page
        token = XSRF.search(page)
        assert token, "the join form has no _xsrf field"
        return self.request("/workshop/join", {"_xsrf": token.group(1), "code": code, "nickname": nickname,
                                               "lang": lang})

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

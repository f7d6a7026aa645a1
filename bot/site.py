"""The listening site: aiohttp's server, refusing what it cannot parse the way every page does.

aiohttp answers a request its HTTP parser refuses (a 9,000-byte header, a NUL in
the path, Content-Length beside Transfer-Encoding) before any middleware runs:
a bare 400 naming Python's and aiohttp's versions, without the security
headers, echoing the start of the offending header, with an ERROR log line
each, so anyone could flood the log. `Connection` answers those with a fixed
line and every page's headers, and logs each as the refusal it is (INFO). A
handler that fails (a 500 on a route no middleware cleans up) still logs ERROR.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot.channels.web import HEADERS

log = logging.getLogger("tipline.http")

# No access log, as `tipline run` sets it: it would hold IP addresses. (aiohttp's
# signature types the parameter as a Logger; None is how it is switched off.)
_NO_ACCESS_LOG: dict[str, Any] = {"access_log": None}
_REFUSED = "Bad request: nothing was changed.\n"
_FAILED = "Something went wrong on our side: nothing was changed.\n"


class Connection(web.RequestHandler):
    """One client connection; only its error answer differs from aiohttp's."""

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """A short fixed answer, never `message` (it quotes the request back)."""
        if request.writer.output_size > 0:  # the answer was under way: nothing more to say
            raise ConnectionError("the response was sent already")
        if status >= 500:
            log.error("http_failed", exc_info=exc)
            text = _FAILED
        else:
            log.info("http_refused", extra={"event": "unparseable", "outcome": status})
            text = _REFUSED
        response = web.Response(status=status, text=text, headers=HEADERS)
        response.force_close()
        return response


class Site(web.SockSite):
    """`web.SockSite` whose connections are `Connection`s."""

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None  # noqa: S101 -- BaseSite refuses a runner not set up
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: Connection(server, loop=loop, **_NO_ACCESS_LOG),
            sock=self._sock,
            backlog=self._backlog,
        )

"""The web chat's parts: cookies and CSRF, reading answers, rendering, security middlewares.

The channel itself (routes and turns) is `bot.channels.webchat.WebChat`; the
first-start demo reviewer key for `tipline run` is `bot.web.demo`.
"""

from bot.web.forms import Submission, read_submission
from bot.web.render import Renderer, View
from bot.web.security import CSP, HEADERS
from bot.web.session import Sessions, Visitor

__all__ = [
    "CSP",
    "HEADERS",
    "Renderer",
    "Sessions",
    "Submission",
    "View",
    "Visitor",
    "read_submission",
]

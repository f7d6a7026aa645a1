"""The reviewer's local web app (`tipline review ui`): on 127.0.0.1, decrypting here."""

from handoff.workstation.ui.app import ReviewUi, build_ui
from handoff.workstation.ui.security import Guard
from handoff.workstation.ui.serve import serve_ui

__all__ = ["Guard", "ReviewUi", "build_ui", "serve_ui"]

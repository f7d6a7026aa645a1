"""The evidence files Tipline takes: their real media types, and the extension each is saved with.

One table for both sides: the server takes only these types (sniffed from the
bytes, see bot/media.py) and the workstation names saved copies with them.
"""

from __future__ import annotations

__all__ = ["EXTENSIONS"]

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
}

"""A decrypted report as a PDF for referral (fpdf2), made on the workstation.

It holds the answers as the reporter gave them, each date both as the
reporter said it and as Tipline understood it, the evidence files listed (not
embedded) with their SHA-256, and reviewers' notes if asked for. The
reporter's contact details are left out unless the reviewer includes them
(`include_contact`), because a referral may travel further than the
reporter agreed to. Text is set in DejaVu Sans where the system has it (Latin,
Arabic and Urdu, shaped by HarfBuzz; it has no Bengali, Gurmukhi or Gujarati
glyphs, which show as empty boxes: read those reports on screen or in the JSON);
elsewhere in a core font, with characters it lacks shown as "?" and a line
saying so.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from handoff.workstation.queue import OpenedReport

__all__ = ["CONTACT_STEPS", "export_pdf", "pdf_bytes"]

# The shipped script's contact section; a `contact` answer is contact data in any script.
CONTACT_STEPS = frozenset({"contact_name", "contact_how", "safe_times", "leave_message"})
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/Library/Fonts/DejaVuSans.ttf"),
)


def _is_contact(answer: dict[str, Any]) -> bool:
    return answer.get("kind") == "contact" or answer.get("step") in CONTACT_STEPS


def _shown(answer: dict[str, Any]) -> str:
    value, display = answer.get("value"), answer.get("display")
    if answer.get("kind") == "date" and isinstance(value, dict):
        said = value.get("text") or ""
        understood = display if isinstance(display, str) else value.get("date") or "not understood"
        return f'said: "{said}"\nunderstood as: {understood}'
    if isinstance(display, str):
        return display
    return "" if value is None else str(value)


class _Pdf(FPDF):
    def __init__(self, font: Path | None) -> None:
        super().__init__(format="A4")
        self.family = "Helvetica"
        self.lossy = False
        if font is not None:
            self.add_font("DejaVu", "", str(font))
            self.family = "DejaVu"
            # Joined Arabic and Urdu letters in their order, by HarfBuzz (uharfbuzz).
            self.set_text_shaping(use_shaping_engine=True)
        self.set_auto_page_break(True, margin=15)
        self.set_margins(18, 18)

    def text_of(self, text: str) -> str:
        if self.family != "Helvetica":
            return text
        safe = text.encode("latin-1", "replace").decode("latin-1")
        self.lossy = self.lossy or safe != text
        return safe

    def para(self, text: str, size: float = 10, gap: float = 1.5) -> None:
        self.set_font(self.family, size=size)
        self.multi_cell(0, size * 0.5, self.text_of(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def export_pdf(
    opened: OpenedReport,
    path: Path,
    *,
    include_contact: bool = False,
    notes: Sequence[tuple[str, str, str]] = (),
    made_at: datetime | None = None,
) -> Path:
    """Write the report to `path` (a new file, 0600); never overwrite one."""
    data = pdf_bytes(opened, include_contact=include_contact, notes=notes, made_at=made_at)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return path


def pdf_bytes(
    opened: OpenedReport,
    *,
    include_contact: bool = False,
    notes: Sequence[tuple[str, str, str]] = (),
    made_at: datetime | None = None,
) -> bytes:
    """The PDF itself (see the module's docstring for what it holds)."""
    font = next((f for f in FONTS if f.is_file()), None)
    pdf = _Pdf(font)
    pdf.add_page()
    report = opened.report
    urgent = "  URGENT" if opened.priority else ""
    pdf.para(f"Tipline report {opened.reference}{urgent}", size=16, gap=3)
    pdf.para(
        f"Sealed: {opened.sealed_at:%Y-%m-%d %H:00 %Z} (to the hour)   "
        f"Language: {report.get('locale', '?')}"
    )
    if made_at is not None:
        pdf.para(f"Exported: {made_at:%Y-%m-%d %H:%M %Z} for referral")
    left_out = 0
    pdf.ln(2)
    for answer in report.get("answers", []):
        if not isinstance(answer, dict):
            continue
        if _is_contact(answer) and not include_contact:
            left_out += 1
            continue
        pdf.para(str(answer.get("summary") or answer.get("step") or "?"), size=11, gap=0.5)
        pdf.para(_shown(answer) or "-", gap=2.5)
    if left_out:
        answers = "1 answer" if left_out == 1 else f"{left_out} answers"
        pdf.para(f"The reporter's contact details ({answers}) are left out of this copy.", gap=3)
    pdf.para(f"Evidence files: {len(opened.files)}", size=11)
    for item in opened.files:
        pdf.para(
            f"{item.number}. {item.file_name(opened.reference)}  {item.media_type}, "
            f"{item.size} bytes, SHA-256 {item.sha256}",
            size=8,
        )
    if notes:
        pdf.ln(2)
        pdf.para(f"Reviewers' notes: {len(notes)}", size=11)
        for author, at, text in notes:
            pdf.para(f"{at} {author}: {text}", size=9)
    if pdf.lossy:
        pdf.para(
            "Some characters could not be shown in this font (?): see the report itself.", size=8
        )
    return bytes(pdf.output())

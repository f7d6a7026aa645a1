"""The admin commands `tipline dialogs extract` and `tipline dialogs coverage`, as functions.

Both look at this project's Python packages and the given scripts; `extract`
rewrites locales/tipline.pot and merges it into every shipped `.po`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog

from dialogs.coverage import Coverage, coverage
from dialogs.extract import build_template, update_catalogs
from locales import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, TEMPLATE, po_path

PROJECT_ROOT = LOCALE_DIR.parent
SCRIPTS_DIR = PROJECT_ROOT / "dialogs" / "scripts"


def shipped_scripts(current: Path | None = None) -> list[Path]:
    """The shipped scripts, and the deployment's own script if it lives elsewhere."""
    scripts = sorted(SCRIPTS_DIR.glob("*.yaml"))
    if current is not None and current.is_file():
        resolved = {path.resolve() for path in scripts}
        if current.resolve() not in resolved:
            scripts.append(current)
    return scripts


def shipped_catalogs() -> list[Path]:
    return [po_path(code) for code in LANGUAGES if code != SOURCE_LANGUAGE]


def extract(scripts: Sequence[Path], write: bool = True) -> list[Path]:
    """Bring the template and every catalog up to date; the files that change.

    With `write=False` nothing is written: the answer says what is stale.
    """
    template = build_template(PROJECT_ROOT, scripts)
    if write:
        return update_catalogs(template, TEMPLATE, shipped_catalogs())
    return stale(template)


def stale(template: Catalog) -> list[Path]:
    """The files `extract` would change, found by extracting into a scratch copy."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        copies = []
        for path in [TEMPLATE, *shipped_catalogs()]:
            copy = root / path.relative_to(LOCALE_DIR)
            copy.parent.mkdir(parents=True, exist_ok=True)
            if path.is_file():
                shutil.copyfile(path, copy)
            copies.append(copy)
        changed = update_catalogs(template, copies[0], copies[1:])
        return [LOCALE_DIR / path.relative_to(root) for path in changed]


def coverage_of(scripts: Sequence[Path]) -> list[Coverage]:
    """Coverage of every shipped language against a fresh template of `scripts`."""
    return coverage(build_template(PROJECT_ROOT, scripts), LANGUAGES)

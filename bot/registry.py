"""Compiled dialogs by script version, so a conversation ends on the version it began.

The current script is loaded from its file at start and its source is saved in
the store; an older version a draft still points to is compiled from the stored
source the first time it is needed, then kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from dialogs import Dialog, Script, load_script, load_script_text
from locales import Translator
from locales.errors import ScriptError, ScriptIssue
from store import Store


class DialogRegistry:
    """Holds one compiled `Dialog` per (script id, version)."""

    def __init__(
        self,
        store: Store,
        translators: Callable[[str], Translator],
        languages: Mapping[str, str],
    ) -> None:
        self._store = store
        self._translators = translators
        self._languages = languages
        self._dialogs: dict[tuple[str, str], Dialog] = {}
        self._current: Dialog | None = None
        self._followup: Dialog | None = None

    @property
    def current(self) -> Dialog:
        if self._current is None:
            raise RuntimeError("DialogRegistry.load_current() was not called")
        return self._current

    @property
    def followup(self) -> Dialog:
        """The script a reporter coming back with a secret code starts (bot/followup.py)."""
        if self._followup is None:
            raise RuntimeError("DialogRegistry.load_followup() was not called")
        return self._followup

    async def load_current(self, path: Path) -> Dialog:
        """Load and compile the script new conversations start on; keep its source."""
        dialog = await self._load(path)
        self._current = dialog
        return dialog

    async def load_followup(self, path: Path) -> Dialog:
        """Load and compile the follow-up script; keep its source."""
        dialog = await self._load(path)
        self._followup = dialog
        return dialog

    async def _load(self, path: Path) -> Dialog:
        script = load_script(path)
        await self._store.save_script(script.id, script.version, script.source)
        return self._compile_and_keep(script)

    async def get(self, script_id: str, version: str) -> Dialog:
        dialog = self._dialogs.get((script_id, version))
        if dialog is not None:
            return dialog
        source = await self._store.load_script(script_id, version)
        if source is None:
            raise ScriptError(
                [ScriptIssue(script_id, 0, f"version {version} is not in the store", "missing")]
            )
        script = load_script_text(source, f"{script_id}@{version}")
        if (script.id, script.version) != (script_id, version):
            raise ScriptError(
                [ScriptIssue(script_id, 0, f"stored source is not version {version}", "missing")]
            )
        return self._compile_and_keep(script)

    def _compile_and_keep(self, script: Script) -> Dialog:
        dialog = Dialog(script, self._translators, self._languages)
        self._dialogs[(script.id, script.version)] = dialog
        return dialog

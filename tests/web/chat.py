"""A reporter in the browser: reads the question the page asks and answers it as a person would."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from playwright.sync_api import Page

# What the reporter does at each step: an option to press ("=id"), a command ("/word")
# or text to type. The date step asks "Is that right?" on the same step: key "when?".
REPORT: Mapping[str, str] = {
    "danger": "=no",
    "what_happened": "He stopped me on Elm Road and said he would drop my speeding ticket for £50.",
    "category": "=money",
    "who_role": "=officer",
    "force": "don't know",
    "officer_name": "/skip",
    "rank": "Sergeant",
    "number": "4471",
    "station": "/skip",
    "description": "Tall, grey beard",
    "when": "12 March",
    "when?": "=yes",
    "where": "Elm Road, Salford",
    "how_contact": "=in_person",
    "duty": "=on_duty",
    "how_know": "=to_me",
    "at_risk": "=no",
    "reported_before": "=no",
    "evidence": "A text message from his phone",
    "evidence_files": "=done",
    "anonymity": "=anonymous",
    "review": "=confirm",
}
REFERENCE = re.compile(r"\b(TL-[A-Z0-9]{4}-[A-Z0-9]{4})\b")


class Chat:
    """Drives the chat page with or without JavaScript (the page decides which way it posts)."""

    def __init__(self, page: Page, js: bool) -> None:
        self.page = page
        self.js = js

    @property
    def step(self) -> str:
        return self.page.get_attribute("#answer", "data-step") or ""

    @property
    def expects(self) -> str:
        return self.page.get_attribute("#answer", "data-expects") or ""

    @property
    def ended(self) -> bool:
        return self.page.locator("#answer").count() == 0

    def log_text(self) -> str:
        return self.page.inner_text("#log")

    def press(self, option_id: str) -> None:
        self.submit("answer", f'#answer button[value="{option_id}"]')

    def type(self, text: str) -> None:
        self.page.fill("#text", text)
        self.submit("answer", "#answer .send")

    def open_menu(self) -> None:
        if self.page.get_attribute("#menu", "open") is None:
            self.page.click("#menu summary")

    def command(self, word: str) -> None:
        """A command from the menu; "cancel" and "restart" are asked about, then confirmed."""
        if word in ("cancel", "restart"):
            self.ask(word)
            self.submit(f"confirm-{word}-form", f"#confirm-{word} button[name=pick]")
            return
        self.open_menu()
        self.submit("commands", f'#commands button[value="{word}"]')

    def ask(self, word: str) -> None:
        """Press "Delete my answers" or "Start again": the page asks first, nothing is sent."""
        self.open_menu()
        button = f'#commands button[value="{word}"]'
        if self.js:
            self.page.click(button)
        else:
            with self.page.expect_navigation():
                self.page.click(button)
        self.page.wait_for_selector(f"#confirm-{word}", state="visible")

    def pick_language(self, code: str) -> None:
        self.page.select_option("#locale", code)
        self.submit("language", "#language button[type=submit]")

    def submit(self, form: str, selector: str, act: Callable[[], None] | None = None) -> None:
        click = act or (lambda: self.page.click(selector))
        if self.js:
            with self.page.expect_response("**/api/turn"):
                click()
            self.page.wait_for_selector(f"#{form}[aria-busy]", state="detached")
        else:
            with self.page.expect_navigation():
                click()

    def do(self, action: str) -> None:
        if action.startswith("="):
            self.press(action[1:])
        elif action.startswith("/"):
            self.command(action[1:])
        else:
            self.type(action)

    def until(self, stop_at: str | None, script: Mapping[str, str] = REPORT) -> None:
        """Answer from `script` until `stop_at` is asked (None: until the conversation ends)."""
        for _ in range(60):
            if self.ended:
                assert stop_at is None, f"the conversation ended before {stop_at}"
                return
            step = self.step
            key = f"{step}?" if step == "when" and self.expects == "yesno" else step
            if key == stop_at:
                return
            assert key in script, f"no answer scripted for step {key!r}"
            self.do(script[key])
        raise AssertionError("the conversation did not end in 60 answers")

    def closing_text(self) -> str:
        return self.page.inner_text("#closing")

    def reference(self) -> str:
        found = REFERENCE.search(self.page.inner_text("#codes"))
        assert found is not None, "no reference on the page"
        return found.group(1)


class KeyboardChat(Chat):
    """The same reporter with no mouse: Tab, Enter, Space and typing only."""

    def tab_to(self, test: str, limit: int = 80) -> None:
        """Press Tab until `test` (JavaScript on `document.activeElement`, as `el`) holds."""
        check = f"(() => {{ const el = document.activeElement; return Boolean({test}); }})()"
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate(check):
                return
        raise AssertionError(f"Tab never reached {test}")

    def enter(self, form: str) -> None:
        self.submit(form, "", act=lambda: self.page.keyboard.press("Enter"))

    def press(self, option_id: str) -> None:
        self.tab_to(f'el.closest("#answer") && el.name === "pick" && el.value === "{option_id}"')
        self.enter("answer")

    def type(self, text: str) -> None:
        if self.page.evaluate("document.activeElement.id") not in ("question", "text"):
            self.tab_to('el.id === "text"')
        self.page.keyboard.type(text)  # on the focused question, typing goes into the box
        assert self.page.evaluate("document.activeElement.id") == "text"
        if self.js:
            self.enter("answer")  # Enter sends
        else:
            self.tab_to('el.classList.contains("send")')
            self.enter("answer")

    def command(self, word: str) -> None:
        self.tab_to('el.tagName === "SUMMARY" && el.closest("#menu")')
        if self.page.get_attribute("#menu", "open") is None:
            self.page.keyboard.press("Enter")  # opens the menu
        self.tab_to(f'el.value === "{word}"')
        self.enter("commands")

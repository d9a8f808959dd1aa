"""Home Assistant's frontend in Debian's Chromium, driven by Playwright, step by step.

Texts are looked up in the integration's translations (and a few of Home Assistant's
own labels by language), so the same steps run in English and in French.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import dataclass, field
import functools
import json
import os
from pathlib import Path
import re
import shutil
from typing import Any

import hass_frontend
from playwright.sync_api import Browser, Locator, Page, Playwright, expect

from .harness import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
TRANSLATIONS = ROOT / "custom_components" / "smartlink_mclimate" / "translations"
# Home Assistant's own labels the steps click, from the frontend's translations.
FRONTEND_TRANSLATIONS = Path(hass_frontend.where()) / "static" / "translations"
LABELS = {
    "add_integration": "ui.panel.config.integrations.add_integration",
    "submit": "ui.common.submit",
    "finish": "ui.panel.config.integrations.config_flow.finish",
    "open_site": "ui.panel.config.integrations.config_flow.external_step.open_site",
    "credentials_name": "ui.panel.config.application_credentials.editor.name",
    "client_id": "ui.panel.config.application_credentials.editor.client_id",
    "client_secret": "ui.panel.config.application_credentials.editor.client_secret",
    "credentials_add": "ui.panel.config.application_credentials.editor.add",
    "press": "ui.card.button.press",
    "assist": "ui.panel.lovelace.menu.assist",
    "assist_input": "ui.dialogs.voice_command.input_label",
    "language": "ui.panel.profile.language.dropdown_label",
}
NATIVE_NAMES = {"en": "English", "fr": "Français"}
TIMEOUT_MS = 30_000


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless: Playwright downloads no browser here."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


@functools.cache
def frontend_text(language: str, key: str) -> str:
    """A text of Home Assistant's frontend ("ui.common.submit") in one language."""
    for path in sorted(FRONTEND_TRANSLATIONS.glob(f"**/{language}-*.json")):
        if not re.fullmatch(rf"{language}-[0-9a-f]+\.json", path.name):
            continue  # en-GB is not en
        text = json.loads(path.read_text()).get(key)  # flat: dotted keys
        if isinstance(text, str):
            return text
    raise KeyError(f"no {language} frontend text {key}")


def publish(screenshot: Path, name: str) -> None:
    """With E2E_DOCS_SCREENSHOTS=1, also copy a screenshot to docs/screenshots (README)."""
    if os.environ.get("E2E_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, DOCS_SCREENSHOTS / f"{name}.png")


def translations(language: str) -> dict[str, Any]:
    """The integration's translations in one language."""
    data: dict[str, Any] = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return data


@dataclass
class Steps:
    """One signed-in page of the frontend, and the folder its screenshots go to."""

    page: Page
    base_url: str
    folder: Path
    language: str = "en"
    shots: list[Path] = field(default_factory=list)

    @property
    def strings(self) -> dict[str, Any]:
        """The integration's texts in the page's language."""
        return translations(self.language)

    def label(self, key: str) -> str:
        """One of Home Assistant's own labels in the page's language."""
        return frontend_text(self.language, LABELS[key])

    def shot(self, name: str, page: Page | None = None) -> Path:
        """Save a screenshot of the page (or another one, a popup), numbered in order."""
        path = self.folder / f"{len(self.shots) + 1:02d}-{self.language}-{name}.png"
        (page or self.page).screenshot(path=path)
        self.shots.append(path)
        return path

    def open(self, path: str) -> None:
        """Go to a page of the frontend and let it settle.

        A dialog closed just before may still step the history back: go again then.
        """
        for _ in range(3):
            self.page.goto(f"{self.base_url}{path}")
            self.page.wait_for_load_state("networkidle")
            self.page.wait_for_timeout(300)
            if self.page.url.split("?")[0].endswith(path.split("?")[0]):
                return
        raise AssertionError(f"cannot stay on {path}: {self.page.url}")

    def log_in(self, username: str, password: str) -> None:
        """The login page, as a visitor fills it in."""
        self.page.goto(self.base_url)  # redirects to the login page
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.shot("login")
        self.page.keyboard.press("Enter")
        self.page.wait_for_url("**/home/**", timeout=TIMEOUT_MS)

    # -- dialogs -----------------------------------------------------------------------

    def dialog(self) -> Locator:
        """The open dialog."""
        return self.page.locator("ha-dialog, ha-md-dialog, ha-adaptive-dialog").last

    def field(self, name: str) -> Locator:
        """A form field of the open dialog, by its schema name."""
        return self.page.locator(f'input[name="{name}"]')

    def submit(self) -> None:
        """The dialog's Submit button."""
        self.page.get_by_role("button", name=self.label("submit"), exact=True).click()

    def choose(self, text: str) -> None:
        """A menu entry of a flow."""
        self.page.get_by_text(text, exact=True).click()

    def expect_text(self, text: str) -> None:
        """Wait for a text to show."""
        expect(self.page.get_by_text(text).first).to_be_visible(timeout=TIMEOUT_MS)

    def start_config_flow(self) -> None:
        """Settings > Devices & services > Add integration > Home SmartLink & MClimate."""
        self.open("/config/integrations/dashboard")
        self.page.get_by_role("button", name=self.label("add_integration")).click()
        search = self.page.locator("dialog-add-integration input").first
        search.fill("Home SmartLink")  # waits for the picker (typing early hits shortcuts)
        # The picker's entry comes after the dashboard's card of the same name, if any.
        self.page.get_by_text("Home SmartLink & MClimate", exact=True).last.click()
        self.expect_text(self.strings["config"]["step"]["user"]["title"])

    def set_profile_language(self, language: str) -> None:
        """Profile > Localization > Language: the user's own language, kept on the server."""
        self.open("/profile/localization")
        self.page.get_by_text(NATIVE_NAMES[self.language], exact=True).first.click()
        search = frontend_text(self.language, "ui.common.search")
        self.page.get_by_placeholder(search).fill(NATIVE_NAMES[language])
        self.page.get_by_text(NATIVE_NAMES[language], exact=True).first.click()
        self.language = language
        self.expect_text(frontend_text(language, "ui.panel.profile.localization_header"))

    def open_device(self, name: str) -> None:
        """Settings > Devices & services > Devices > search > the device's page."""
        self.open("/config/devices/dashboard")
        self.page.get_by_role("textbox").first.fill(name)  # the table's search
        self.page.get_by_text(name, exact=True).first.click()
        self.page.wait_for_url("**/config/devices/device/**")

    def ask_assist(self, sentence: str) -> None:
        """Type a sentence into the Assist dialog (the speech bubble of the dashboard)."""
        self.open("/home/overview")
        name = re.compile(f"^{re.escape(self.label('assist'))}")  # "Assist (A)"
        self.page.get_by_role("button", name=name).click()
        box = self.page.get_by_role("textbox", name=self.label("assist_input"))
        box.fill(sentence)
        box.press("Enter")

    def close_dialog(self) -> None:
        """Close the open dialog (its X, or Escape)."""
        self.page.keyboard.press("Escape")
        with contextlib.suppress(AssertionError):
            expect(self.dialog()).to_be_hidden(timeout=5_000)


@contextlib.contextmanager
def new_page(browser: Browser, language: str) -> Iterator[Page]:
    """A browser tab in a fresh profile, whose browser language is `language`."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US" if language == "en" else "fr-FR"
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()

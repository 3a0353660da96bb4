"""Helpers for browser tests: Debian's headless Chromium via Playwright, axe-core, screenshots.

Use, inside a test (a Django live-server test case supplies the URL):

    from welkom.site.tests import browser

    with browser.launch_chromium() as chromium, browser.open_page(chromium) as page:
        page.goto(url)
        violations = browser.axe_violations(page)
        assert not violations, browser.format_violations(violations, url)
        browser.save_screenshot(page, "home", "nl")

Keep the browser inside a `with` block in the test body, and do database work (creating users,
checking rows) before or after that block, never inside it. The reason: Playwright's sync API
leaves its asyncio event loop marked as *running* in the calling thread for as long as Playwright
is started. While it is, Django's `connections` (an asgiref Local with thread_critical=True) hand
out a second, context-local set of connection objects, and Django refuses ORM calls there with
SynchronousOnlyOperation. Do not silence that error with DJANGO_ALLOW_ASYNC_UNSAFE=true: the ORM
would then quietly use that second connection. With a browser kept open across tests, even
Django's own per-test flush and `serialized_rollback` run on it: the migration data is not
restored, content types are re-created with new ids, and the next live-server test class fails
with an IntegrityError. That is why there is no class- or session-scoped browser here. Starting
Chromium costs about a second per `with` block.

The Chromium is the system one (`/usr/bin/chromium`, Debian's `chromium` package). Nothing here
downloads a browser, and `playwright install` is never needed. If Chromium or the `playwright`
package is missing, the test is skipped, or it fails when WELKOM_REQUIRE_BROWSER=1 (CI sets it,
so that a broken set-up cannot pass CI by skipping every browser test).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = "/usr/bin/chromium"

# Headless, no sandbox (we run as root in a container), and no calls home: this machine (and CI)
# has no network beyond the package registries, so updates, sync and QUIC are switched off.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)

DESKTOP_VIEWPORT = {"width": 1280, "height": 800}
PHONE_VIEWPORT = {"width": 375, "height": 812}

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

REQUIRE_ENV = "WELKOM_REQUIRE_BROWSER"
SCREENSHOT_ENV = "WELKOM_SCREENSHOT_DIR"


# --- Finding the browser ----------------------------------------------------------------------


def browser_required() -> bool:
    """True when a missing browser must fail the test run instead of skipping (CI)."""
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def skip_or_fail(reason: str) -> None:
    """Skip the test because the browser is missing, or fail it when the browser is required."""
    if browser_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: browser tests may not skip)", pytrace=False)
    pytest.skip(f"{reason} (set {REQUIRE_ENV}=1 to make this a failure)")


def chromium_executable() -> str | None:
    """The system Chromium's path, or None when it is not installed."""
    if os.access(CHROMIUM_PATH, os.X_OK):
        return CHROMIUM_PATH
    return shutil.which("chromium")


def require_browser() -> str:
    """The Chromium path. Skips (or fails, see module doc) when Chromium or Playwright is missing.

    Call it before starting anything expensive, e.g. before a live server's setUpClass.
    """
    if importlib.util.find_spec("playwright") is None:
        skip_or_fail(
            "the Python package 'playwright' is not installed "
            "(pip install playwright; Debian's chromium is used, no 'playwright install' needed)"
        )
    executable = chromium_executable()
    if executable is None:
        skip_or_fail(f"no Chromium at {CHROMIUM_PATH} or on PATH (apt-get install -y chromium)")
    return executable


# --- Launching ---------------------------------------------------------------------------------


@contextlib.contextmanager
def launch_chromium(executable: str | None = None) -> Iterator[Browser]:
    """Start Playwright and the system Chromium headless, and stop both on exit.

    No Django ORM calls inside the block (see the module doc): Playwright's event loop counts as
    running in this thread until the block ends.
    """
    executable = executable or require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def open_page(
    chromium: Browser, viewport: dict[str, int] | None = None, **context_options: Any
) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies carried over), closed on exit.

    The context bypasses the Content-Security-Policy. Welkom sends `script-src 'self'`, which
    blocks the inline <script> that `page.add_script_tag(content=...)` adds to inject axe-core.
    The browser then never defines `axe`, and every check fails. `bypass_csp` lifts the CSP for
    this test browser only: the server still sends the header unchanged. Welkom's pages have no
    scripts of their own, so lifting the policy changes nothing that axe looks at.
    """
    options = {"bypass_csp": True, "viewport": viewport or DESKTOP_VIEWPORT, **context_options}
    context = chromium.new_context(**options)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        context.close()


# --- axe-core --------------------------------------------------------------------------------

_AXE_RUN = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations;
}
"""


def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page: Page) -> None:
    """Put axe-core into the page, once. Needs a context with bypass_csp=True (see open_page)."""
    if page.evaluate("() => typeof window.axe !== 'undefined'"):
        return
    page.add_script_tag(content=axe_source())
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        raise AssertionError(
            "axe-core did not load into the page: was the page opened with bypass_csp=True?"
        )


def axe_violations(page: Page, tags: Sequence[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, limited to rules with these tags.

    Returns axe's `violations` list: one dict per failing rule with `id`, `impact`, `help`,
    `helpUrl` and `nodes` (each with `target`, `html` and `failureSummary`).
    """
    inject_axe(page)
    return page.evaluate(_AXE_RUN, list(tags))


def format_violations(violations: Sequence[dict[str, Any]], where: str = "") -> str:
    """Describe axe violations so that a failing test says what to fix and where."""
    if not violations:
        return f"no axe violations{f' on {where}' if where else ''}"
    count = sum(len(violation["nodes"]) for violation in violations)
    lines = [
        f"{len(violations)} axe rule(s) failed on {count} element(s)"
        + (f" on {where}" if where else "")
        + ":"
    ]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation.get('impact') or 'unknown impact'}]: "
            f"{violation['help']}"
        )
        if violation.get("helpUrl"):
            lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(_target_text(part) for part in node.get("target", []))
            lines.append(f"    * {target}")
            html = " ".join(node.get("html", "").split())
            if html:
                lines.append(f"      html: {textwrap.shorten(html, 200, placeholder=' …')}")
            summary = node.get("failureSummary") or ""
            for summary_line in summary.splitlines():
                if summary_line.strip():
                    lines.append(f"      {summary_line.strip()}")
    return "\n".join(lines)


def _target_text(part: Any) -> str:
    # A target is a CSS selector, or a list of selectors through shadow DOM / iframes.
    if isinstance(part, list):
        return " >>> ".join(str(selector) for selector in part)
    return str(part)


# --- Screenshots -----------------------------------------------------------------------------


def screenshot_dir() -> Path:
    """WELKOM_SCREENSHOT_DIR, or `screenshots/` in Welkom's var directory (var/screenshots/)."""
    configured = os.environ.get(SCREENSHOT_ENV, "").strip()
    if configured:
        return Path(configured)
    from django.conf import settings

    return Path(settings.VAR_DIR) / "screenshots"


def save_screenshot(page: Page, name: str, lang: str) -> Path:
    """Save a full-page PNG screenshot as `<name>-<lang>.png`, and return its path."""
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

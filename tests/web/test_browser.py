"""Browser tests of the web page in headless Chromium (Debian's package, driven by Playwright).

Skipped with a reason when /usr/bin/chromium or the playwright package is missing
(scripts/web_ci.sh installs both). Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EVENTCODER_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM} (apt-get install chromium; see scripts/web_ci.sh)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright python package not installed")
uvicorn = pytest.importorskip("uvicorn")

sys.path.insert(0, str(Path(__file__).parent))
from memory_backend import MemoryBackend  # noqa: E402
from synth import make_coded_articles  # noqa: E402

from eventcoder.web import create_app  # noqa: E402

TOKEN = "browser-test-token"
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    backend = MemoryBackend(make_coded_articles(400, seed=5))
    app = create_app(None, token=f"tester:{TOKEN}", backend=backend, env_token=False)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_context():
    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="eventcoder-chromium-")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": 1400, "height": 950},
        )
        ctx.set_default_timeout(20000)
        yield ctx
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context, server):
    pg = browser_context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: None if r.url.startswith(server) or r.url.startswith("data:") else outside.append(r.url),
    )
    yield pg
    pg.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"requests left the server (CDN?): {outside}"


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")


def test_map_timeline_and_table_load(page, server):
    _open(page, server + "/")
    # clusters or single markers on the map, drawn over the bundled country outlines
    page.wait_for_selector(".cluster-icon, path.leaflet-interactive")
    assert page.locator(".leaflet-outlines-pane canvas, .leaflet-outlines-pane path").count() > 0
    assert page.locator("#timeline .uplot").count() == 1
    assert page.locator("#incident-table tbody tr").count() == 50
    assert re.search(r"\d+ mapped incidents", page.inner_text("#map-note"))
    page.screenshot(path=str(SHOTS / "01-overview.png"))


def test_filter_by_country_and_type_is_kept_in_the_url(page, server):
    _open(page, server + "/")
    page.select_option("select[name=country]", "SYR")
    page.select_option("select[name=event_type]", "Battles")
    page.click("#apply-filters")
    # predicates as functions: a string predicate is re-evaluated with eval(), which the page's
    # Content-Security-Policy (no 'unsafe-eval') rightly forbids
    page.wait_for_function(
        "() => location.search.includes('country=SYR') && location.search.includes('event_type=Battles')"
    )
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#incident-table tbody tr')).every("
        "r => r.children[1].innerText === 'Syria' && r.children[4].innerText.includes('Battles'))"
    )
    rows = page.locator("#incident-table tbody tr")
    assert rows.count() > 0
    shared = page.url
    page.screenshot(path=str(SHOTS / "02-filtered-syria-battles.png"), full_page=True)
    # the shared link restores the same view
    _open(page, shared)
    assert page.input_value("select[name=country]") == "SYR"
    assert page.input_value("select[name=event_type]") == "Battles"
    assert page.locator("#incident-table tbody tr").count() == rows.count()


def test_incident_view_highlights_evidence(page, server):
    _open(page, server + "/?country=IRQ&event_type=Battles")
    first = page.locator("#incident-table tbody tr").first
    actor = first.locator("td").nth(6).inner_text()
    first.click()
    page.wait_for_selector("#incident-title")
    assert "incident=" in page.url
    marks = page.locator(".article-text mark.ev")
    assert marks.count() >= 6
    texts = marks.all_inner_texts()
    assert actor in texts, f"actor {actor!r} not highlighted in {texts}"
    assert page.locator(".article-text mark.k-figure").count() >= 1
    assert page.locator(".article-text mark.k-claim").count() >= 1
    assert page.locator("#claims tbody tr").count() >= 1
    page.screenshot(path=str(SHOTS / "03-incident-evidence.png"))


def test_correction_refused_without_token_then_saved_with_it(page, server):
    _open(page, server + "/?country=NGA")
    page.locator("#incident-table tbody tr").first.click()
    page.wait_for_selector("#btn-correct")
    # without a token: the server refuses and nothing changes
    page.click("#btn-correct")
    page.fill("#review-form-correct input[name=fatalities]", "99")
    page.fill("#review-form-correct textarea[name=reason]", "checked against a second report")
    page.click("#review-form-correct button[type=submit]")
    page.wait_for_selector("#review-error:has-text('Refused')")
    assert "token" in page.inner_text("#review-error")
    assert "No review yet" in page.inner_text("#history")
    page.screenshot(path=str(SHOTS / "04-correction-refused.png"))
    # sign in (from the refusal message) and save the correction
    page.click("#review-error a")
    page.fill("#auth-token", TOKEN)
    page.click("#auth-form button[type=submit]")
    page.wait_for_selector("#auth-state:has-text('tester')")
    page.click("#btn-correct")
    page.fill("#review-form-correct input[name=fatalities]", "99")
    page.fill("#review-form-correct textarea[name=reason]", "checked against a second report")
    page.click("#review-form-correct button[type=submit]")
    page.wait_for_selector("#history-table")
    row = page.locator("#history-table tbody tr", has_text="fatalities")
    assert row.count() == 1
    text = row.inner_text()
    assert "tester" in text and "99" in text and "checked against a second report" in text
    assert "99" in page.inner_text(".fields")
    page.locator("#history").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "05-correction-in-history.png"))

"""A real ``fsdocs servir`` and a real Chromium for the tests marked ``navigateur``.

One server and one browser per pytest process (under xdist: per worker, each with its own
copy of the project and its own port), started the first time a test asks for them. The
browser is Debian's Chromium driven by Debian's chromium-driver (Selenium, no download): when
either is missing the tests fail and say what to install, they are never skipped.
"""

from __future__ import annotations

import base64
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import REPO, copy_default_project
from tests.readback import normalize
from tests.web.conftest import PREFECTURE, Person, add_people

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
README_CAPTURES = REPO / "tests" / "web" / "captures"
SESSION_COOKIE = "fsdocs_session"
STARTUP_S = 90.0  # /sante answers 503 while the preview engine warms up
WAIT_S = 60.0  # a preview rebuilt while the other worker runs the rest of the suite

T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>
    root: Path  # the project it serves
    log: Path


@dataclass
class Browser:
    """The driver, the server it talks to, and where its screenshots go."""

    driver: WebDriver
    server: Server
    captures: tuple[Path, ...]

    def open(self, path: str) -> None:
        self.driver.get(self.server.url + path)

    def path(self) -> str:
        """The current page's path and query, without the server's address."""
        return str(self.driver.current_url).removeprefix(self.server.url)

    def text(self, selector: str) -> str:
        """The normalised text of the first element matching the CSS ``selector``."""
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        return normalize(element.get_attribute("textContent") or "")

    def until(self, condition: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
        """Waits until ``condition()`` is truthy (elements may come and go meanwhile)."""
        waiting = WebDriverWait(
            self.driver,
            timeout,
            poll_frequency=0.2,
            ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
        )
        try:
            found = waiting.until(lambda _driver: condition())
        except TimeoutException:
            raise AssertionError(
                f"attendu en {timeout:.0f} s : {what} (page : {self.path()})"
            ) from None
        assert found is not None  # until() returns only a truthy value
        return found

    def get(self, path: str) -> tuple[int, str, bytes]:
        """``path`` fetched outside the browser with its session cookie: status, type, body."""
        cookie = self.driver.get_cookie(SESSION_COOKIE)
        request = urllib.request.Request(self.server.url + path)
        if cookie is not None:
            request.add_header("Cookie", f"{SESSION_COOKIE}={cookie['value']}")
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(request, timeout=WAIT_S) as answer:
                return answer.status, answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def sign_in(browser: Browser, person: Person) -> None:
    """Signs ``person`` in through the sign-in form, as they would."""
    browser.open("/connexion")
    browser.driver.find_element(By.ID, "identifiant").send_keys(person.identifiant)
    browser.driver.find_element(By.ID, "mot_de_passe").send_keys(person.mot_de_passe)
    browser.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    browser.until(
        lambda: not browser.path().startswith("/connexion"), f"{person.identifiant} connecté"
    )


def sign_out(browser: Browser) -> None:
    browser.driver.find_element(By.CSS_SELECTOR, "form.session button[type=submit]").click()
    browser.until(lambda: browser.path().startswith("/connexion"), "retour à /connexion")


def screenshot(browser: Browser, name: str) -> Path:
    """Saves the page, 1280 pixels wide and as tall as its content (at most 1800), as
    ``<name>.png`` in each capture folder; returns the first."""
    height = browser.driver.execute_script(
        "return Math.max(...Array.from(document.body.children,"
        " e => e.getBoundingClientRect().bottom + window.scrollY)) + 24"
    )
    clip = {"x": 0, "y": 0, "width": 1280, "height": min(max(int(height), 400), 1800)}
    shot = browser.driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
    )
    image = base64.b64decode(shot["data"])
    for folder in browser.captures:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(image)
    return browser.captures[0] / f"{name}.png"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _start(root: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "fsdocs", "servir", "-C", str(root), "--port", str(port)]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--sans-https"], stdout=output, stderr=subprocess.STDOUT, cwd=root
        )
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _status(url + "/sante") == 200:
            return process, url
        time.sleep(0.25)
    _stop(process)
    pytest.fail(
        f"fsdocs servir n’a pas répondu 200 sur /sante en {STARTUP_S:.0f} s "
        f"(code {process.returncode}) :\n{log.read_text('utf-8', 'replace')[-4000:]}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``fsdocs servir`` on a copy of the default project with one account per role and a
    first version recorded (so that a version accepted later has one to compare with)."""
    base = tmp_path_factory.mktemp("servir")
    root = copy_default_project(base / "projet")
    add_people(root)
    first = ("-m", "Convention de départ", "--auteur", PREFECTURE.nom)
    recorded = subprocess.run(
        [sys.executable, "-m", "fsdocs", "version", "-C", str(root), *first],
        capture_output=True,
        text=True,
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    log = base / "servir.log"
    process, url = _start(root, log)
    yield Server(url, root, log)
    _stop(process)


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(
            f"tests navigateur : {', '.join(missing)} absent ; installez les paquets Debian "
            "chromium et chromium-driver (.ci/run le fait)",
            pytrace=False,
        )
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--window-size=1280,1800",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        "--lang=fr-FR",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT_S)
    yield driver
    driver.quit()


@pytest.fixture
def browser(
    chromium: WebDriver,
    server: Server,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Browser:
    """The shared browser, signed out (no cookie left by the test before)."""
    captures = [tmp_path_factory.getbasetemp() / "captures"]
    if request.config.getoption("--captures-readme"):
        captures.append(README_CAPTURES)
    chromium.get(server.url + "/sante")
    chromium.delete_all_cookies()
    return Browser(chromium, server, tuple(captures))

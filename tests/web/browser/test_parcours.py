"""fsdocs servir in Chromium: a manager changes Saturday's hours and proposes, the préfecture
accepts, a reviewer reads the change; and the refusals (another structure, no CSRF token, no
session). Each page visited is captured (conftest.screenshot)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.readback import normalize, pdftotext
from tests.web.browser.conftest import Browser, screenshot, sign_in, sign_out
from tests.web.conftest import BLOIS, PREFECTURE, RELECTEUR

pytestmark = pytest.mark.navigateur

SATURDAY = "Samedi 9 h – 12 h"  # the Annex 4 page's row, once the hours are saved
SUCCESS = "p.message-succes"


def _preview(browser: Browser) -> str:
    """The text of the preview frame on the structure page."""
    driver = browser.driver
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe#apercu"))
    try:
        return normalize(driver.find_element(By.TAG_NAME, "body").text)
    finally:
        driver.switch_to.default_content()


def _inserted(browser: Browser) -> list[str]:
    """The words inserted (<ins>) in the page's redline."""
    found = browser.driver.find_elements(By.CSS_SELECTOR, "section#redline ins")
    return [normalize(ins.get_attribute("textContent") or "") for ins in found]


def _fill(browser: Browser, element_id: str, value: str) -> None:
    field = browser.driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(value)


def _success(browser: Browser, pattern: str) -> re.Match[str]:
    """Waits for the success message matching ``pattern`` (spaces normalised)."""
    return browser.until(
        lambda: re.search(pattern, browser.text(SUCCESS)), f"le message « {pattern} »"
    )


def _manager_saves_and_proposes(browser: Browser, tmp_path: Path) -> int:
    sign_in(browser, BLOIS)
    browser.open("/structures")
    links = browser.driver.find_elements(By.CSS_SELECTOR, "a[href^='/structures/']")
    assert {link.get_attribute("href") for link in links} == {
        f"{browser.server.url}/structures/blois"
    }
    screenshot(browser, "structures")
    browser.driver.find_element(By.CSS_SELECTOR, "a[href='/structures/blois']").click()
    browser.until(lambda: browser.path() == "/structures/blois", "la page de Blois")
    frame = browser.driver.find_element(By.CSS_SELECTOR, "iframe#apercu")
    assert frame.get_attribute("title") == "Aperçu de l’annexe 4"
    browser.until(lambda: "Samedi fermé" in _preview(browser), "l’aperçu : samedi fermé")

    _fill(browser, "horaires-samedi-1-debut", "09:00")
    _fill(browser, "horaires-samedi-1-fin", "12:00")
    browser.driver.find_element(By.ID, "enregistrer").click()
    _success(browser, r"Modifications enregistrées\.")
    browser.until(lambda: SATURDAY in _preview(browser), f"l’aperçu : « {SATURDAY} »")
    assert "sur 6 jours 35 h" in _preview(browser)
    browser.until(lambda: browser.text("#etat-apercu") == "Aperçu à jour", "aperçu à jour")
    screenshot(browser, "structure")

    href = browser.driver.find_element(By.ID, "apercu-pdf").get_attribute("href")
    assert href == f"{browser.server.url}/structures/blois/apercu.pdf"
    status, kind, body = browser.get("/structures/blois/apercu.pdf")
    assert (status, kind) == (200, "application/pdf"), (status, kind)
    pdf = tmp_path / "apercu.pdf"
    pdf.write_bytes(body)
    assert SATURDAY in normalize(pdftotext(pdf))

    _fill(browser, "commentaire", "Ouverture le samedi matin à partir du mois prochain.")
    browser.driver.find_element(By.ID, "proposer").click()
    found = _success(browser, r"Proposition n° (\d+) envoyée à la préfecture")
    sign_out(browser)
    return int(found.group(1))


def _prefecture_accepts(browser: Browser, number: int) -> int:
    sign_in(browser, PREFECTURE)
    browser.open("/propositions")
    screenshot(browser, "propositions")
    browser.driver.find_element(By.CSS_SELECTOR, f"a[href='/propositions/{number}']").click()
    browser.until(lambda: browser.path() == f"/propositions/{number}", "la proposition")
    assert "samedi" in browser.text("section#differences").lower()
    assert any(SATURDAY.removeprefix("Samedi ") in ins for ins in _inserted(browser))
    screenshot(browser, "proposition")
    browser.driver.find_element(By.ID, "bouton-accepter").click()
    found = _success(browser, rf"Proposition n° {number} acceptée : version (\d+) enregistrée\.")
    version = int(found.group(1))

    browser.open("/versions")
    rows = [
        [normalize(cell.text) for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
        for row in browser.driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    ]
    ours = [row for row in rows if row and re.fullmatch(rf"v?{version}", row[0])]
    assert ours, rows
    assert BLOIS.nom in ours[0], ours
    screenshot(browser, "versions")
    sign_out(browser)
    return version


def _option(select: Select, version: int) -> None:
    values = [o.get_attribute("value") for o in select.options]
    chosen = [v for v in values if v in {str(version), f"v{version}"}]
    assert chosen, values
    select.select_by_value(str(chosen[0]))


def _reviewer_compares(browser: Browser, version: int) -> None:
    sign_in(browser, RELECTEUR)
    browser.open("/comparer")
    _option(Select(browser.driver.find_element(By.ID, "de")), version - 1)
    _option(Select(browser.driver.find_element(By.ID, "a")), version)
    browser.driver.find_element(By.ID, "comparer").click()
    browser.until(lambda: browser.path().startswith("/comparer?"), "le résultat de comparer")
    assert "de=" in browser.path() and "a=" in browser.path()
    browser.until(lambda: _inserted(browser), "la comparaison")
    assert any("9 h – 12 h" in ins for ins in _inserted(browser)), _inserted(browser)
    assert browser.driver.find_elements(By.CSS_SELECTOR, "section#redline table")
    for link in ("telecharger-pdf", "telecharger-docx"):
        assert browser.driver.find_element(By.ID, link).get_attribute("href")
    screenshot(browser, "comparer")
    sign_out(browser)


def test_saturday_hours_go_from_the_manager_to_a_version_and_its_redline(
    browser: Browser, tmp_path: Path
) -> None:
    number = _manager_saves_and_proposes(browser, tmp_path)
    version = _prefecture_accepts(browser, number)
    saved = (browser.server.root / "annexes" / "structures" / "blois.yaml").read_text("utf-8")
    assert re.search(r"samedi: ['\"]?09:00-12:00", saved), saved
    _reviewer_compares(browser, version)


def test_a_manager_cannot_open_another_structure(browser: Browser) -> None:
    sign_in(browser, BLOIS)
    browser.open("/structures/salbris")
    assert browser.text("h1") == "Accès refusé"
    screenshot(browser, "erreur-403")
    for path in ("/structures/salbris", "/structures/salbris/apercu.pdf"):
        status, _kind, body = browser.get(path)
        assert status == 403, (path, status)
        assert b"%PDF" not in body[:8]


def test_a_form_without_its_csrf_token_is_refused(browser: Browser) -> None:
    browser.open("/connexion")
    screenshot(browser, "connexion")
    browser.driver.find_element(By.ID, "identifiant").send_keys(PREFECTURE.identifiant)
    browser.driver.find_element(By.ID, "mot_de_passe").send_keys(PREFECTURE.mot_de_passe)
    browser.driver.execute_script("document.querySelector('[name=jeton_csrf]').remove()")
    browser.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    browser.until(lambda: browser.text("h1") == "Formulaire refusé", "le refus")
    screenshot(browser, "erreur-csrf")
    browser.open("/")
    assert browser.path().startswith("/connexion"), browser.path()  # still signed out


def test_a_structure_form_without_its_csrf_token_changes_nothing(browser: Browser) -> None:
    yaml = browser.server.root / "annexes" / "structures" / "blois.yaml"
    before = yaml.read_bytes()
    sign_in(browser, BLOIS)
    browser.open("/structures/blois")
    _fill(browser, "horaires-dimanche-1-debut", "10:00")
    _fill(browser, "horaires-dimanche-1-fin", "12:00")
    browser.driver.execute_script(
        "document.querySelector('#formulaire-structure [name=jeton_csrf]').remove()"
    )
    browser.driver.find_element(By.ID, "enregistrer").click()
    browser.until(lambda: browser.text("h1") == "Formulaire refusé", "le refus")
    browser.open("/structures/blois")
    assert browser.driver.find_element(By.ID, "horaires-dimanche-1-debut").get_attribute(
        "value"
    ) in {"", None}
    assert yaml.read_bytes() == before
    sign_out(browser)


def test_without_a_session_a_structure_page_leads_to_the_sign_in_page(
    browser: Browser,
) -> None:
    browser.open("/structures/blois")
    assert browser.path().startswith("/connexion"), browser.path()
    assert browser.driver.find_element(By.ID, "identifiant").is_displayed()

"""Load test of ``fsdocs servir`` on loopback: N managers saving their own structures at once.

``python benchmarks/charge.py [--duree 60] [--gestionnaires 20]`` makes a project (``creer`` +
``importer`` of Loir-et-Cher from the national list shipped with fsdocs: 23 structures), one
manager account per structure, starts ``fsdocs servir`` on 127.0.0.1, then each simulated
manager — a thread with its own cookie jar — signs in and, until the time is up, loads their
structure's page (CSRF token, revision and every field, as a browser would send them back),
saves it with another closing hour on Saturday, and polls ``/structures/<id>/apercu/etat``
until the preview has caught up. At the end each structure's page must show the last value
its manager saved (no lost update). Prints and writes ``benchmarks/charge.json``: saves,
saves per second, errors, lost updates, median and 95th percentile of the preview delay (the
server's ``delai_ms``, from the save to its preview page; the client's, from sending the form
to seeing the preview ready), the same for the preview's PDF (laid out after the page), and
of the save itself. It stops by itself; it listens on
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from formulaire import Form, read_form

HERE = Path(__file__).resolve().parent
RESULT = HERE / "charge.json"
STARTUP_S = 180.0
PREVIEW_TIMEOUT_S = 60.0
POLL_S = 0.25  # how often a page asks for its preview's state (a browser: every 1.5 s)
REQUEST_TIMEOUT_S = 60.0
PASSWORD = "mot-de-passe-de-charge"
SATURDAY_START, SATURDAY_END = "horaires-samedi-1-debut", "horaires-samedi-1-fin"
CLOSING = tuple(f"{12 + m // 60:02d}:{m % 60:02d}" for m in range(0, 120, 10))  # 12:00…13:50
SUCCESS = "Modifications enregistrées."


class Refused(Exception):
    """An answer the test did not expect (an error to count)."""


@dataclass
class Manager:
    """One simulated manager: their structure, session and figures."""

    identifiant: str
    structure: str
    url: str
    opener: urllib.request.OpenerDirector = field(init=False)
    saves: int = 0
    last_saved: str | None = None
    errors: list[str] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)  # the POST and its redirect
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    pdf_server_ms: list[float] = field(default_factory=list)  # the preview's PDF, laid out
    pdf_client_ms: list[float] = field(default_factory=list)  # after the page

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, data: dict[str, str] | list[tuple[str, str]] | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.url + path, body, timeout=REQUEST_TIMEOUT_S) as answer:
                return str(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise Refused(f"{'POST' if body else 'GET'} {path} : {error.code}") from None

    def sign_in(self) -> None:
        page = self.request("/connexion")
        token = re.search(r'name="jeton_csrf" value="([^"]+)"', page)
        if token is None:
            raise Refused("/connexion : pas de jeton CSRF")
        fields = {"jeton_csrf": token.group(1), "identifiant": self.identifiant}
        self.request("/connexion", {**fields, "mot_de_passe": PASSWORD})

    def form(self) -> Form:
        return read_form(self.request(f"/structures/{self.structure}"), "formulaire-structure")

    def state(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(
            self.request(f"/structures/{self.structure}/apercu/etat")
        )
        return found

    def save_once(self, round_: int) -> None:
        form = self.form()
        state = self.state()
        before, before_pdf = state["generation"], state.get("generation_pdf", 0)
        closing = CLOSING[round_ % len(CLOSING)]
        form.set(SATURDAY_START, "09:00")
        form.set(SATURDAY_END, closing)
        clicked = time.perf_counter()
        page = self.request(f"/structures/{self.structure}", form.submitted("enregistrer"))
        self.save_ms.append((time.perf_counter() - clicked) * 1000)
        if SUCCESS not in page:
            raise Refused(f"enregistrement de {self.structure} : pas de « {SUCCESS} »")
        self.saves += 1
        self.last_saved = closing
        page_seen = False
        while time.perf_counter() - clicked < PREVIEW_TIMEOUT_S:
            state = self.state()
            if not page_seen and state["pret"] and state["generation"] > before:
                page_seen = True
                self.client_ms.append((time.perf_counter() - clicked) * 1000)
                if state.get("delai_ms") is not None:
                    self.server_ms.append(float(state["delai_ms"]))
            if page_seen and state.get("generation_pdf", 0) > before_pdf:
                self.pdf_client_ms.append((time.perf_counter() - clicked) * 1000)
                if state.get("delai_pdf_ms") is not None:
                    self.pdf_server_ms.append(float(state["delai_pdf_ms"]))
                return
            time.sleep(POLL_S)
        raise Refused(f"aperçu de {self.structure} : pas à jour en {PREVIEW_TIMEOUT_S:.0f} s")

    def run(self, deadline: float) -> None:
        try:
            self.sign_in()
        except (Refused, OSError) as error:
            self.errors.append(str(error))
            return
        round_ = 0
        while time.monotonic() < deadline and len(self.errors) < 20:
            round_ += 1
            try:
                self.save_once(round_)
            except (Refused, OSError, ValueError, KeyError) as error:
                self.errors.append(f"{type(error).__name__} : {error}")

    def shown_value(self) -> str:
        return self.form().value(SATURDAY_END)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fsdocs(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "fsdocs", *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"fsdocs {' '.join(args)} : échec\n{done.stdout}{done.stderr}")


def make_project(root: Path, managers: int) -> list[str]:
    """The project and one manager account per structure; the structures' ids."""
    from fsdocs.web.accounts import Role, add_account
    from fsdocs.web.database import connect

    _fsdocs("creer", str(root), "--departement", "41")
    _fsdocs("importer", "--departement", "41", "--projet", str(root))
    structures = sorted(p.stem for p in (root / "annexes" / "structures").glob("*.yaml"))
    if len(structures) < managers:
        sys.exit(f"{len(structures)} structures seulement pour {managers} gestionnaires")
    db = connect(root)
    try:
        for n, structure in enumerate(structures[:managers], 1):
            add_account(
                db, root, f"gestion-{n}", Role.GESTIONNAIRE, PASSWORD, f"Gestion {n}", (structure,)
            )
    finally:
        db.close()
    return structures[:managers]


def start_server(root: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "fsdocs", "servir", "-C", str(root), "--hote", "127.0.0.1"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "--port", str(port), "--sans-https"], stdout=output, stderr=output
        )
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url + "/sante", timeout=5) as answer:
                if answer.status == 200:
                    return server, url
        except (urllib.error.HTTPError, OSError):
            pass
        time.sleep(0.25)
    stop_server(server)
    sys.exit(f"fsdocs servir n’a pas démarré :\n{log.read_text('utf-8', 'replace')[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _quantiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mediane": None, "p95": None, "n": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"mediane": round(statistics.median(ordered), 1), "p95": round(p95, 1), "n": len(values)}


def run(duration: float, count: int, keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="fsdocs-charge-") as scratch:
        root = (keep or Path(scratch)) / "projet"
        structures = make_project(root, count)
        server, url = start_server(root, root.parent / "servir.log")
        try:
            managers = [Manager(f"gestion-{n}", s, url) for n, s in enumerate(structures, 1)]
            started = time.monotonic()
            deadline = started + duration
            threads = [threading.Thread(target=m.run, args=(deadline,)) for m in managers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=duration + PREVIEW_TIMEOUT_S + 2 * REQUEST_TIMEOUT_S)
            elapsed = time.monotonic() - started
            lost = []
            for manager in managers:
                if manager.last_saved is None:
                    continue
                try:
                    shown = manager.shown_value()
                except (Refused, OSError, ValueError) as error:
                    manager.errors.append(f"relecture : {error}")
                    continue
                if shown != manager.last_saved:
                    lost.append(f"{manager.structure} : {manager.last_saved} enregistré, {shown}")
        finally:
            stop_server(server)
    saves = sum(m.saves for m in managers)
    errors = [f"{m.identifiant} : {e}" for m in managers for e in m.errors]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"processeurs": os.cpu_count(), "python": platform.python_version()},
        "gestionnaires": count,
        "duree_s": round(elapsed, 1),
        "enregistrements": saves,
        "enregistrements_par_s": round(saves / elapsed, 2),
        "erreurs": len(errors),
        "exemples_erreurs": errors[:10],
        "mises_a_jour_perdues": len(lost),
        "exemples_pertes": lost[:10],
        "delai_apercu_serveur_ms": _quantiles([x for m in managers for x in m.server_ms]),
        "delai_apercu_client_ms": _quantiles([x for m in managers for x in m.client_ms]),
        "delai_pdf_serveur_ms": _quantiles([x for m in managers for x in m.pdf_server_ms]),
        "delai_pdf_client_ms": _quantiles([x for m in managers for x in m.pdf_client_ms]),
        "duree_enregistrement_ms": _quantiles([x for m in managers for x in m.save_ms]),
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n > 1 else ''}"


def _ms(figure: float | None) -> str:
    return "—" if figure is None else f"{figure:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duree", type=float, default=60.0, help="secondes d’enregistrements")
    parser.add_argument("--gestionnaires", type=int, default=20, help="gestionnaires simultanés")
    parser.add_argument("--garder", type=Path, help="garder le projet et le journal ici")
    parser.add_argument("--sortie", type=Path, default=RESULT, help="fichier JSON des résultats")
    args = parser.parse_args()
    if not 1 <= args.gestionnaires <= 23 or not 1 <= args.duree <= 3600:
        parser.error("--gestionnaires entre 1 et 23, --duree entre 1 et 3600")
    figures = run(args.duree, args.gestionnaires, args.garder)
    args.sortie.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", "utf-8")
    server, client = figures["delai_apercu_serveur_ms"], figures["delai_apercu_client_ms"]
    saving = figures["duree_enregistrement_ms"]
    pdf, pdf_client = figures["delai_pdf_serveur_ms"], figures["delai_pdf_client_ms"]
    print(
        f"{_count(figures['gestionnaires'], 'gestionnaire')} pendant {figures['duree_s']} s : "
        f"{figures['enregistrements']} enregistrements "
        f"({figures['enregistrements_par_s']} par seconde)\n"
        f"erreurs : {figures['erreurs']} ; mises à jour perdues : "
        f"{figures['mises_a_jour_perdues']}\n"
        f"délai de l’aperçu (serveur) : médiane {_ms(server['mediane'])}, "
        f"95 % {_ms(server['p95'])}\n"
        f"délai de l’aperçu (client) : médiane {_ms(client['mediane'])}, "
        f"95 % {_ms(client['p95'])}\n"
        f"PDF de l’aperçu (serveur) : médiane {_ms(pdf['mediane'])}, 95 % {_ms(pdf['p95'])}\n"
        f"PDF de l’aperçu (client) : médiane {_ms(pdf_client['mediane'])}, "
        f"95 % {_ms(pdf_client['p95'])}\n"
        f"enregistrement (POST et redirection) : médiane {_ms(saving['mediane'])}, "
        f"95 % {_ms(saving['p95'])}"
    )
    for line in figures["exemples_erreurs"] + figures["exemples_pertes"]:
        print("  ", line)
    print(f"écrit : {args.sortie}")
    if figures["erreurs"] or figures["mises_a_jour_perdues"] or not figures["enregistrements"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

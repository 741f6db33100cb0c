"""A user's first hour with an installed fsdocs, run from a folder outside the checkout.

Used twice: by ``.ci/run`` with the wheel installed with its dependencies in a fresh virtual
environment (``python tests/e2e/installed.py VENV/bin/python``), and by ``test_install.py`` with
the wheel unpacked on PYTHONPATH. Every command is typed from the project's folder with relative
paths, as the README shows; a traceback, a non-zero exit or a missing fact stops the run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from pypdf import PdfReader

STRUCTURES = ("blois", "salbris", "mondoubleau")  # three of the 23 of Loir-et-Cher in 2024


def fsdocs(
    python: str, cwd: Path, *args: str, env: dict[str, str] | None = None, code: int = 0
) -> str:
    """Run ``python -m fsdocs ARGS`` in ``cwd``; its output, after checking it ended with
    ``code`` (0: it succeeded) and without a traceback."""
    done = subprocess.run(
        [python, "-m", "fsdocs", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    output = done.stdout + done.stderr
    if done.returncode != code or "Traceback" in output:
        raise AssertionError(f"fsdocs {' '.join(args)} → {done.returncode}\n{output}")
    return output


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def check_installed(python: str, workdir: Path, env: dict[str, str] | None = None) -> list[str]:
    """creer, importer, produire, dossier (refused) and its draft, version, a change,
    comparer: evidence lines."""
    where = subprocess.run(
        [python, "-c", "import fsdocs, fsdocs.templates as t; print(fsdocs.__file__)"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    fsdocs(
        python, workdir, "creer", "projet", "--departement", "41", "--date", "2024-09-01", env=env
    )
    project = workdir / "projet"
    fsdocs(python, project, "importer", "--departement", "41", env=env)
    fsdocs(python, project, "produire", env=env)
    # An imported project has facts to fill in (agents, signatories…): no dossier to sign yet,
    # a draft to read instead.
    refused = fsdocs(python, project, "dossier", env=env, code=1)
    assert "Erreur : dossier de signature refusé" in refused, refused
    assert not (project / "output" / "dossier-signature.pdf").exists()
    bundled = fsdocs(python, project, "dossier", "--brouillon", env=env)
    convention = pdf_text(project / "output" / "convention.pdf")
    assert "Loir-et-Cher" in convention, convention[:500]
    modalites = pdf_text(project / "output" / "annexe-4.pdf")
    for ident in STRUCTURES:
        assert (project / "annexes" / "structures" / f"{ident}.yaml").is_file(), ident
        assert (project / "output" / "structures" / f"annexe-4-{ident}.pdf").is_file(), ident
    assert "Salbris" in modalites and "Mondoubleau" in modalites and "Blois" in modalites
    dossier = PdfReader(project / "output" / "dossier-projet.pdf")
    fields = [f for f in dossier.get_fields() or {} if dossier.get_fields()[f].get("/FT") == "/Sig"]
    assert len(dossier.pages) > 40 and not fields, (len(dossier.pages), fields)
    assert all("PROJET" in page.extract_text() for page in dossier.pages)
    fsdocs(python, project, "version", "-m", "première version", env=env)
    salbris = project / "annexes" / "structures" / "salbris.yaml"
    salbris.write_text(
        salbris.read_text("utf-8").replace("Salbris", "Salbris-en-Sologne", 1), "utf-8"
    )
    changes = fsdocs(python, project, "comparer", env=env)
    assert "Salbris-en-Sologne" in changes, changes
    assert (project / "output" / "modifications-v1-actuel.pdf").is_file()
    served = check_server(python, project, env)
    return [
        f"fsdocs importé de : {where}",
        served,
        f"projet de dossier : {len(dossier.pages)} pages, « PROJET » sur chacune, "
        f"{len(fields)} champ de signature",
        *(line for line in bundled.splitlines() if line.startswith("écrit :")),
    ]


def check_server(python: str, project: Path, env: dict[str, str] | None) -> str:
    """A first préfecture account, then ``fsdocs servir``: its pages and stylesheet come from
    the installed package (its templates and static files are in the wheel)."""
    made = subprocess.run(
        [python, "-m", "fsdocs", "comptes", "ajouter", "prefecture", "--role", "prefecture"],
        cwd=project,
        env=env,
        input="un mot de passe solide\n",
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0 and "compte « prefecture » créé" in made.stdout, made
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [python, "-m", "fsdocs", "servir", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.5)
        pages = {}
        for path in ("/connexion", "/static/fsdocs.css"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
                pages[path] = answer.read().decode("utf-8")
        assert '<label for="identifiant">Identifiant</label>' in pages["/connexion"]
        assert "--bleu" in pages["/static/fsdocs.css"]
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0 and "Serveur arrêté." in output, output
    return f"fsdocs servir : /sante, /connexion et sa feuille de style servis ({port})"


def main() -> None:
    python = sys.argv[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    with tempfile.TemporaryDirectory(prefix="fsdocs-utilisateur-") as folder:
        for line in check_installed(python, Path(folder), env):
            print(line)
    print("installation vérifiée : creer, importer, produire, dossier, version, comparer, servir")


if __name__ == "__main__":
    main()

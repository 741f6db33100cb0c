"""``fsdocs creer``: a new convention project, with every unknown fact visibly left to fill.

What fsdocs knows is written out: the département, the labelling date, the annex list, the
national partners in force at that date with the office that usually signs for them. What
only the préfecture knows (names, civilities, place and date of signature) is a YAML null
(``~``) commented ``# à compléter``: ``fsdocs controler`` lists each one as a warning and the
documents print « [à compléter] » in its place, so nothing unfinished goes unnoticed.

An existing project is never overwritten, and each file is written to a temporary sibling
then renamed, so an interrupted ``init`` never leaves a truncated file. The folder is created
first and held (:func:`~fsdocs.files.lock.project_lock`, the lock every command changing a
project takes) while it is checked and filled: of two ``creer`` at once, the second finds the
first's project and refuses, and no ``importer`` or ``produire`` reads a half-written one.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import get_args

import yaml

from fsdocs.errors import InitError
from fsdocs.files.lock import project_lock
from fsdocs.french import NBSP, long_date
from fsdocs.project.departements import Departement, departements, normalize_code
from fsdocs.project.horaires import JOURS
from fsdocs.project.model import AnnexeRef
from fsdocs.project.partenaires import PartenaireNational, partenaires_au
from fsdocs.project.paths import CONVENTION, GESTIONNAIRES, PARTENAIRES, PREFET, STRUCTURES, TEMOINS
from fsdocs.project.schema import SCHEMAS, write_schemas

TODO = "# à compléter"
GESTIONNAIRE_ID = "gestionnaire-1"
STRUCTURE = f"{STRUCTURES}/structure-1.yaml"
FLAGS = ("internet", "ordinateur", "imprimante_scanner", "photocopieur", "telephone")
PREMISES = ("accessibilite_pmr", "espace_confidentiel")

# File of the project → name of its JSON Schema in .schemas/.
SCHEMA_OF = {
    CONVENTION: "convention",
    PREFET: "prefet",
    GESTIONNAIRES: "gestionnaires",
    PARTENAIRES: "partenaires",
    TEMOINS: "temoins",
    STRUCTURE: "structure",
}


def init_project(target: Path, code: str, day: date) -> list[Path]:
    """Create a new project in ``target`` for département ``code``, labelled on ``day``.

    Returns the files written, ``convention.yaml`` last: it is what makes a folder a project,
    so a failure half-way never leaves something that looks like a finished ``init``.
    """
    dep = find_departement(code)
    files = project_files(dep, day)
    _refuse_existing(target, files)  # before creating anything
    # The project's own folder is locked, not its parent: that is the lock « importer »,
    # « produire » and « version » take, and projects side by side stay independent.
    try:
        made = _make_dirs(target)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    try:
        with project_lock(target):
            _refuse_existing(target, files)  # again: another « creer » may just have filled it
            written = _write_all(target, files)
            return written + write_schemas(target)
    except BaseException:
        _undo([], made)  # the folder this call created, if it is still empty
        raise


def find_departement(code: str) -> Departement:
    """The département of INSEE ``code``, or an error that suggests the closest code."""
    table = departements()
    typed = normalize_code(code)
    found = table.get(typed)
    if found is not None:
        return found
    # "975" is closer to "974" than to "95": compare codes of the same length first.
    same_length = [c for c in table if len(c) == len(typed)]
    close = difflib.get_close_matches(typed, same_length, n=1) or difflib.get_close_matches(
        typed, list(table), n=1
    )
    hint = f" Vouliez-vous dire « {close[0]} » ({table[close[0]].nom}) ?" if close else ""
    raise InitError(
        f"département « {code} » inconnu : donnez son code INSEE (ex. « 41 », « 2A », "
        f"« 974 »).{hint}"
    )


def project_files(dep: Departement, day: date) -> dict[str, str]:
    """Every file of the new project, by path relative to the project, ``convention.yaml`` last."""
    # The date given stands for the signing date until convention.yaml has one: the partners
    # of the accord-cadre in force then, each replaced by the local body holding its role in
    # this département (the CGSS in La Réunion, the CSSM in Mayotte…).
    partners = [p for p in partenaires_au(dep.code, day) if p.signe]
    files = {
        PREFET: _prefet(dep),
        GESTIONNAIRES: _gestionnaires(),
        PARTENAIRES: _partenaires(partners, dep, day),
        TEMOINS: _temoins(),
        STRUCTURE: _structure(),
        CONVENTION: _convention(dep, day),
    }
    return {name: _schema_line(name) + text for name, text in files.items()}


def _schema_line(name: str) -> str:
    up = "../" * (len(Path(name).parts) - 1)
    return f"# yaml-language-server: $schema={up}{SCHEMAS}/{SCHEMA_OF[name]}.schema.json\n"


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        plain_ok = yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok and "#" not in text else json.dumps(text, ensure_ascii=False)


def _todo(key: str, hint: str = "") -> str:
    return f"{key}: ~  {TODO}{f' : {hint}' if hint else ''}"


def _person(indent: str, hint: str = "", usuelle: str = "") -> Iterator[str]:
    """A person's keys; ``usuelle``: the catalogue's title of a partner's local head, which
    prints, agreed, while no « fonction » is written (a body renamed later renames it)."""
    yield indent + _todo("civilite", "Monsieur ou Madame")
    yield indent + _todo("prenom")
    yield indent + _todo("nom")
    if usuelle:
        yield f"{indent}# Sans « fonction: », s’imprime le titre usuel à la date de signature,"
        yield f"{indent}# accordé à la civilité ; à la date de création : « {usuelle} »."
    else:
        yield indent + _todo("fonction", hint)


def _lines(*parts: str | Iterator[str]) -> str:
    out: list[str] = []
    for part in parts:
        out.extend([part] if isinstance(part, str) else part)
    return "\n".join(out) + "\n"


def _convention(dep: Departement, day: date) -> str:
    annexes = (f"  - id: {annex}" for annex in get_args(AnnexeRef.model_fields["id"].annotation))
    return _lines(
        f"# Convention départementale France services {dep.de}, créée par « fsdocs creer ».",
        "# Les valeurs « ~ » restent à compléter : « fsdocs controler » les liste, et les",
        "# documents impriment « [à compléter] » à leur place.",
        f"departement: {json.dumps(dep.code)}",
        f"# Le Préfet est « Préfet {dep.de} » ; si l’usage diffère, écrivez par exemple :",
        f"# forme_departement: {_scalar(dep.de)}",
        f"labellisation: {day.isoformat()}  # structures labellisées au …",
        "signature:",
        "  " + _todo("lieu", "« Fait à … »"),
        "  " + _todo("date", "AAAA-MM-JJ"),
        "duree:",
        "  tacite_reconduction: true",
        "annexes:",
        annexes,
        "# Ce que les structures partagent, écrit une fois : chaque structure le reprend, sauf",
        "# si son fichier écrit la clé (« false », ou « ~ » : à compléter pour elle seule).",
        "# Peuvent s’y ajouter « rendez_vous: », « modalites: » et « agents: » (« - nombre: 2 »",
        "# et « fonction: agents polyvalents »).",
        "structures:",
        "  par_defaut:",
        "    equipements:  # article 4.3 de la convention",
        ("      " + _todo(flag, "true ou false") for flag in (*FLAGS, "visioconference")),
        ("    " + _todo(key, "true ou false") for key in PREMISES),
    )


def _prefet(dep: Departement) -> str:
    return _lines(
        f"# Sans « fonction », le titre imprimé est « Préfet {dep.de} », accordé à la civilité.",
        "prefet:",
        "  " + _todo("civilite", "Monsieur ou Madame"),
        "  " + _todo("prenom"),
        "  " + _todo("nom"),
    )


def _gestionnaires() -> str:
    return _lines(
        "# Les gestionnaires des France services, dans l’ordre de la convention.",
        f"# Si vous renommez l’identifiant, reportez-le dans {STRUCTURE}.",
        "gestionnaires:",
        f"  - id: {GESTIONNAIRE_ID}",
        "    " + _todo("organisation", "avec son article (« la communauté de communes … »)"),
        "    representant:",
        _person("      ", "« Président de la communauté de communes … »"),
    )


def _partenaires(partners: list[PartenaireNational], dep: Departement, day: date) -> str:
    entries: list[str | Iterator[str]] = []
    for partner in partners:
        nom = partner.au(day)
        label = nom.nom if nom.court == nom.nom else f"{nom.court} : {nom.nom}"
        entries += [
            "",
            f"  # {label}",
            f"  - id: {partner.id}-{dep.code.lower()}",
            f"    partenaire: {partner.id}",
            "    " + _todo("organisation", "l’organisme local, avec son article s’il en a un"),
            "    representant:",
            _person("      ", usuelle=nom.fonction),
        ]
    return _lines(
        "# Les représentants locaux des partenaires nationaux signataires de l’Accord cadre,",
        f"# en vigueur au {long_date(day).replace(NBSP, ' ')}. « partenaire » renvoie au catalogue "
        "de fsdocs.",
        "# Un délégataire qui signe pour le représentant s’ajoute sous « represente_par: ».",
        "partenaires:",
        *entries,
    )


def _temoins() -> str:
    return _lines(
        "# Personnes présentes à la signature, qui ne signent pas (« En présence de … »).",
        "temoins: []",
    )


def _structure() -> str:
    return _lines(
        "# Une structure France services ; le nom du fichier (sans .yaml) est son identifiant.",
        "# « fsdocs importer » remplit adresse, contacts et horaires depuis la liste de l’ANCT.",
        _todo("nom", "« France services de … »"),
        _todo("appellation", "ce qui suit « la France services » (« de … »)"),
        "type: fixe  # fixe, itinérante, antenne ou multisites",
        _todo("commune"),
        f"gestionnaire: {GESTIONNAIRE_ID}",
        "adresse:",
        "  " + _todo("voie", "« 12 place de la Mairie »"),
        "  " + _todo("code_postal"),
        "horaires:  # « 09:00-12:00 / 13:30-17:00 » ; un jour absent est fermé",
        (f'  {jour}: ""' for jour in JOURS[:5]),
        "# Équipements, accessibilité et espace confidentiel : ceux de convention.yaml",
        "# (« structures: par_defaut: »), sauf ceux que ce fichier écrit.",
    )


def _refuse_existing(target: Path, files: dict[str, str]) -> None:
    if target.exists() and not target.is_dir():
        raise InitError(f"« {target} » existe et n’est pas un dossier : choisissez un autre nom.")
    if (target / CONVENTION).exists():
        raise InitError(
            f"un projet existe déjà dans « {target} » ({CONVENTION} présent) : rien n’a été "
            "modifié. Choisissez un dossier vide ou nouveau."
        )
    existing = [name for name in files if os.path.lexists(target / name)]
    if existing:
        raise InitError(
            f"« {target} » contient déjà {', '.join(existing)} : rien n’a été modifié. "
            "Choisissez un dossier vide ou nouveau."
        )


def _write_all(target: Path, files: dict[str, str]) -> list[Path]:
    """Write every file, or none: on failure, what this call created is removed again."""
    written: list[Path] = []
    made: list[Path] = []
    try:
        for name, text in files.items():
            path = target / name
            made += _make_dirs(path.parent)
            _write_atomically(path, text)
            written.append(path)
    except OSError as exc:
        _undo(written, made)
        raise _unwritable(target, exc) from None
    return written


def _unwritable(target: Path, exc: OSError) -> InitError:
    return InitError(
        f"écriture impossible dans « {target} » : {exc.strerror or exc} ; rien n’a été créé."
    )


def _make_dirs(directory: Path) -> list[Path]:
    """Create ``directory`` and its missing parents; return those created, outermost first."""
    missing = [d for d in (directory, *directory.parents) if not d.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _undo(files: list[Path], dirs: list[Path]) -> None:
    # Only what this init created: every file was checked absent, every folder missing.
    for path in files:
        path.unlink(missing_ok=True)
    for directory in reversed(dirs):
        with suppress(OSError):
            directory.rmdir()


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)  # os.replace: atomic on POSIX and Windows
    finally:
        temp.unlink(missing_ok=True)

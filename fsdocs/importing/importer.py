"""``fsdocs importer``: the structures of one département, from ANCT's list into the project.

A structure whose ``anct`` number is in a file of the project is updated in that file, whatever
its name; any other becomes a new file with a gestionnaire left to fill in. Only the facts the
list gives are touched, and a fact the list leaves empty never erases one: what a person added
(agents, equipment, modalities, a reworded appellation, comments) stays as written, because
files are edited round-trip and a file whose facts did not change is not rewritten at all.
Every change is reported field by field. Each file is checked by the model before anything is
written; then all are written (temporary file, then rename), or none.

This module reads and writes the files; what changes in each is :mod:`fsdocs.importing.edits`'s,
edited round-trip by :mod:`fsdocs.importing.yamledit`.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedSeq

from fsdocs.errors import (
    ImportationError,
)
from fsdocs.files.lock import project_lock
from fsdocs.files.read import ProjectFiles
from fsdocs.importing.anct import LISTE_2024, Format, Liste, lire_liste, liste_par_defaut
from fsdocs.importing.edits import (
    TODO,
    Signatories,
    distinct_appellations,
    new_gestionnaires,
    new_ids,
    new_structure,
    update_structure,
)
from fsdocs.importing.fiche import Fiche
from fsdocs.importing.merge import merge_entities
from fsdocs.importing.project_io import (
    ProjectFile,
    anct_number,
    by_number,
    check_written,
    load_file,
    read_bytes,
    read_structures,
    write_files,
)
from fsdocs.importing.report import Changement, Rapport, after_import
from fsdocs.importing.scaffold import GESTIONNAIRE_ID, project_files
from fsdocs.importing.scaffold import STRUCTURE as SCAFFOLD_STRUCTURE
from fsdocs.importing.yamledit import dump_document
from fsdocs.project.defaults import covered as defaults_covered
from fsdocs.project.departements import departements, normalize_code
from fsdocs.project.load import load_yaml
from fsdocs.project.paths import CONVENTION, GESTIONNAIRES, PARTENAIRES, STRUCTURES
from fsdocs.project.project import MAX_STRUCTURES, find_root

# Saint-Martin (978) is not a département: the préfet de la Guadeloupe represents the State there.
RATTACHEMENT = {"978": "971"}


def import_departement(
    root: Path, code: str, fichier: Path | None = None, ajouter: bool = True
) -> Rapport:
    """Import département ``code`` from ``fichier`` (default: the list shipped with fsdocs)."""
    root = find_root(root)
    liste = lire_liste(fichier) if fichier else lire_liste(liste_par_defaut(), LISTE_2024)
    report = fusionner(root, code, liste, ajouter)
    report.constats = after_import(root)
    return report


def fusionner(root: Path, code: str, liste: Liste, ajouter: bool = True) -> Rapport:
    """Merge the structures of ``code`` from ``liste`` into the project at ``root``; with
    ``ajouter`` false, only the structures already there are updated (a revision of their
    facts, without labelling new ones).

    The project is held (:func:`~fsdocs.files.lock.project_lock`) from the first file read to
    the last written: two imports at once take turns, and neither writes over what the other
    added (a gestionnaire, a structure) from files it read before."""
    root = find_root(root)
    with project_lock(root):
        return _merge(root, normalize_code(code), liste, ajouter)


def _merge(root: Path, code: str, liste: Liste, ajouter: bool) -> Rapport:
    fiches = liste.fiches(code)
    project_code, convention = _convention(root)
    if code != project_code and RATTACHEMENT.get(code) != project_code:
        raise ImportationError(
            f"le projet « {root.name} » est celui du département {project_code} : importez "
            f"--departement {project_code}, ou créez un projet avec « fsdocs creer … "
            f"--departement {code} »"
        )
    report = Rapport(f"{liste.nom} ({liste.format.nom})", code, len(fiches))
    report.avertissements = [p for f in fiches for p in f.problemes]
    files = read_structures(root)
    known = by_number(files)
    out: dict[str, tuple[Any, tuple[str, ...] | None]] = {}  # name → (document, paths to check)
    for fiche in fiches:
        if fiche.anct in known:
            file = files[known[fiche.anct]]
            changes = update_structure(file.doc, file.data, fiche)
            report.changements += [Changement(Path(file.name).stem, *c) for c in changes]
            report.inchangees += not changes
            if changes:
                out[file.name] = (file.doc, tuple(c[0] for c in changes))
    news = [f for f in fiches if f.anct not in known]
    if not ajouter:
        report.non_ajoutees = [f"n° {f.anct}, {f.nom}" for f in news]
        news = []
    pristine = _pristine(root, project_code, files) if news else set()
    numbers = {f.anct for f in fiches}
    # Structures of another code of the same project (Saint-Martin in Guadeloupe's) stay aside.
    others = {c for c in liste.codes() - {code} if project_code in (c, RATTACHEMENT.get(c))}
    elsewhere = {n for other in others for n in liste.numeros(other)}
    for ident, file in sorted(files.items()):
        number = anct_number(file.data.get("anct")) if isinstance(file.data, dict) else None
        if file.name in pristine:
            report.retires.append(file.name)
        elif number is None:
            report.hors_liste.append(f"{ident} : sans numéro « anct », conservée")
        elif number not in numbers | elsewhere:
            report.hors_liste.append(
                f"{ident} : n° {number} absent de la liste du {code}, conservée"
            )
    _refuse_too_many(len(files) - len(report.retires) + len(news))
    if news:
        taken = set(files) - {Path(name).stem for name in report.retires}
        kept = [f.data for f in files.values() if f.name not in report.retires]
        names = [str(d.get("appellation")) for d in kept if isinstance(d, dict)]
        covered = defaults_covered(convention)
        _add(root, news, taken, GESTIONNAIRES in pristine, (liste.format, covered), report, out)
        distinct_appellations(out, names)
    _merge_entities(root, files, GESTIONNAIRES in pristine, report, out)
    texts = {name: _dump(doc, liste.format) for name, (doc, _) in out.items()}
    check_written(texts, {name: paths for name, (_, paths) in out.items()})
    report.ecrits = write_files(root, texts, report.retires)
    return report


def _add(
    root: Path,
    news: list[Fiche],
    taken: set[str],
    replace: bool,
    written: tuple[Format, set[str]],
    report: Rapport,
    out: dict[str, tuple[Any, tuple[str, ...] | None]],
) -> None:
    """A file for each new structure, and its gestionnaire when the project has none;
    ``written``: the list's format, and the keys the project's defaults cover."""
    signatories = _signatories(root, replace)
    for fiche, ident in new_ids(news, taken):
        gestionnaire = signatories.manager(fiche, ident)
        todo = gestionnaire in signatories.added
        doc = new_structure(fiche, gestionnaire, todo, *written)
        out[f"{STRUCTURES}/{ident}.yaml"] = (doc, None)
        report.ajoutees.append(
            f"{ident} ← n° {fiche.anct}, {fiche.nom} ; gestionnaire : {gestionnaire}"
            + (f" ({TODO})" if todo else "")
        )
    if signatories.added:
        out[GESTIONNAIRES] = (signatories.doc, None if replace else signatories.new_paths())


def _refuse_too_many(total: int) -> None:
    """The project loader reads at most MAX_STRUCTURES structure files: refused before any is
    written, rather than written and then unreadable."""
    if total > MAX_STRUCTURES:
        raise ImportationError(
            f"import refusé : {STRUCTURES}/ compterait {total} fichiers, au-delà de la limite "
            f"de {MAX_STRUCTURES} par projet (le plus grand département compte une centaine de "
            "structures) ; aucun fichier écrit. Vérifiez le code de département des lignes "
            "de la liste"
        )


def _convention(root: Path) -> tuple[str, Any]:
    """The project's département code, and convention.yaml as read."""
    source, problems = load_yaml(ProjectFiles(root), CONVENTION)
    value = source.data.get("departement") if source and isinstance(source.data, dict) else None
    if source is None or problems or value is None:
        raise ImportationError(
            f"{CONVENTION} illisible : lancez « fsdocs controler » et corrigez-le"
        )
    code = normalize_code(f"{value:02d}" if isinstance(value, int) else str(value))
    return code, source.data


def _merge_entities(
    root: Path,
    files: dict[str, ProjectFile],
    replace: bool,
    report: Rapport,
    out: dict[str, tuple[Any, tuple[str, ...] | None]],
) -> None:
    """Placeholder gestionnaires that repeat a legal entity, dropped (see merge.py)."""
    if GESTIONNAIRES in out:
        doc, paths = out[GESTIONNAIRES]
    elif ProjectFiles(root).exists(GESTIONNAIRES) and not replace:
        doc, paths = load_file(root, GESTIONNAIRES).doc, ()
    else:
        return
    entries = doc.get("gestionnaires") if isinstance(doc, dict) else None
    if not isinstance(entries, CommentedSeq):
        return
    kept = {f.name: f.doc for f in files.values() if f.name not in report.retires}
    docs = {name: doc for name, (doc, _) in out.items() if name.startswith(STRUCTURES)}
    fusions = merge_entities(entries, (kept | docs).items())
    if not fusions:
        return
    report.fusions = fusions
    # Indices moved: entries this import added are checked with the whole list.
    out[GESTIONNAIRES] = (doc, None if paths is None else ("gestionnaires",) if paths else ())
    for fusion in fusions:
        for name in fusion.structures:
            if name not in out:
                out[name] = (kept[name], ("gestionnaire",))


def _signatories(root: Path, pristine: bool) -> Signatories:
    """signatories/gestionnaires.yaml as the import will extend it, knowing the partners' ids."""
    files = ProjectFiles(root)  # a file that exists is read, or refused: never taken as absent
    if files.exists(GESTIONNAIRES) and not pristine:
        doc = load_file(root, GESTIONNAIRES).doc
    else:  # a new file, or the placeholder of « fsdocs creer », whose example goes
        doc = new_gestionnaires()
    entries = doc.get("gestionnaires") if isinstance(doc, dict) else None
    if not isinstance(entries, CommentedSeq):
        raise ImportationError(f"{GESTIONNAIRES} : la clé « gestionnaires » (une liste) manque")
    partners: set[str] = set()
    if files.exists(PARTENAIRES):
        data = load_file(root, PARTENAIRES).data
        found = data.get("partenaires") if isinstance(data, dict) else None
        partners = {str(p.get("id")) for p in found or [] if isinstance(p, dict)}
    return Signatories(doc, entries, partners)


def _pristine(root: Path, code: str, files: dict[str, ProjectFile]) -> set[str]:
    """What ``fsdocs creer`` wrote and nobody touched: its example structure, and its example
    gestionnaire unless a structure kept names it. The import replaces them."""
    dep = departements().get(code)
    model = project_files(dep, date.today()) if dep else {}
    found = {
        name
        for name in (SCAFFOLD_STRUCTURE, GESTIONNAIRES)
        if name in model and read_bytes(root, name) == model[name].encode()
    }
    kept = [f.data for f in files.values() if f.name not in found and isinstance(f.data, dict)]
    if any(data.get("gestionnaire") == GESTIONNAIRE_ID for data in kept):
        found.discard(GESTIONNAIRES)
    return found


def _dump(doc: Any, fmt: Format) -> str:
    text = dump_document(doc)
    # A file first filled from another list now holds this list's facts: credit this one.
    number = doc.get("anct") if isinstance(doc, dict) else None
    credit = "".join(f"# {line.format(n=number)}\n" for line in fmt.source)
    pattern = r"^# Source des adresses.*\n# .*structure n° \d+\.\n"
    return re.sub(pattern, lambda _: credit, text, count=1, flags=re.M)

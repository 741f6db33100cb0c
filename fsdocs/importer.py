"""``fsdocs import``: the structures of one département, from ANCT's list into the project.

A structure whose ``anct`` number is in a file of the project is updated in that file, whatever
its name; any other becomes a new file with a gestionnaire left to fill in. Only the facts the
list gives are touched, and a fact the list leaves empty never erases one: what a person added
(agents, equipment, modalities, a reworded appellation, comments) stays as written, because
files are edited round-trip and a file whose facts did not change is not rewritten at all.
Every change is reported field by field. Each file is checked by the model before anything is
written; then all are written (temporary file, then rename), or none.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .anct import LISTE_2024, NOTE, Fiche, Format, Liste, lire_liste, liste_par_defaut
from .departements import departements, normalize_code
from .errors import FsdocsError, Problem, ProjectError, Severity
from .french import clean_spaces
from .horaires import JOURS, ecrire_creneaux, lire_creneaux
from .layout import CONVENTION, GESTIONNAIRES, PARTENAIRES, STRUCTURES
from .loader import load_yaml, os_message, parse_yaml
from .model import GestionnairesFile, _identifier
from .model_annexes import StructureFile
from .project import find_root
from .scaffold import GESTIONNAIRE_ID, project_files
from .scaffold import STRUCTURE as SCAFFOLD_STRUCTURE
from .validate import validate

TODO = "à compléter"
# Saint-Martin (978) is not a département: the préfet de la Guadeloupe represents the State there.
RATTACHEMENT = {"978": "971"}
ORDER: dict[tuple[str, ...], list[str]] = {
    (): list(StructureFile.model_fields),
    ("adresse",): ["voie", "complement", "code_postal"],
    ("horaires",): list(JOURS),
}
HAND_FLAGS = ("internet", "ordinateur", "imprimante_scanner", "photocopieur", "telephone")


class ImportationError(FsdocsError):
    """The list cannot be merged into this project (wrong département, unreadable files…)."""


@dataclass(frozen=True)
class Changement:
    structure: str
    champ: str
    avant: str
    apres: str

    def __str__(self) -> str:
        return f"{self.structure} · {self.champ} : {self.avant} → {self.apres}"


@dataclass
class Rapport:
    """What an import did, for the command to print."""

    liste: str
    departement: str
    structures: int = 0
    ajoutees: list[str] = field(default_factory=list)
    changements: list[Changement] = field(default_factory=list)
    inchangees: int = 0
    hors_liste: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    avertissements: list[Problem] = field(default_factory=list)
    ecrits: list[Path] = field(default_factory=list)

    def lignes(self) -> list[str]:
        lines = [f"{self.liste}, département {self.departement} : {self.structures} structures."]
        lines += [f"ajoutée : {text}" for text in self.ajoutees]
        lines += [f"modifiée : {change}" for change in self.changements]
        lines += [f"hors liste : {text}" for text in self.hors_liste]
        lines += [f"retiré : {name} (modèle vide de « fsdocs init »)" for name in self.retires]
        if not self.ecrits:
            return [*lines, "Aucun changement : le projet est à jour avec cette liste."]
        counts = (
            (len(self.ajoutees), "structure ajoutée", "structures ajoutées"),
            (len({c.structure for c in self.changements}), "modifiée", "modifiées"),
            (len(self.changements), "champ changé", "champs changés"),
            (self.inchangees, "inchangée", "inchangées"),
            (len(self.hors_liste), "hors liste", "hors liste"),
            (len(self.ecrits), "fichier écrit", "fichiers écrits"),
        )
        parts = [f"{n} {one if n < 2 else many}" for n, one, many in counts if n]
        return [*lines, f"Bilan : {', '.join(parts)}."]


@dataclass
class _File:
    name: str  # relative to the project
    doc: Any  # ruamel's round-trip document
    data: Any  # the same file as fsdocs reads it


def import_departement(root: Path, code: str, fichier: Path | None = None) -> Rapport:
    """Import département ``code`` from ``fichier`` (default: the list shipped with fsdocs)."""
    root = find_root(root)
    liste = lire_liste(fichier) if fichier else lire_liste(liste_par_defaut(), LISTE_2024)
    return fusionner(root, code, liste)


def fusionner(root: Path, code: str, liste: Liste) -> Rapport:
    """Merge the structures of ``code`` from ``liste`` into the project at ``root``."""
    root = find_root(root)
    code = normalize_code(code)
    fiches = liste.fiches(code)
    project_code = _project_code(root)
    if code != project_code and RATTACHEMENT.get(code) != project_code:
        raise ImportationError(
            f"le projet « {root.name} » est celui du département {project_code} : importez "
            f"--departement {project_code}, ou créez un projet avec « fsdocs init … "
            f"--departement {code} »"
        )
    report = Rapport(f"{liste.nom} ({liste.format.nom})", code, len(fiches))
    report.avertissements = [p for f in fiches for p in f.problemes]
    files = _read_structures(root)
    by_number = _by_number(files)
    out: dict[str, tuple[Any, tuple[str, ...] | None]] = {}  # name → (document, paths to check)
    for fiche in fiches:
        if fiche.anct in by_number:
            file = files[by_number[fiche.anct]]
            changes = _update(file.doc, file.data, fiche)
            report.changements += [Changement(Path(file.name).stem, *c) for c in changes]
            report.inchangees += not changes
            if changes:
                out[file.name] = (file.doc, tuple(c[0] for c in changes))
    news = [f for f in fiches if f.anct not in by_number]
    pristine = _pristine(root, project_code, files) if news else set()
    numbers = {f.anct for f in fiches}
    # Structures of another code of the same project (Saint-Martin in Guadeloupe's) stay aside.
    others = {c for c in liste.codes() - {code} if project_code in (c, RATTACHEMENT.get(c))}
    elsewhere = {n for other in others for n in liste.numeros(other)}
    for ident, file in sorted(files.items()):
        number = _number(file.data.get("anct")) if isinstance(file.data, dict) else None
        if file.name in pristine:
            report.retires.append(file.name)
        elif number is None:
            report.hors_liste.append(f"{ident} : sans numéro « anct », conservée")
        elif number not in numbers | elsewhere:
            report.hors_liste.append(
                f"{ident} : n° {number} absent de la liste du {code}, conservée"
            )
    if news:
        taken = set(files) - {Path(name).stem for name in report.retires}
        _add(root, news, taken, GESTIONNAIRES in pristine, liste.format, report, out)
    texts = {name: _dump(doc, liste.format) for name, (doc, _) in out.items()}
    _check(texts, {name: paths for name, (_, paths) in out.items()})
    report.ecrits = _write(root, texts, report.retires)
    return report


def _add(
    root: Path,
    news: list[Fiche],
    taken: set[str],
    replace: bool,
    fmt: Format,
    report: Rapport,
    out: dict[str, tuple[Any, tuple[str, ...] | None]],
) -> None:
    """A file for each new structure, and its gestionnaire when the project has none."""
    signatories = _Signatories(root, replace)
    for fiche, ident in _new_ids(news, taken):
        gestionnaire = signatories.manager(fiche, ident)
        todo = gestionnaire in signatories.added
        out[f"{STRUCTURES}/{ident}.yaml"] = (_new(fiche, gestionnaire, todo, fmt), None)
        report.ajoutees.append(
            f"{ident} ← n° {fiche.anct}, {fiche.nom} ; gestionnaire : {gestionnaire}"
            + (f" ({TODO})" if todo else "")
        )
    if signatories.added:
        out[GESTIONNAIRES] = (signatories.doc, None if replace else signatories.new_paths())


def _project_code(root: Path) -> str:
    source, problems = load_yaml(root / CONVENTION, CONVENTION)
    value = source.data.get("departement") if source and isinstance(source.data, dict) else None
    if problems or value is None:
        raise ImportationError(f"{CONVENTION} illisible : lancez « fsdocs check » et corrigez-le")
    return normalize_code(f"{value:02d}" if isinstance(value, int) else str(value))


def _load(root: Path, name: str) -> _File:
    source, problems = load_yaml(root / name, name)
    if source is None or problems:
        raise ProjectError(problems)
    try:
        doc = _yaml().load((root / name).read_text("utf-8-sig"))
    except (OSError, YAMLError) as exc:
        raise ImportationError(f"{name} : illisible ({exc})") from None
    return _File(name, doc, source.data)


def _read_structures(root: Path) -> dict[str, _File]:
    files: dict[str, _File] = {}
    problems: list[Problem] = []
    for path in sorted((root / STRUCTURES).glob("*.yaml")):
        try:
            files[path.stem] = _load(root, f"{STRUCTURES}/{path.name}")
        except ProjectError as exc:
            problems += exc.problems
    if problems:
        raise ProjectError(problems)
    return files


def _number(value: Any) -> int | None:
    return int(value) if str(value).isdigit() else None


def _by_number(files: dict[str, _File]) -> dict[int, str]:
    found: dict[int, str] = {}
    for ident, file in files.items():
        number = _number(file.data.get("anct")) if isinstance(file.data, dict) else None
        if number is not None and number in found:
            raise ImportationError(
                f"{file.name} : n° ANCT {number} déjà donné dans "
                f"{files[found[number]].name} : une structure n’a qu’un fichier"
            )
        if number is not None:
            found[number] = ident
    return found


def _pristine(root: Path, code: str, files: dict[str, _File]) -> set[str]:
    """What ``fsdocs init`` wrote and nobody touched: its example structure, and its example
    gestionnaire unless a structure kept names it. The import replaces them."""
    dep = departements().get(code)
    model = project_files(dep, date.today()) if dep else {}
    found = {
        name
        for name in (SCAFFOLD_STRUCTURE, GESTIONNAIRES)
        if name in model
        and (root / name).is_file()
        and (root / name).read_bytes() == model[name].encode()
    }
    kept = [f.data for f in files.values() if f.name not in found and isinstance(f.data, dict)]
    if any(data.get("gestionnaire") == GESTIONNAIRE_ID for data in kept):
        found.discard(GESTIONNAIRES)
    return found


def _update(doc: Any, data: Any, fiche: Fiche) -> list[tuple[str, str, str]]:
    """Set in ``doc`` what the list changed; (field, before, after) of each change."""
    changes: list[tuple[str, str, str]] = []
    for path, value in fiche.champs():
        old = _get(data, path)
        if value is None or _same(path, old, value):
            if value is None and old is None and _get(doc, path) is None:
                _set(doc, path, "" if path.startswith("horaires.") else None, fiche.notes[path])
            continue
        _set(doc, path, value, fiche.notes.get(path))
        known = not path.startswith("horaires.") or isinstance(data.get("horaires"), dict)
        changes.append((path, _show(path if known else "", old), _show(path, value)))
    old_name, kind = data.get("appellation"), data.get("type") or "fixe"
    if old_name is None or old_name == _appellation(data.get("commune"), kind):
        new_name = _appellation(fiche.commune or data.get("commune"), fiche.type or kind)
        if new_name is not None and new_name != old_name:
            _set(doc, "appellation", new_name, None)
            changes.append(("appellation", _show("", old_name), new_name))
    return changes


def _new(fiche: Fiche, gestionnaire: str, todo: bool, fmt: Format) -> CommentedMap:
    doc = CommentedMap()
    top = ["yaml-language-server: $schema=../../.schemas/structure.schema.json"]
    doc.yaml_set_start_comment("\n".join(top + [line.format(n=fiche.anct) for line in fmt.source]))
    _set(doc, "anct", fiche.anct, None)
    _set(doc, "gestionnaire", gestionnaire, f"{TODO} dans {GESTIONNAIRES}" if todo else None)
    if fiche.type is not None:  # the model's default, written out as in every default file
        _set(doc, "type", fiche.type.value, None)
    _update(doc, {}, fiche)
    _set(doc, "appellation", doc.get("appellation"), "d’après la commune ; à reformuler si besoin")
    for path in ("nom", "commune", "adresse.voie", "adresse.code_postal"):  # required keys
        if _get(doc, path) is None and path not in fiche.notes:
            _set(doc, path, None, TODO)
    flags = CommentedMap()
    for flag in (*HAND_FLAGS, "visioconference"):
        _set(flags, flag, None, f"{TODO} : true ou false", indent=2, order=[])
    _set(doc, "equipements", flags, "article 4.3 de la convention")
    for key in ("accessibilite_pmr", "espace_confidentiel"):
        _set(doc, key, None, f"{TODO} : true ou false")
    return doc


def _new_ids(news: list[Fiche], taken: set[str]) -> list[tuple[Fiche, str]]:
    """A readable id for each new structure: its commune; with its number when shared."""
    bases = {}
    for fiche in news:
        first = (fiche.nom or "").split(" ", 1)[0].casefold()
        prefix = "bus-" if first == "bus" else "itinerante-" if fiche.type == "itinérante" else ""
        bases[fiche.anct] = _slug(prefix + (fiche.commune or fiche.nom or ""), 50) or "structure"
    shared = Counter(bases.values())
    result = []
    for fiche in sorted(news, key=lambda f: f.anct):
        base = bases[fiche.anct]
        ident = base if shared[base] == 1 and base not in taken else f"{base}-{fiche.anct}"
        ident = _unique(ident, taken)
        taken.add(ident)
        result.append((fiche, ident))
    return result


class _Signatories:
    """signatories/gestionnaires.yaml, and the placeholder gestionnaires the import adds."""

    def __init__(self, root: Path, pristine: bool) -> None:
        self.added: set[str] = set()
        if (root / GESTIONNAIRES).is_file() and not pristine:
            self.doc = _load(root, GESTIONNAIRES).doc
        else:  # a new file, or the placeholder of « fsdocs init », whose example goes
            self.doc = CommentedMap(gestionnaires=CommentedSeq())
            self.doc.yaml_set_start_comment(
                "yaml-language-server: $schema=../.schemas/gestionnaires.schema.json\n"
                "Les gestionnaires des France services, dans l’ordre de la convention."
            )
        entries = self.doc.get("gestionnaires") if isinstance(self.doc, dict) else None
        if not isinstance(entries, CommentedSeq):
            raise ImportationError(f"{GESTIONNAIRES} : la clé « gestionnaires » (une liste) manque")
        self.entries = entries
        self.first = len(entries)
        self.ids = {str(e.get("id")) for e in entries if isinstance(e, dict)}
        self.taken = set(self.ids)  # signatories' ids are unique across both files
        if (root / PARTENAIRES).is_file():
            data = _load(root, PARTENAIRES).data
            found = data.get("partenaires") if isinstance(data, dict) else None
            self.taken |= {str(p.get("id")) for p in found or [] if isinstance(p, dict)}

    def new_paths(self) -> tuple[str, ...]:
        """Where the entries this import added are, for their check."""
        return tuple(f"gestionnaires[{i}]" for i in range(self.first, len(self.entries)))

    def manager(self, fiche: Fiche, ident: str) -> str:
        """The gestionnaire of a new structure: one of the file, or a new placeholder."""
        if fiche.porteuse:  # the 2020 list names it
            for entry in self.entries:
                if isinstance(entry, dict) and _fold(entry.get("organisation")) == _fold(
                    fiche.porteuse
                ):
                    return str(entry["id"])
            wanted = _slug(fiche.porteuse, 64) or f"gestionnaire-{ident}"
        else:
            wanted = _slug(f"gestionnaire-{ident}", 64)
            if wanted in self.ids:
                return wanted  # made by an earlier import, maybe completed since
        gid = _unique(wanted, self.taken)
        self.taken.add(gid)
        self.ids.add(gid)
        self.added.add(gid)
        entry = CommentedMap(id=gid)
        note = f"{'à vérifier' if fiche.porteuse else TODO} : avec son article"
        _set(
            entry,
            "organisation",
            fiche.porteuse,
            f"{note} (« la communauté de communes … »)",
            4,
            [],
        )
        person = CommentedMap()
        for key in ("civilite", "prenom", "nom", "fonction"):
            hint = " : Monsieur ou Madame" if key == "civilite" else ""
            _set(person, key, None, TODO + hint, 6, [])
        entry["representant"] = person
        self.entries.append(entry)
        first = "" if len(self.entries) == 1 else "\n"  # a blank line between entries
        label = f"{first}Gestionnaire de {fiche.nom} (liste ANCT n° {fiche.anct})"
        self.entries.yaml_set_comment_before_after_key(len(self.entries) - 1, label, indent=2)
        return gid


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _set(
    doc: Any, path: str, value: Any, note: str | None, indent: int = 0, order: Any = None
) -> None:
    """Set ``path`` in ``doc``, a new key in its place in ``order`` (the model's), with ``note``."""
    *parents, key = path.split(".")
    for depth, parent in enumerate(parents):
        if not isinstance(doc.get(parent), CommentedMap):
            _insert(doc, parent, CommentedMap(), ORDER[tuple(parents[:depth])])
        doc = doc[parent]
    _insert(doc, key, _scalar(value), ORDER[tuple(parents)] if order is None else order)
    written = _written(doc[key])
    text = f"{key}:{' ' if written else ''}{written}"
    _note(doc, key, note, indent + 2 * len(parents) + len(text) + 2)


def _insert(doc: CommentedMap, key: str, value: Any, order: list[str]) -> None:
    if key in doc:
        doc[key] = value
        return
    position = len(doc)  # a key the order does not know goes last
    if key in order:
        before = [k for k in doc if k in order and order.index(k) < order.index(key)]
        position = list(doc).index(before[-1]) + 1 if before else 0
    previous = list(doc)[position - 1] if position else None
    doc.insert(position, key, value)
    token = _token(doc, previous) if previous is not None else None
    if token is not None and not isinstance(value, CommentedMap):
        # Blank lines and comments after the previous key introduce the keys that follow.
        first, newline, rest = token.value.partition("\n")
        if rest:
            token.value = first + newline
            _put(doc, key, newline + rest, token.column)


def _token(doc: CommentedMap, key: str) -> Any:
    items = doc.ca.items.get(key)
    return items[2] if items and len(items) > 2 else None


def _put(doc: CommentedMap, key: str, value: str, column: int) -> None:
    doc.ca.items.setdefault(key, [None, None, None, None])[2] = CommentToken(
        value, CommentMark(column)
    )


def _note(doc: CommentedMap, key: str, note: str | None, column: int) -> None:
    """Replace the import's own comment on ``key``; a person's comment stays."""
    token = _token(doc, key)
    first, newline, rest = token.value.partition("\n") if token else ("", "\n", "")
    mine = first.strip().startswith(("# " + NOTE, "# " + TODO))
    if first.strip() and not mine:  # a person's comment: moved aside if the value grew
        _put(doc, key, token.value, max(token.column, column))
        return
    if note is None and token is None:
        return
    _put(doc, key, (f"# {note}" if note else "") + newline + rest, column)


def _scalar(value: Any) -> Any:
    """``value`` as YAML writes it so that fsdocs reads it back unchanged."""
    if not isinstance(value, str) or isinstance(value, DoubleQuotedScalarString):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: faster
        plain = yaml.load(f"k: {value}", Loader=loader) == {"k": value} and "#" not in value
    except yaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def _written(value: Any) -> str:
    if value is None:
        return "~"
    if isinstance(value, DoubleQuotedScalarString):
        return f'"{value}"'
    return "" if isinstance(value, CommentedMap) else str(value).split("\n")[0]


def _same(path: str, old: Any, new: Any) -> bool:
    if path.startswith("horaires."):
        reading = lire_creneaux(str(old or ""))
        ok = not reading.problemes and not reading.reste
        return bool((ecrire_creneaux(reading.creneaux) if ok else old) == new)
    if path == "telephone":
        return _phone(old) == _phone(new)
    if path == "type":
        return bool((old or "fixe") == new)
    if path == "adresse.code_postal" and isinstance(old, int):
        return bool(f"{old:05d}" == new)
    return _fold(old) == _fold(new)


def _phone(value: Any) -> str:
    try:
        number = phonenumbers.parse(str(value), "FR")
    except phonenumbers.NumberParseException:
        return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _fold(value: Any) -> str:
    """What a typographic correction leaves unchanged: case, accents, spaces, apostrophes."""
    text = unicodedata.normalize("NFKD", "" if value is None else str(value).replace("’", "'"))
    return clean_spaces("".join(c for c in text if not unicodedata.combining(c)).casefold())


def _show(path: str, value: Any) -> str:
    if value in (None, ""):
        return "fermé" if path.startswith("horaires.") else "—"
    text = clean_spaces(str(value))
    return text if len(text) <= 70 else text[:69] + "…"


def _appellation(commune: Any, kind: Any) -> str | None:
    """« de Blois », « du Nouvion-en-Thiérache », « d’Orléans », « itinérante de Mer »."""
    if not commune:
        return None
    name = str(commune)
    lowered = name.casefold()
    if lowered.startswith(("le ", "les ")):
        de = ("du " if lowered.startswith("le ") else "des ") + name.split(" ", 1)[1]
    elif unicodedata.normalize("NFKD", name)[0].upper() in "AEIOUY":
        de = f"d’{name}"
    else:
        de = f"de {name}"
    return f"itinérante {de}" if kind == "itinérante" else de


def _slug(text: str, limit: int) -> str:
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    ascii_only = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")[:limit].strip("-")


def _unique(wanted: str, taken: set[str]) -> str:
    ident, n = wanted, 1
    while ident in taken or not _valid(ident):
        n += 1
        ident = f"{wanted[:60].strip('-')}-{n}"
    return ident


def _valid(ident: str) -> bool:
    try:
        _identifier(ident)
    except ValueError:
        return False
    return True


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never fold a long line: people edit these files
    y.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "~")
    )
    return y


def _dump(doc: Any, fmt: Format) -> str:
    stream = io.StringIO()
    _yaml().dump(doc, stream)
    text = stream.getvalue()
    # A file first filled from another list now holds this list's facts: credit this one.
    number = doc.get("anct") if isinstance(doc, dict) else None
    credit = "".join(f"# {line.format(n=number)}\n" for line in fmt.source)
    pattern = r"^# Source des adresses.*\n# .*structure n° \d+\.\n"
    return re.sub(pattern, lambda _: credit, text, count=1, flags=re.M)


def _check(texts: dict[str, str], wanted: dict[str, tuple[str, ...] | None]) -> None:
    """Each file as fsdocs will read it: what the import wrote must be valid (a whole new file;
    the changed fields of a file a person may have left incomplete)."""
    problems: list[Problem] = []
    for name, text in texts.items():
        source, found = parse_yaml(text.encode(), name)
        model = GestionnairesFile if name == GESTIONNAIRES else StructureFile
        if source is not None and not found:
            found = validate(model, source)[1]
        paths = wanted[name]
        problems += [
            p
            for p in found
            if p.severity is Severity.ERROR and (paths is None or p.path.startswith(paths))
        ]
    if problems:
        raise ProjectError(problems)


def _write(root: Path, texts: dict[str, str], removed: list[str]) -> list[Path]:
    """Write every file or none: all to temporary siblings first, then renamed."""
    done: list[tuple[Path, Path]] = []
    try:
        for name, text in texts.items():
            final = root / name
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
            with temp.open("x", encoding="utf-8", newline="\n") as handle:
                done.append((temp, final))
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, final in done:
            temp.replace(final)
        for name in removed:
            (root / name).unlink(missing_ok=True)
    except OSError as exc:
        for temp, _ in done:
            temp.unlink(missing_ok=True)
        raise ImportationError(
            f"écriture impossible dans « {root} » : {os_message(exc)} ; aucun fichier modifié"
        ) from None
    return [final for _, final in done]

"""What ``fsdocs importer`` changes in the project's documents, in memory.

A structure file takes the facts of its fiche that differ from what it says (a typographic
correction is no change); a new structure gets a whole file, the facts the list does not give
left « à compléter »; a new structure whose gestionnaire the project lacks gets a placeholder in
signatories/gestionnaires.yaml. Reading and writing the files is :mod:`fsdocs.importing.importer`'s.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

import phonenumbers
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from fsdocs.french import clean_spaces
from fsdocs.importing.anct import Format
from fsdocs.importing.fiche import NOTE, Fiche
from fsdocs.importing.operators import named_appellation, operator_of
from fsdocs.importing.scaffold import FLAGS, PREMISES
from fsdocs.importing.yamledit import get_value, set_value
from fsdocs.project.annexes_model import StructureFile
from fsdocs.project.entities import entity_key
from fsdocs.project.fields import _identifier
from fsdocs.project.horaires import JOURS, ecrire_creneaux, lire_creneaux
from fsdocs.project.paths import GESTIONNAIRES

TODO = "à compléter"
ORDER: dict[tuple[str, ...], list[str]] = {
    (): list(StructureFile.model_fields),
    ("adresse",): ["voie", "complement", "code_postal"],
    ("horaires",): list(JOURS),
}
OWNED = (NOTE, TODO)  # the comments the import writes, and may rewrite


def update_structure(doc: Any, data: Any, fiche: Fiche) -> list[tuple[str, str, str]]:
    """Set in ``doc`` what the list changed; (field, before, after) of each change."""
    changes: list[tuple[str, str, str]] = []
    for path, value in fiche.champs():
        old = get_value(data, path)
        if value is None or _same(path, old, value):
            if value is None and old is None and get_value(doc, path) is None:
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


def new_structure(
    fiche: Fiche, gestionnaire: str, todo: bool, fmt: Format, covered: set[str]
) -> CommentedMap:
    """The file of a structure new to the project, its gestionnaire noted « à compléter »
    when ``todo``; the keys of ``covered`` (« equipements.internet »), which convention.yaml's
    defaults give every structure, are left out rather than left « à compléter »."""
    doc = CommentedMap()
    top = ["yaml-language-server: $schema=../../.schemas/structure.schema.json"]
    doc.yaml_set_start_comment("\n".join(top + [line.format(n=fiche.anct) for line in fmt.source]))
    _set(doc, "anct", fiche.anct, None)
    _set(doc, "gestionnaire", gestionnaire, f"{TODO} dans {GESTIONNAIRES}" if todo else None)
    if fiche.type is not None:  # the model's default, written out as in every default file
        _set(doc, "type", fiche.type.value, None)
    update_structure(doc, {}, fiche)
    _set(doc, "appellation", doc.get("appellation"), "d’après la commune ; à reformuler si besoin")
    for path in ("nom", "commune", "adresse.voie", "adresse.code_postal"):  # required keys
        if get_value(doc, path) is None and path not in fiche.notes:
            _set(doc, path, None, TODO)
    flags = CommentedMap()
    for flag in (*FLAGS, "visioconference"):
        if f"equipements.{flag}" not in covered:
            set_value(flags, flag, None, f"{TODO} : true ou false", owned=OWNED, indent=2)
    if flags:
        _set(doc, "equipements", flags, "article 4.3 de la convention")
    for key in PREMISES:
        if key not in covered:
            _set(doc, key, None, f"{TODO} : true ou false")
    return doc


def distinct_appellations(out: dict[str, tuple[Any, Any]], existing: list[str]) -> None:
    """New structures that would share an appellation with another structure (« de Bordeaux »
    four times, and « gestionnaire des France services de Bordeaux et de Bordeaux ») are
    called after their name in the list instead (« Pimms Médiation de Bordeaux »)."""
    new = {
        name: doc
        for name, (doc, paths) in out.items()
        if paths is None and name.startswith("annexes/structures/")
    }
    note = "d’après le nom dans la liste ; à reformuler si besoin"
    renames: list[Callable[[Any], str | None]] = [
        lambda doc: named_appellation(doc.get("nom")),
        _numbered,  # two rows of the list with one name
    ]
    for rename in renames:
        counts = Counter([*existing, *(str(doc.get("appellation")) for doc in new.values())])
        for doc in new.values():
            named = rename(doc)
            if counts[str(doc.get("appellation"))] > 1 and named:
                set_value(
                    doc,
                    "appellation",
                    named,
                    note,
                    order=ORDER,
                    owned=(*OWNED, "d’après la commune", "d’après le nom"),
                )


def _numbered(doc: Any) -> str | None:
    """« de Case-Pilote (n° 3240) »: two rows of the list with one name."""
    return f"{doc.get('appellation')} (n° {doc.get('anct')})"


def new_ids(news: list[Fiche], taken: set[str]) -> list[tuple[Fiche, str]]:
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


def new_gestionnaires() -> CommentedMap:
    """signatories/gestionnaires.yaml with no gestionnaire yet."""
    doc = CommentedMap(gestionnaires=CommentedSeq())
    doc.yaml_set_start_comment(
        "yaml-language-server: $schema=../.schemas/gestionnaires.schema.json\n"
        "Les gestionnaires des France services, dans l’ordre de la convention."
    )
    return doc


class Signatories:
    """signatories/gestionnaires.yaml, and the placeholder gestionnaires the import adds."""

    def __init__(self, doc: Any, entries: CommentedSeq, partners: set[str]) -> None:
        """``entries``: the list under ``gestionnaires`` in ``doc``; ``partners``: the
        partners' ids, which no gestionnaire may take (signatories' ids are unique across
        both files)."""
        self.doc = doc
        self.entries = entries
        self.added: set[str] = set()
        self.first = len(entries)
        self.ids = {str(e.get("id")) for e in entries if isinstance(e, dict)}
        self.taken = self.ids | partners

    def new_paths(self) -> tuple[str, ...]:
        """Where the entries this import added are, for their check."""
        return tuple(f"gestionnaires[{i}]" for i in range(self.first, len(self.entries)))

    def manager(self, fiche: Fiche, ident: str) -> str:
        """The gestionnaire of a new structure: one of the file, or a new placeholder."""
        operator = None if fiche.porteuse else operator_of(fiche.nom)
        organisation = fiche.porteuse or (operator.organisation if operator else None)
        if organisation:  # the 2020 list names it, or the name designates it: one signatory
            for entry in self.entries:
                if isinstance(entry, dict) and entity_key(entry.get("organisation")) == (
                    entity_key(organisation)
                ):
                    return str(entry["id"])
            wanted = (operator.id if operator else _slug(organisation, 64)) or (
                f"gestionnaire-{ident}"
            )
        else:
            wanted = _slug(f"gestionnaire-{ident}", 64)
            if wanted in self.ids:
                return wanted  # made by an earlier import, maybe completed since
        gid = _unique(wanted, self.taken)
        self.taken.add(gid)
        self.ids.add(gid)
        self.added.add(gid)
        entry = CommentedMap(id=gid)
        note = f"{'à vérifier' if organisation else TODO} : avec son article"
        set_value(
            entry,
            "organisation",
            organisation,
            f"{note} (« la communauté de communes … »)",
            owned=OWNED,
            indent=4,
        )
        person = CommentedMap()
        for key in ("civilite", "prenom", "nom", "fonction"):
            hint = " : Monsieur ou Madame" if key == "civilite" else ""
            set_value(person, key, None, TODO + hint, owned=OWNED, indent=6)
        entry["representant"] = person
        self.entries.append(entry)
        first = "" if len(self.entries) == 1 else "\n"  # a blank line between entries
        label = (
            f"{first}{operator.organisation} : gestionnaire de toutes ses France services du "
            "département, une seule signature"
            if operator
            else f"{first}Gestionnaire de {fiche.nom} (liste ANCT n° {fiche.anct})"
        )
        self.entries.yaml_set_comment_before_after_key(len(self.entries) - 1, label, indent=2)
        return gid


def _set(doc: Any, path: str, value: Any, note: str | None) -> None:
    """Set ``path`` in a structure's document, a new key in the model's order."""
    set_value(doc, path, value, note, order=ORDER, owned=OWNED)


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

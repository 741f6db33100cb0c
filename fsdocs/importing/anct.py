"""Reading ANCT's national lists of France services: the file, its layout, its rows.

Two layouts are known and told apart by their header: the list ANCT publishes today (``id_fs``,
``lib_fs``, hours as ``09:00 - 12:00 / 13:30 - 17:00``; the list of 1 August 2024 ships with
fsdocs) and the first-wave list of January 2020 (``MATRICULE``, hours typed freely, and the
only ``STRUCTURE.PORTEUSE``). Either may be comma- or semicolon-separated, with or without a
UTF-8 byte-order mark, or in Windows-1252 as a spreadsheet saves it.

Each row of a département becomes one :class:`~fsdocs.importing.fiche.Fiche`, as
:mod:`fsdocs.importing.fiche` reads it.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fsdocs.errors import ListeError, Problem, ProjectError, Severity, UnreadableFileError
from fsdocs.files.read import Kind, read_file
from fsdocs.importing.fiche import Fiche, Row, fiche_2020, fiche_2024
from fsdocs.project.departements import normalize_code

LISTE_2024 = "liste-fs-20240801.csv"
# ANCT numbers its structures from 1 (about 3,000 today): ASCII digits, never « ² » or « ١ »,
# which Python would take for digits, and short enough for the file name made from them.
NUMERO = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Format:
    nom: str
    en_tete: str  # the required columns; the first one tells the layout apart
    source: tuple[str, str]  # the credit written at the top of each structure file

    @property
    def colonnes(self) -> tuple[str, ...]:
        return tuple(self.en_tete.split())


_CREDIT = "Source des adresses, contacts et horaires : ANCT, liste des "
FORMAT_2024 = Format(
    "liste ANCT 2024",
    "id_fs insee_dep lib_fs adresse complement_adresse code_postal lib_com mail telephone h_lundi "
    "h_mardi h_mercredi h_jeudi h_vendredi h_samedi prise_rdv commentaire type_fs format_fs "
    "labellisation_fs",
    (
        f"{_CREDIT}structures France services",
        "au 1er août 2024 (Licence Ouverte 2.0), structure n° {n}.",
    ),
)
FORMAT_2020 = Format(
    "liste ANCT de janvier 2020",
    "MATRICULE DEPARTEMENT lib_france_services ADRESSE CODE_POSTAL lib_com CONTACT.MAIL TELEPHONE "
    "STRUCTURE.PORTEUSE h_lundi h_mardi h_mercredi h_jeudi h_vendredi h_samedi LABELISATION",
    (f"{_CREDIT}France services", "de janvier 2020 (Licence Ouverte 2.0), structure n° {n}."),
)
FORMATS = (FORMAT_2024, FORMAT_2020)


@dataclass(frozen=True)
class Ligne:
    numero: int  # line of the file where the record starts (the header is line 1)
    valeurs: dict[str, str]


@dataclass(frozen=True)
class Liste:
    nom: str  # as messages show it
    format: Format
    lignes: tuple[Ligne, ...]

    def codes(self) -> set[str]:
        column = self.format.colonnes[1]
        return {normalize_code(ligne.valeurs[column]) for ligne in self.lignes}

    def numeros(self, code: str) -> set[int]:
        """The numbers of the structures of ``code``, as the list writes them."""
        number, column = self.format.colonnes[:2]
        return {
            int(ligne.valeurs[number])
            for ligne in self.lignes
            if normalize_code(ligne.valeurs[column]) == code
            and NUMERO.fullmatch(ligne.valeurs[number].strip())
        }

    def fiches(self, code: str) -> list[Fiche]:
        """The structures of département ``code``, in the list's order."""
        code = normalize_code(code)
        known = self.codes()
        if code not in known:
            same_length = sorted(c for c in known if len(c) == len(code))
            close = difflib.get_close_matches(code, same_length, n=1, cutoff=0.5)
            hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
            raise ListeError(
                f"département « {code} » absent de {self.nom} : aucune structure n’y porte ce "
                f"code (attendu : un code INSEE, ex. « 41 », « 2A », « 974 »){hint}"
            )
        read = fiche_2024 if self.format is FORMAT_2024 else fiche_2020
        column = self.format.colonnes[1]
        fiches: list[Fiche] = []
        errors: list[Problem] = []
        seen: dict[int, int] = {}
        for ligne in self.lignes:
            if normalize_code(ligne.valeurs[column]) != code:
                continue
            raw = ligne.valeurs[self.format.colonnes[0]].strip()
            where = (self.nom, ligne.numero, self.format.colonnes[0])
            if not NUMERO.fullmatch(raw):
                shown = raw if len(raw) <= 20 else f"{raw[:20]}…"
                errors.append(
                    Problem(
                        *where,
                        f"identifiant « {shown} » : un nombre était attendu (1 à 9 chiffres de "
                        "0 à 9)",
                    )
                )
            elif int(raw) in seen:
                errors.append(Problem(*where, f"n° {raw} déjà donné ligne {seen[int(raw)]}"))
            else:
                seen[int(raw)] = ligne.numero
                fiche = read(Row(self.nom, ligne.numero, ligne.valeurs, code), int(raw))
                errors += [p for p in fiche.problemes if p.severity is Severity.ERROR]
                fiches.append(fiche)
        if errors:
            raise ProjectError(errors)
        return fiches


def liste_par_defaut() -> Path:
    """The national list shipped with fsdocs (ANCT, 1 August 2024; see data/CREDITS.md)."""
    return Path(str(resources.files("fsdocs").joinpath(f"data/anct/{LISTE_2024}")))


def lire_liste(path: Path, nom: str | None = None) -> Liste:
    """Read the list at ``path``, whatever its separator, byte-order mark or layout."""
    nom = nom or str(path)
    try:
        raw = read_file(path, Kind.CSV, shown=nom)
    except UnreadableFileError as exc:
        raise ListeError(str(exc)) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ListeError(f"{nom}:{line}: octet nul : ce n’est pas un fichier CSV, illisible")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # what a spreadsheet writes when asked for "CSV" on Windows
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ListeError(f"{nom} : encodage illisible (attendu : UTF-8)") from None
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise ListeError(f"{nom}:1: fichier vide : la ligne d’en-tête manque")
    fmt, separator = _detect(nom, first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [name.strip() for name in next(reader)]
        _refuse_duplicates(nom, header)
        rows: list[Ligne] = []
        errors: list[Problem] = []
        start = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                if len(values) != len(header):
                    why = "un séparateur ou un guillemet manque ou est en trop"
                    text = f"{len(values)} champs au lieu des {len(header)} de l’en-tête : {why}"
                    errors.append(Problem(nom, start, "", text))
                else:
                    rows.append(Ligne(start, dict(zip(header, values, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ListeError(f"{nom}:{reader.line_num}: CSV illisible ({exc})") from None
    if errors:
        raise ProjectError(errors[:20])
    return Liste(nom, fmt, tuple(rows))


def _refuse_duplicates(nom: str, header: list[str]) -> None:
    """Two columns of one name: which one holds the facts cannot be told, and reading the
    last one silently would import the wrong one. Unnamed columns (a spreadsheet's trailing
    separators) are never read and may repeat."""
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(header, 1):
        if name:
            positions.setdefault(name, []).append(number)
    problems = [
        Problem(
            nom,
            1,
            name,
            f"colonne « {name} » en double dans l’en-tête (colonnes "
            f"{', '.join(map(str, found[:-1]))} et {found[-1]}) : impossible de savoir "
            f"laquelle lire ; gardez-en une, supprimez ou renommez "
            f"{'l’autre' if len(found) == 2 else 'les autres'}",
        )
        for name, found in positions.items()
        if len(found) > 1
    ]
    if problems:
        raise ProjectError(problems)


def _detect(nom: str, first: str) -> tuple[Format, str]:
    """The layout and separator of the list, from its first line."""
    for separator in (",", ";", "\t"):
        names = {name.strip() for name in next(csv.reader([first], delimiter=separator))}
        for fmt in FORMATS:
            if fmt.colonnes[0] in names:
                missing = [c for c in fmt.colonnes if c not in names]
                if missing:
                    raise ListeError(
                        f"{nom}:1: colonne{'s' if len(missing) > 1 else ''} absente"
                        f"{'s' if len(missing) > 1 else ''} de l’en-tête ({fmt.nom}) : "
                        f"{', '.join(missing)}"
                    )
                return fmt, separator
    raise ListeError(
        f"{nom}:1: format inconnu : l’en-tête ne ressemble à aucune liste de l’ANCT (attendu : "
        f"{', '.join(FORMAT_2024.colonnes[:3])}… ou {', '.join(FORMAT_2020.colonnes[:3])}…)"
    )

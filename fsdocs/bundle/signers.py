"""The signers' list, ``output/signataires.csv``: what a parapheur or a signature platform is
given beside the dossier — one row per signature field, in signing order.

Columns: ``ordre`` (from 1), ``champ`` (the /Sig field's name in the dossier), ``page`` (its
page in the dossier, from 1), ``civilite``, ``prenom``, ``nom``, ``qualite``, ``organisme``,
``courriel`` (empty when the project does not know it). UTF-8 without byte order mark,
comma-separated, a header line, lines ended by CRLF (RFC 4180).

The row names whoever actually signs. For a delegate (« represente_par »), that is the
delegate: his name, his e-mail, and as ``qualite`` his own function followed by « pour » the
holder of the office, as the convention names them (« Directeur en charge des prestations,
pour Madame Elodie Hemery-Bricout, Directrice départementale de la Caisse d’allocations
familiales de Loir-et-Cher »). Otherwise ``qualite`` is the function as the signature block
prints it, completed by the body (« Président du Tribunal judiciaire de Blois ») or followed
by « pour » the body when the function does not name it. ``organisme`` is the body signed
for, without its article (« Caisse d’allocations familiales de Loir-et-Cher »; « État » for
the Préfet). Every text is written as the documents print it (French typography).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from fsdocs.french import clean_spaces, typography
from fsdocs.pdf.fields import SignatureField
from fsdocs.project.model import Personne, Prefet
from fsdocs.project.project import Project
from fsdocs.wording.context import Party

SIGNERS = "signataires.csv"
# A lower-case article opens an organisation's name; a capitalised one (« La Poste ») stays.
_ARTICLE = re.compile(r"^(?:la|le|les)\s+|^l[’']\s*")


@dataclass(frozen=True)
class Signer:
    """A row of the signers' list (the column names are the field names)."""

    ordre: int
    champ: str
    page: int
    civilite: str
    prenom: str
    nom: str
    qualite: str
    organisme: str
    courriel: str


COLUMNS = tuple(f.name for f in fields(Signer))


def signers(project: Project, placed: Sequence[SignatureField]) -> list[Signer]:
    """One row per field of ``placed`` (in signing order)."""
    people = _people(project)
    rows = []
    for number, field in enumerate(placed, start=1):
        party = field.party
        titulaire, delegue = people[party.id]
        person = delegue or titulaire
        rows.append(
            Signer(
                ordre=number,
                champ=field.name,
                page=field.page + 1,
                civilite=party.signataire.civilite,
                prenom=_text(person.prenom),
                nom=_text(person.nom),
                qualite=_text(qualite(party)),
                organisme=_text(_body(party.organisation)),
                courriel=getattr(person, "courriel", None) or "",  # a Préfet has none
            )
        )
    return rows


def qualite(party: Party) -> str:
    """The signer's function as printed, and, for a delegate, for whom he signs."""
    office = party.titulaire.fonction + (f", pour {party.pour}" if party.pour else "")
    if party.delegue is None:
        return office
    return f"{party.delegue.fonction}, pour {party.titulaire.designation}, {office}"


def signers_csv(rows: Sequence[Signer]) -> bytes:
    """The list as written to ``signataires.csv``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(asdict(row).values())
    return out.getvalue().encode("utf-8")


def as_records(rows: Sequence[Signer]) -> list[dict[str, str]]:
    """The rows as the CSV reads back: every value a string, by column (for the manifest)."""
    return [{name: str(value) for name, value in asdict(row).items()} for row in rows]


def _people(project: Project) -> dict[str, tuple[Personne | Prefet, Personne | None]]:
    """Each signatory's holder of the office and delegate, as written in the YAML."""
    found: dict[str, tuple[Personne | Prefet, Personne | None]] = {"prefet": (project.prefet, None)}
    for signatory in (*project.gestionnaires, *project.partenaires):
        found[signatory.id] = (signatory.representant, signatory.represente_par)
    return found


def _body(organisation: str) -> str:
    name = _ARTICLE.sub("", organisation, count=1)
    return name[:1].upper() + name[1:]


def _text(value: str | None) -> str:
    return typography(clean_spaces(value or ""))

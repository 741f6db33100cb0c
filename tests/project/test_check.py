"""``fsdocs check``: each kind of bad input gets its exact French message, line and exit code.

Each case of ``tests/fixtures/invalid/<case>/`` holds only the files that differ from the
embedded default: they are laid over a copy of it, and ``remove.txt`` lists the files to delete.
"""

from __future__ import annotations

import copy
import random
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pypdf import PdfWriter

from fsdocs.project.annexes_model import StructureFile
from fsdocs.project.attachments import missing_national
from fsdocs.project.load import Source, parse_yaml
from fsdocs.project.model import (
    ConventionFile,
    GestionnairesFile,
    PartenairesFile,
    PrefetFile,
    TemoinsFile,
)
from fsdocs.project.validate import validate
from tests.conftest import REPO, copy_default_project, run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invalid"
REMOVE = "remove.txt"


def not_supplied(numero: int, line: int) -> str:
    """The warning for a national annex (1 to 3) given neither as PDF nor by reference, on
    its line of convention.yaml."""
    return (
        f"convention.yaml:{line}: annexes[{numero - 1}]: avertissement : annexe {numero} "
        "(document national) non fournie : son intercalaire imprime « [à compléter] » ; "
        "indiquez son PDF avec « fichier: … », ou, pour la joindre par référence, où la "
        "consulter avec « reference: … »"
    )


# Case → the exact lines ``fsdocs check`` writes to stderr, in order.
CASES: dict[str, list[str]] = {
    "yaml-syntax-unclosed-quote": [
        "signatories/prefet.yaml:3:11: guillemet ouvert ici mais jamais fermé : ajoutez le "
        "guillemet fermant à la fin de la valeur",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "tab-indentation": [
        "signatories/prefet.yaml:3:1: tabulation trouvée : YAML n’accepte que des espaces pour "
        "indenter ; remplacez la tabulation par des espaces",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "unknown-key-typo": [
        # One typo, one message: the "missing prenom" it causes is not reported on top.
        "signatories/prefet.yaml:3: prefet.prenon: clé « prenon » inconnue : vouliez-vous dire "
        "« prenom » ?",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "wrong-type-list-for-text": [
        "signatories/temoins.yaml:4: temoins[0].nom: attendu : un texte ; trouvé : une liste. "
        "Écrivez une seule valeur à la suite de « nom: »",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "wrong-type-text-for-date": [
        "convention.yaml:4: labellisation: attendu : une date AAAA-MM-JJ (ex. 2020-02-06) ; "
        "trouvé : « premier janvier 2020 »",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "missing-required-field": [
        # On the line of the mapping the field belongs in.
        "signatories/prefet.yaml:1: prefet.nom: champ obligatoire « nom » manquant : ajoutez "
        "« nom: … » (ou « nom: ~ » s’il reste à compléter)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "bad-email": [
        "signatories/temoins.yaml:6: temoins[0].courriel: adresse électronique "
        "« nicolas.perruchot.departement41.fr » invalide : il manque « @ » (attendu : "
        "nom@domaine.fr)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "bad-phone": [
        "signatories/temoins.yaml:6: temoins[0].telephone: numéro de téléphone « 02 54 58 41 » "
        "invalide (attendu : 02 54 45 34 54 ou +33 2 54 45 34 54)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "impossible-date": [
        "convention.yaml:7: signature.date: date impossible « 2020-02-30 » : février 2020 n’a que "
        "29 jours ; corrigez le jour (AAAA-MM-JJ)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "unknown-departement": [
        "convention.yaml:3: departement: code de département « 410 » inconnu (attendu : un code "
        "INSEE, ex. « 41 », « 2A », « 974 ») ; vouliez-vous dire « 41 » ?",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "duplicate-signatory-id": [
        "signatories/gestionnaires.yaml:36: gestionnaires[4].id: identifiant "
        "« cc-collines-du-perche » déjà utilisé (signatories/gestionnaires.yaml, ligne 12) : "
        "chaque signataire a le sien ; renommez l’un des deux",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "unknown-gestionnaire": [
        "annexes/structures/blois.yaml:9: gestionnaire: gestionnaire « quartier-proximite » "
        "inconnu : aucun gestionnaire de signatories/gestionnaires.yaml n’a cet identifiant ; "
        "vouliez-vous dire « quartiers-proximite » ?",
        "signatories/gestionnaires.yaml:28: gestionnaires[3].id: avertissement : aucune "
        "structure de annexes/structures/ n’a « gestionnaire: quartiers-proximite »",
        "Échec : 1 erreur, 1 avertissement.",
    ],
    "unknown-national-partner": [
        "signatories/partenaires.yaml: partenaires: avertissement : le partenaire national "
        "« Caisse d’assurance retraite et de la santé au travail » n’a pas de signataire "
        "(ajoutez une entrée avec « partenaire: carsat »)",
        "signatories/partenaires.yaml:42: partenaires[4].partenaire: partenaire national "
        "« carsatt » inconnu du catalogue de fsdocs : vouliez-vous dire « carsat » ?",
        "Échec : 1 erreur, 1 avertissement.",
    ],
    "duplicate-key": [
        "signatories/prefet.yaml:5: prefet.nom: clé « nom » en double (déjà écrite ligne 4) : "
        "une clé ne s’écrit qu’une fois par bloc ; supprimez ou renommez l’une des deux",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "not-utf8": [
        "signatories/prefet.yaml:4:13: octet 0xE9 (« é » en Windows-1252) illisible : le fichier "
        "n’est pas enregistré en UTF-8 ; réenregistrez-le en UTF-8 depuis votre éditeur",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "empty-file": [
        "signatories/prefet.yaml: fichier vide (ou seulement des commentaires) : il doit "
        "contenir la clé « prefet: »",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "list-instead-of-mapping": [
        "signatories/prefet.yaml:1: attendu : des clés, à commencer par la clé « prefet: » ; "
        "trouvé : une liste (« - »). Écrivez les clés en début de ligne, sans tiret devant",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "yaml-alias": [
        # At the alias, not at the anchor it points to.
        "signatories/temoins.yaml:9: temoins[1].fonction: alias « *president » refusé : les "
        "ancres et alias YAML (« & » et « * ») ne sont pas acceptés : recopiez la valeur à "
        "chaque endroit où elle sert",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "python-tag": [
        "signatories/prefet.yaml:1: prefet: étiquette YAML « !!python/object:os.system » "
        "refusée : fsdocs ne lit que du texte, des nombres, des dates, des listes et des clés ; "
        "supprimez l’étiquette (ce qui commence par « ! »)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "invalid-structure-file-name": [
        "annexes/structures/Blois FS.yaml: nom de fichier « Blois FS.yaml » invalide : il sert "
        "d’identifiant à la structure et ne doit contenir que des minuscules sans accent, des "
        "chiffres et des tirets ; renommez-le « blois-fs.yaml »",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    # A national annex's « fichier: » is checked with the convention's rules, once the files
    # are valid: the case's other findings come with the error (its other national annexes,
    # neither a PDF nor a reference).
    "national-annex-file-missing": [
        "convention.yaml:12: annexes[0].fichier: fichier « annexes/charte.pdf » de l’annexe 1 "
        ": fichier introuvable",
        not_supplied(2, 13),
        not_supplied(3, 14),
        "Échec : 1 erreur, 2 avertissements.",
    ],
    "national-annex-file-outside-project": [
        not_supplied(1, 11),
        "convention.yaml:13: annexes[1].fichier: fichier « ../x.pdf » de l’annexe 2 mène hors "
        "du projet (chemin absolu, « .. » ou lien symbolique) : copiez le PDF dans le dossier "
        "du projet et indiquez son chemin relatif",
        not_supplied(3, 14),
        "Échec : 1 erreur, 2 avertissements.",
    ],
    # A text file named .pdf: what counts is what it holds.
    "national-annex-file-not-pdf": [
        not_supplied(1, 11),
        not_supplied(2, 12),
        "convention.yaml:14: annexes[2].fichier: fichier « annexes/accord-cadre.pdf » de "
        "l’annexe 3 n’est pas un PDF",
        "Échec : 1 erreur, 2 avertissements.",
    ],
    "missing-required-file": [
        "signatories/prefet.yaml: fichier obligatoire absent : créez-le avec la clé « prefet: » "
        "(« fsdocs creer » montre un projet complet)",
        "Échec : 1 erreur, 0 avertissement.",
    ],
    "several-errors-in-several-files": [
        # References are still checked while other files are broken; sorted by file, then line.
        "annexes/structures/mondoubleau.yaml:9: gestionnaire: gestionnaire « cc-collines-perche » "
        "inconnu : aucun gestionnaire de signatories/gestionnaires.yaml n’a cet identifiant ; "
        "vouliez-vous dire « cc-collines-du-perche » ?",
        "annexes/structures/salbris.yaml:2:6: guillemet ouvert ici mais jamais fermé : ajoutez "
        "le guillemet fermant à la fin de la valeur",
        "convention.yaml:4: labellisation: attendu : une date AAAA-MM-JJ (ex. 2020-02-06) ; "
        "trouvé : « 01/01/2020 ». Écrivez 2020-01-01",
        "signatories/prefet.yaml:2: prefet.civilite: valeur « Mr » inconnue ; valeurs possibles : "
        "« Monsieur » ou « Madame ». Vouliez-vous dire « Monsieur » ?",
        "signatories/prefet.yaml:3: prefet.prenon: clé « prenon » inconnue : vouliez-vous dire "
        "« prenom » ?",
        "signatories/temoins.yaml:6: temoins[0].courriel: adresse électronique "
        "« nicolas.perruchot@departement41 » invalide : le domaine après « @ » doit contenir un "
        "point (attendu : nom@domaine.fr)",
        "Échec : 6 erreurs, 0 avertissement.",
    ],
}


def make_case(name: str, tmp_path: Path, fixtures: Path = FIXTURES) -> Path:
    """The default project with the case's files laid over it and its removals applied."""
    root = copy_default_project(tmp_path / "projet")
    case = fixtures / name
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.relative_to(case) != Path(REMOVE):
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    removals = case / REMOVE
    if removals.is_file():
        for line in removals.read_text("utf-8").splitlines():
            (root / line).unlink()
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_project_gets_exact_messages_and_exit_code_1(case: str, tmp_path: Path) -> None:
    root = make_case(case, tmp_path)
    result = run_cli("check", "--projet", str(root))
    assert result.stderr.splitlines() == CASES[case]
    assert result.stdout == ""
    assert result.exit_code == 1


def test_every_fixture_has_its_expected_messages() -> None:
    on_disk = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert on_disk == set(CASES)


def test_default_project_checks_clean(default_project: Path) -> None:
    # It passes its own gate: tests/rules/test_engine.py checks it under --strict too.
    result = run_cli("check", "--projet", str(default_project))
    assert result.stdout == "Projet valide : 0 erreur, 0 avertissement.\n"
    assert result.stderr == ""
    assert result.exit_code == 0


def test_not_supplied_is_the_warning_of_the_gate() -> None:
    assert not_supplied(2, 13) == (
        "convention.yaml:13: annexes[1]: avertissement : " + missing_national(2)
    )


def _point_bouquet_at(root: Path, fichier: str) -> None:
    convention = root / "convention.yaml"
    text = convention.read_text("utf-8")
    assert text.count("  - id: bouquet\n") == 1
    convention.write_text(
        text.replace("  - id: bouquet\n", f"  - id: bouquet\n    fichier: {fichier}\n"), "utf-8"
    )


def _blank_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.mark.parametrize("how", ["relative", "symlink"])
def test_a_real_pdf_outside_the_project_is_refused(tmp_path: Path, how: str) -> None:
    """Outside is outside, even when the PDF exists, directly or through a link inside."""
    root = copy_default_project(tmp_path / "projet")
    _blank_pdf(tmp_path / "x.pdf")
    if how == "relative":
        fichier = "../x.pdf"
    else:
        fichier = "annexes/bouquet.pdf"
        (root / fichier).symlink_to(tmp_path / "x.pdf")
    _point_bouquet_at(root, fichier)
    result = run_cli("check", "--projet", str(root))
    errors = [line for line in result.stderr.splitlines() if ": avertissement : " not in line]
    assert errors == [
        f"convention.yaml:16: annexes[1].fichier: fichier « {fichier} » de l’annexe 2 mène hors "
        "du projet (chemin absolu, « .. » ou lien symbolique) : copiez le PDF dans le dossier "
        "du projet et indiquez son chemin relatif",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert result.stdout == ""
    assert result.exit_code == 1


def test_a_pdf_inside_the_project_is_accepted(default_project: Path) -> None:
    _blank_pdf(default_project / "annexes" / "bouquet.pdf")
    _point_bouquet_at(default_project, "annexes/bouquet.pdf")
    result = run_cli("check", "--projet", str(default_project))
    # Its PDF is joined (the default's other national annexes are joined by reference).
    assert result.stdout == "Projet valide : 0 erreur, 0 avertissement.\n"
    assert result.exit_code == 0


def test_no_project_is_a_french_error_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli("check", "--projet", str(tmp_path))
    assert result.stderr.startswith(f"Erreur : aucun projet fsdocs dans « {tmp_path.resolve()} »")
    assert result.exit_code == 1


def test_structure_with_yml_extension_is_not_silently_ignored(default_project: Path) -> None:
    structures = default_project / "annexes" / "structures"
    (structures / "salbris.yaml").rename(structures / "salbris.yml")
    result = run_cli("check", "--projet", str(default_project))
    assert result.stderr.splitlines() == [
        "annexes/structures/salbris.yml: extension « .yml » ignorée : renommez le fichier "
        "« salbris.yaml »",
        "Échec : 1 erreur, 0 avertissement.",
    ]
    assert result.exit_code == 1


# Messages of single values, checked without a project: (model, YAML, expected lines).
PERSON = "civilite: Monsieur\n    prenom: Nicolas\n    nom: Perruchot\n    fonction: Président\n"
STRUCTURE = "nom: France services\nappellation: de Salbris\ncommune: Salbris\ngestionnaire: cc\n"
MESSAGES: list[tuple[type[BaseModel], str, list[str]]] = [
    (
        TemoinsFile,
        f"temoins:\n  - {PERSON}    telephone: [02 54 45 34 54]\n",
        [
            "f.yaml:6: temoins[0].telephone: attendu : un texte ou un nombre entier ; trouvé : "
            "une liste. Écrivez une seule valeur à la suite de « telephone: »"
        ],
    ),
    (
        TemoinsFile,
        f"temoins:\n  - {PERSON}    courriel: jean dupont@cher.gouv.fr\n",
        [
            "f.yaml:6: temoins[0].courriel: adresse électronique « jean dupont@cher.gouv.fr » "
            "invalide : une adresse ne contient pas d’espace (attendu : nom@domaine.fr)"
        ],
    ),
    (
        StructureFile,
        STRUCTURE.replace("nom: France services", "nom: yes"),
        [
            "f.yaml:1: nom: attendu : un texte ; trouvé : « yes ». Mettez la valeur entre "
            'guillemets (« "yes" ») pour qu’elle reste du texte'
        ],
    ),
    (
        StructureFile,
        STRUCTURE.replace("gestionnaire: cc", "gestionnaire: ~"),
        [
            "f.yaml:4: gestionnaire: attendu : un texte ; trouvé : rien (valeur vide). Écrivez "
            "une valeur après « gestionnaire: »"
        ],
    ),
    (
        StructureFile,
        STRUCTURE.replace("nom: France services", 'nom: ""'),
        ["f.yaml:1: nom: texte vide : écrivez une valeur, ou « ~ » si elle reste à compléter"],
    ),
    (
        PrefetFile,
        'prefet:\n  civilite: Monsieur\n  prenom: ""\n  nom: Rousset\n',
        [
            "f.yaml:3: prefet.prenom: texte vide : écrivez une valeur, ou « ~ » si elle reste à "
            "compléter"
        ],
    ),
    (
        StructureFile,
        STRUCTURE + "type: bus\nanct: 25.5\n",
        [
            "f.yaml:5: type: valeur « bus » inconnue ; valeurs possibles : « fixe », "
            "« itinérante », « antenne » ou « multisites ». Vouliez-vous dire « itinérante » ?",
            "f.yaml:6: anct: attendu : un nombre entier ; trouvé : « 25.5 »",
        ],
    ),
    (
        StructureFile,
        STRUCTURE.replace("gestionnaire: cc", "gestionnaire: CC Perche"),
        [
            "f.yaml:4: gestionnaire: identifiant « CC Perche » invalide : lettres minuscules sans "
            "accent, chiffres et tirets uniquement (ex. « cc-beauce-val-de-loire »)"
        ],
    ),
    (
        StructureFile,
        STRUCTURE + "horaire: 9h-12h\n",
        ["f.yaml:5: horaire: clé « horaire » inconnue : vouliez-vous dire « horaires » ?"],
    ),
    (
        StructureFile,
        STRUCTURE + "horaires: 9h-12h\n",
        [
            "f.yaml:5: horaires: attendu : un bloc de clés (lundi, mardi, mercredi, jeudi, "
            "vendredi, samedi, dimanche) ; trouvé : « 9h-12h »"
        ],
    ),
    (
        StructureFile,
        STRUCTURE + "horaires:\n  mardi: 9h-12h et 14h\n",
        [
            "f.yaml:6: horaires.mardi: horaires « 9h-12h et 14h » illisibles : nombre d’heures "
            "impair dans « 9h-12h et 14h » : une heure de fin manque (attendu : « 09:00-12:00 / "
            "13:30-17:00 », ou rien si fermé)"
        ],
    ),
    (
        ConventionFile,
        "departement: 41\nlabellisation: 2020-1-6\nsignature:\n  lieu: Blois\n"
        "  date: 2020-02-06 10:30\nduree:\n  annees: 20\n  tacite_reconduction: peut-être\n"
        "annexes: []\n",
        [
            "f.yaml:2: labellisation: attendu : une date AAAA-MM-JJ (ex. 2020-02-06) ; trouvé : "
            "« 2020-1-6 ». Écrivez 2020-01-06",
            "f.yaml:5: signature.date: attendu : une date AAAA-MM-JJ, sans heure ; trouvé : "
            "« 2020-02-06 10:30 »",
            "f.yaml:7: duree.annees: attendu : un nombre d’au plus 10 ; trouvé : « 20 »",
            "f.yaml:8: duree.tacite_reconduction: attendu : true ou false ; trouvé : « peut-être »",
            "f.yaml:9: annexes: liste vide : au moins un élément est attendu",
        ],
    ),
    (
        ConventionFile,
        'departement: "41"\nlabellisation: 2020-01-01\nsignature:\n  lieu: ~\n  date: ~\n'
        "annexes:\n  - id: bouquet\n  - id: offre\n  - id: bouquet\n",
        [
            "f.yaml:6: annexes: annexe(s) en double : bouquet ; gardez-en une",
        ],
    ),
    (
        ConventionFile,
        'departement: "41"\nlabellisation: 2020-01-01\nsignature:\n  lieu: ~\n  date: ~\n'
        "annexes:\n  - id: bouquet\n  - id: offre\n",
        [
            "f.yaml:6: annexes: la convention renvoie à ces annexes, gardez-les : « referents » "
            "(article 5) ; « modalites » (article 8)",
        ],
    ),
    (
        ConventionFile,
        'departement: "41"\nlabellisation: "2020-02-30"\nsignature: Blois\nannexes:\n'
        "  - id: charte\n  - id: modalite\n",
        [
            "f.yaml:2: labellisation: date impossible « 2020-02-30 » : février 2020 n’a que 29 "
            "jours ; corrigez le jour (AAAA-MM-JJ)",
            "f.yaml:3: signature: attendu : un bloc de clés (lieu, date) ; trouvé : « Blois »",
            "f.yaml:6: annexes[1].id: valeur « modalite » inconnue ; valeurs possibles : "
            "« charte », « bouquet », « accord-cadre », « modalites », « offre », « referents », "
            "« mandat » ou « partenaires ». Vouliez-vous dire « modalites » ?",
        ],
    ),
    (
        TemoinsFile,
        "temoins:\n  civilite: Madame\n",
        [
            "f.yaml:1: temoins: attendu : une liste (lignes commençant par « - ») ; trouvé : un "
            "bloc de clés"
        ],
    ),
    (TemoinsFile, "# Personne n’assiste à la signature.\n", []),
]


@pytest.mark.parametrize(("model", "text", "expected"), MESSAGES)
def test_validation_messages(model: type[BaseModel], text: str, expected: list[str]) -> None:
    source, problems = parse_yaml(text.encode(), "f.yaml")
    assert source is not None
    assert problems == []
    value, problems = validate(model, source)
    assert [str(problem) for problem in problems] == expected
    assert (value is None) == bool(expected)


# Pydantic's English, which must never reach the user, whatever the data.
ENGLISH = (" should ", "Field required", "Extra inputs", "Value error", "Assertion", "Invalid ")
MODELS = (
    ConventionFile,
    PrefetFile,
    GestionnairesFile,
    PartenairesFile,
    TemoinsFile,
    StructureFile,
)
KEYS = sorted({key for model in MODELS for key in model.model_fields} | {"nom", "autre"})
SCALARS: tuple[object, ...] = (None, True, False, 0, -3, 41, 2.5, date(2020, 2, 6), "")
TEXTS = ("a", "é", "0254", "2020-02-30", "06/02/2020", "x@y", "Mr", "bus", " ", "-")


BASES = {
    ConventionFile: "convention.yaml",
    PrefetFile: "signatories/prefet.yaml",
    GestionnairesFile: "signatories/gestionnaires.yaml",
    PartenairesFile: "signatories/partenaires.yaml",
    TemoinsFile: "signatories/temoins.yaml",
    StructureFile: "annexes/structures/blois.yaml",
}


def random_value(rng: random.Random, depth: int = 0) -> object:
    """Any value YAML can give: scalars, lists and mappings of our keys, nested."""
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 2))]
    if depth < 2 and roll < 0.3:
        return {key: random_value(rng, depth + 1) for key in rng.sample(KEYS, rng.randint(0, 3))}
    return rng.choice(SCALARS) if roll < 0.65 else rng.choice(TEXTS)


def mutate(rng: random.Random, data: Any) -> None:
    """Replace, remove or add one value somewhere in ``data``, in place."""
    while True:
        children = list(data.items()) if isinstance(data, dict) else list(enumerate(data))
        if not children:
            return
        key, child = rng.choice(children)
        if isinstance(child, dict | list) and child and rng.random() < 0.6:
            data = child
            continue
        action = rng.random()
        if action < 0.6:
            data[key] = random_value(rng)
        elif action < 0.8 and isinstance(data, dict):
            del data[key]
        elif isinstance(data, dict):
            data[rng.choice(KEYS)] = random_value(rng)
        return


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_no_english_reaches_the_user(model: type[BaseModel]) -> None:
    """Hundreds of broken variants of a default file: every message is French."""
    base, _ = parse_yaml((REPO / BASES[model]).read_bytes(), "f.yaml")
    assert base is not None
    rng = random.Random(20200206)  # the same documents on every run
    seen: set[str] = set()
    for _ in range(300):
        data = copy.deepcopy(base.data)
        for _ in range(rng.randint(1, 3)):
            mutate(rng, data)
        _, problems = validate(model, Source("f.yaml", data))
        for problem in problems:
            assert not any(word in problem.message for word in ENGLISH), problem.message
            seen.add(problem.message.split(" ")[0])
    assert len(seen) >= 5, seen  # the variants did reach many kinds of message


def test_a_refused_document_gets_one_message_not_two() -> None:
    source, problems = parse_yaml(b"!!python/object:os.system\nprefet: 1\n", "f.yaml")
    assert source is not None
    assert [str(problem) for problem in problems] == [
        "f.yaml:1: étiquette YAML « !!python/object:os.system » refusée : fsdocs ne lit que du "
        "texte, des nombres, des dates, des listes et des clés ; supprimez l’étiquette (ce qui "
        "commence par « ! »)"
    ]
    assert validate(PrefetFile, source) == (None, [])

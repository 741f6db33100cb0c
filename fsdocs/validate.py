"""Turn a loaded YAML source into a typed model, or into French, located problems."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .loader import Loc, Source, format_loc

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "un texte",
    "int_type": "un nombre entier",
    "int_parsing": "un nombre entier",
    "bool_type": "oui/non (true ou false)",
    "bool_parsing": "oui/non (true ou false)",
    "list_type": "une liste (lignes commençant par « - »)",
    "model_type": "un ensemble de clés (clé: valeur)",
    "dict_type": "un ensemble de clés (clé: valeur)",
    "date_type": "une date AAAA-MM-JJ",
    "date_parsing": "une date AAAA-MM-JJ",
    "date_from_datetime_parsing": "une date AAAA-MM-JJ",
    "date_from_datetime_inexact": "une date AAAA-MM-JJ sans heure",
}


def validate(model: type[M], source: Source) -> tuple[M | None, list[Problem]]:
    """Validate ``source.data`` against ``model``; every problem is located in the file."""
    if source.data is None:
        return None, [Problem(source.name, None, "", "fichier vide : il doit contenir des clés")]
    if not isinstance(source.data, dict):
        return None, [
            Problem(
                source.name,
                source.line_of(()),
                "",
                "le fichier doit être un ensemble de clés (clé: valeur), pas "
                + ("une liste" if isinstance(source.data, list) else "une valeur seule"),
            )
        ]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, [_problem(model, source, error) for error in exc.errors()]


def _problem(model: type[BaseModel], source: Source, error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    found = error.get("input")
    if kind == "missing":
        message = f"champ obligatoire « {loc[-1]} » manquant"
        line = source.line_of(loc[:-1])
    elif kind == "extra_forbidden":
        message = f"clé inconnue « {loc[-1]} »" + _suggestion(model, loc)
        line = source.line_of(loc)
    else:
        message = _message(kind, error, found)
        line = source.line_of(loc)
    return Problem(source.name, line, format_loc(loc), message)


def _message(kind: str, error: Any, found: object) -> str:
    if kind.startswith("fs_"):
        return str(error["msg"])
    if kind in _TYPE_NAMES:
        return f"attendu {_TYPE_NAMES[kind]}, trouvé {_show(found)}"
    if kind in {"enum", "literal_error"}:
        expected = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        choices = ", ".join(f"« {choice} »" for choice in expected)
        return f"valeur {_show(found)} inconnue ; valeurs possibles : {choices}"
    if kind == "string_too_short":
        return "texte vide : écrivez une valeur, ou « ~ » si elle reste à compléter"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"texte trop long ({len(str(found))} caractères, au plus {limit})"
    if kind == "too_short":
        return "liste vide : au moins un élément est attendu"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        word = "au moins" if kind.startswith("greater") else "au plus"
        return f"valeur {_show(found)} hors limites ({word} {bound})"
    return f"valeur {_show(found)} invalide ({error['msg']})"


def _show(value: object) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "un ensemble de clés"
    if isinstance(value, list):
        return "une liste"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"« {text} »"


def _suggestion(model: type[BaseModel], loc: Loc) -> str:
    """Guess the intended key among the fields of the model at ``loc``."""
    fields = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    if close:
        return f" : vouliez-vous dire « {close[0]} » ?"
    if fields:
        return " ; clés possibles : " + ", ".join(sorted(fields))
    return ""


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside ``list[X]``, ``X | None`` and the like, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

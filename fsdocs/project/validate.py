"""Turn a loaded YAML source into a typed model, or into French, located problems.

Pydantic's own messages are English and name Python types; none of them reaches the user.
Each error is rewritten from its type and context to say what was expected, what was found
(as the person wrote it) and how to fix it, on the line of the key concerned.

The model's own validators raise ``PydanticCustomError`` with an ``fs_`` type and a French
message, which is shown as is.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from fsdocs.errors import Problem
from fsdocs.project.fields import ToFill
from fsdocs.project.load import Source
from fsdocs.project.yaml_nodes import Loc, date_message, format_loc

M = TypeVar("M", bound=BaseModel)

_DATE = "une date AAAA-MM-JJ (ex. 2020-02-06)"
_EXPECTED = {
    "string_type": "un texte",
    "int_type": "un nombre entier",
    "int_parsing": "un nombre entier",
    "int_from_float": "un nombre entier",
    "float_type": "un nombre",
    "float_parsing": "un nombre",
    "bool_type": "true ou false",
    "bool_parsing": "true ou false",
    "list_type": "une liste (lignes commençant par « - »)",
    "dict_type": "un bloc de clés (clé: valeur)",
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "une date AAAA-MM-JJ, sans heure",
}
_MODEL_TYPES = {"model_type", "model_attributes_type", "dataclass_type"}
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_LOOSE_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# What people write for a choice (civility, kind of structure), and the value fsdocs expects.
_SYNONYMS = {
    "m": "Monsieur",
    "m.": "Monsieur",
    "mr": "Monsieur",
    "mme": "Madame",
    "mlle": "Madame",
    "bus": "itinérante",
}


def validate(model: type[M], source: Source) -> tuple[M | None, list[Problem]]:
    """Validate ``source.data`` against ``model``; every problem is located in the file."""
    if () in source.rejected:
        return None, []  # the whole document was refused, and the loader said why
    if source.data is None:
        return _empty(model, source)
    if not isinstance(source.data, dict):
        what = "une liste (« - »)" if isinstance(source.data, list) else "une valeur seule"
        return None, [
            Problem(
                source.name,
                source.line_of(()),
                "",
                f"attendu : des clés, à commencer par {required_keys(model)} ; trouvé : {what}. "
                "Écrivez les clés en début de ligne, sans tiret devant",
            )
        ]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        return None, problems(model, source, exc.errors())


def problems(
    model: type[BaseModel], source: Source, errors: Iterable[ErrorDetails]
) -> list[Problem]:
    """One French problem per faulty place; errors the loader already reported are dropped."""
    by_loc: dict[Loc, list[ErrorDetails]] = {}
    for error in errors:
        loc = _data_loc(error, source.data)
        if not any(loc[:end] in source.rejected for end in range(len(loc) + 1)):
            by_loc.setdefault(loc, []).append(error)
    # A misspelt key is one mistake: say "vouliez-vous dire « nom » ?", not also "nom manquant".
    meant: set[Loc] = set()
    for loc, found in by_loc.items():
        if found[0]["type"] == "extra_forbidden":
            close = _close_key(model, loc)
            if close:
                meant.add((*loc[:-1], close))
    result: list[Problem] = []
    for loc, found in by_loc.items():
        if found[0]["type"] == "missing" and loc in meant:
            continue
        line = source.line_of(loc[:-1] if found[0]["type"] == "missing" else loc)
        result.append(
            Problem(source.name, line, format_loc(loc), _message(model, source, loc, found))
        )
    return sorted(result, key=lambda problem: (problem.line or 0, problem.path))


def _empty(model: type[M], source: Source) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate({}), []  # e.g. no witnesses at all
    except ValidationError:
        return None, [
            Problem(
                source.name,
                None,
                "",
                "fichier vide (ou seulement des commentaires) : il doit contenir "
                + required_keys(model),
            )
        ]


def required_keys(model: type[BaseModel]) -> str:
    """The keys a file of ``model`` must hold, as a French phrase: « la clé « prefet: » »."""
    required = [f"« {name}: »" for name, info in model.model_fields.items() if info.is_required()]
    if len(required) == 1:
        return f"la clé {required[0]}"
    return "les clés " + _or(required, "et")


def _data_loc(error: ErrorDetails, data: Any) -> Loc:
    """The error's path in the YAML data, without the union members pydantic inserts."""
    loc: list[str | int] = []
    current = data
    parts = error["loc"]
    for i, part in enumerate(parts):
        is_key = isinstance(current, dict) and part in current
        is_item = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if is_key or is_item:
            current = current[part]
        elif not (i == len(parts) - 1 and error["type"] == "missing"):
            continue  # "constrained-str", "int", "Personne": a union member, not a key
        loc.append(part)
    return tuple(loc)


def _message(model: type[BaseModel], source: Source, loc: Loc, errors: list[ErrorDetails]) -> str:
    custom = [e for e in errors if e["type"].startswith("fs_")]
    if custom:
        message = str(custom[0]["msg"])
        if custom[0]["type"] == "fs_invisible" and _fillable(_field_at(model, loc)):
            message += ", ou « ~ » si elle reste à compléter"  # as for an empty text
        return message
    error = errors[0]
    kind = error["type"]
    found = _show(error.get("input"), source.texts.get(loc))
    info = _field_at(model, loc)
    if kind == "missing":
        key = loc[-1]
        hint = f" (ou « {key}: ~ » s’il reste à compléter)" if _fillable(info) else ""
        return f"champ obligatoire « {key} » manquant : ajoutez « {key}: … »{hint}"
    if kind == "extra_forbidden":
        close = _close_key(model, loc)
        if close:
            return f"clé « {loc[-1]} » inconnue : vouliez-vous dire « {close} » ?"
        fields = _fields_at(model, loc[:-1])
        return f"clé « {loc[-1]} » inconnue ici ; clés possibles : {', '.join(fields)}"
    types = [e for e in errors if e["type"] in _EXPECTED or e["type"] in _MODEL_TYPES]
    if types and len(types) == len(errors):
        return _type_message(model, source, loc, types, found)
    return _value_message(error, found, info)


def _type_message(
    model: type[BaseModel], source: Source, loc: Loc, errors: list[ErrorDetails], found: str
) -> str:
    expected: list[str] = []
    for error in errors:
        if error["type"] in _MODEL_TYPES:
            name = f"un bloc de clés ({', '.join(_fields_at(model, loc))})"
        else:
            name = _EXPECTED[error["type"]]
        if name not in expected:
            expected.append(name)
    value = errors[0].get("input")
    message = f"attendu : {_or(expected, 'ou')} ; trouvé : {found}"
    if expected == [_DATE] and isinstance(value, str):
        return _date_hint(value.strip(), message)
    written = source.texts.get(loc)
    containers = _MODEL_TYPES | {"list_type", "dict_type"}
    if isinstance(value, list | dict) and containers.isdisjoint(e["type"] for e in errors):
        where = f" à la suite de « {loc[-1]}: »" if loc and isinstance(loc[-1], str) else ""
        message += f". Écrivez une seule valeur{where}"
    elif value is None:
        where = f" après « {loc[-1]}: »" if loc and isinstance(loc[-1], str) else ""
        message += f". Écrivez une valeur{where}"
    elif written is not None and "un texte" in expected:
        message += (
            f'. Mettez la valeur entre guillemets (« "{written}" ») pour qu’elle reste du texte'
        )
    return message


def _date_hint(text: str, message: str) -> str:
    """``message``, or better: the impossible date explained, or the date rewritten."""
    parts = _FRENCH_DATE.fullmatch(text) or _LOOSE_ISO_DATE.fullmatch(text)
    if parts is None:
        return message
    numbers = [int(part) for part in parts.groups()]
    year, month, day = numbers if len(parts.group(1)) == 4 else numbers[::-1]
    try:
        day_written = date(year, month, day)
    except ValueError:
        return date_message(text, (year, month, day))
    return f"{message}. Écrivez {day_written.isoformat()}"


def _value_message(error: ErrorDetails, found: str, info: FieldInfo | None) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in {"enum", "literal_error"}:
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        possible = _or([f"« {choice} »" for choice in choices], "ou")
        message = f"valeur {found} inconnue ; valeurs possibles : {possible}"
        value = str(error.get("input"))
        close = _SYNONYMS.get(value.strip().lower()) or next(
            iter(difflib.get_close_matches(value, choices, n=1, cutoff=0.6)), None
        )
        if close in choices:
            message += f". Vouliez-vous dire « {close} » ?"
        return message
    if kind == "string_too_short":
        hint = ", ou « ~ » si elle reste à compléter" if _fillable(info) else ""
        return f"texte vide : écrivez une valeur{hint}"
    if kind == "string_too_long":
        length = len(str(error.get("input")))
        return (
            f"texte trop long ({length} caractères, au plus {ctx.get('max_length')}) : abrégez-le"
        )
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        if least == 1:
            return "liste vide : au moins un élément est attendu"
        return f"liste trop courte : au moins {least} éléments sont attendus"
    if kind == "too_long":
        return f"liste trop longue : au plus {ctx.get('max_length')} éléments"
    if kind in {"greater_than_equal", "greater_than"}:
        least = f"d’au moins {ctx['ge']}" if "ge" in ctx else f"supérieur à {ctx.get('gt')}"
        return f"attendu : un nombre {least} ; trouvé : {found}"
    if kind in {"less_than_equal", "less_than"}:
        most = f"d’au plus {ctx['le']}" if "le" in ctx else f"inférieur à {ctx.get('lt')}"
        return f"attendu : un nombre {most} ; trouvé : {found}"
    if kind in {"value_error", "assertion_error"} and "error" in ctx:
        return str(ctx["error"])  # raised by our validators, in French
    return f"valeur {found} refusée pour ce champ : vérifiez-la"


def _show(value: object, written: str | None = None) -> str:
    if written is not None:
        value = written
    if value is None:
        return "rien (valeur vide)"
    if isinstance(value, dict):
        return "un bloc de clés"
    if isinstance(value, list):
        return "une liste"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"« {text} »"


def _or(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _close_key(model: type[BaseModel], loc: Loc) -> str | None:
    close = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current = _model_at(model, loc)
    return list(current.model_fields) if current is not None else []


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None:
            return None
        current = _model_in(info.annotation)
    return current


def _field_at(model: type[BaseModel], loc: Loc) -> FieldInfo | None:
    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return None
    parent = _model_at(model, tuple(names[:-1]))
    return parent.model_fields.get(names[-1]) if parent is not None else None


def _fillable(info: FieldInfo | None) -> bool:
    return info is not None and any(isinstance(m, ToFill) for m in info.metadata)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside ``list[X]``, ``X | None`` and the like, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

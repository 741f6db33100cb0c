"""The text types of the model: a text that prints as nothing is refused, with the code points
that make it up, like one that holds a control or bidirectional character."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from fsdocs.project.fields import Text, invisible_codes

TEXT: TypeAdapter[str] = TypeAdapter(Text)


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("\u200b", "U+200B"),  # zero-width space
        ("\u2060\u2060", "U+2060"),  # word joiner, twice: each code named once
        ("\u00a0\u200b", "U+00A0, U+200B"),  # no-break space
        ("\u3000", "U+3000"),  # ideographic space
        ("\u00ad", "U+00AD"),  # soft hyphen
        ("\u0301", "U+0301"),  # a combining accent on nothing
        ("\u3164", "U+3164"),  # Hangul filler: a letter that prints as nothing
        ("\u2800", "U+2800"),  # blank Braille pattern
        ("\u200b\u200c\u200d\u2060\u180e", "U+200B, U+200C, U+200D, U+2060, …"),
    ],
)
def test_a_text_that_prints_as_nothing_is_refused(value: str, codes: str) -> None:
    assert invisible_codes(value) == codes
    with pytest.raises(ValidationError) as caught:
        TEXT.validate_python(value)
    assert [e["msg"] for e in caught.value.errors()] == [
        f"texte invisible : seulement des espaces ou des caractères invisibles ({codes}) ; "
        "écrivez une valeur"
    ]


@pytest.mark.parametrize(
    "value", ["Blois", "123", "-", "…", "@@@", "\u200bBlois\u00a0", "É", "\U0001f3db"]
)
def test_a_text_with_one_visible_character_is_kept(value: str) -> None:
    assert invisible_codes(value) is None
    assert TEXT.validate_python(value) == value.strip()


# --- agents and referents designated by function ----------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"prenom": "Awa", "nom": "Diallo", "nombre": 2},
            "un agent est nommé (« prenom », « nom ») ou compté (« nombre » et « fonction »), pas "
            "les deux : retirez « nombre » ou le nom",
        ),
        (
            {"formation": "2021-03-01"},
            "agent sans nom ni fonction : écrivez « prenom: » et « nom: » (« ~ » s’ils restent à "
            "compléter), ou sa « fonction: »",
        ),
    ],
)
def test_an_agent_is_named_or_counted(data: dict[str, object], message: str) -> None:
    from fsdocs.project.annexes_model import Agent

    with pytest.raises(ValidationError) as caught:
        Agent.model_validate(data)
    assert [error["msg"] for error in caught.value.errors()] == [message]


def test_a_name_written_empty_is_to_fill_a_name_left_out_is_a_function() -> None:
    from fsdocs.project.annexes_model import Agent, Referent

    assert Agent.model_validate({"prenom": None, "nom": None}).named
    assert not Agent.model_validate({"nombre": 2, "fonction": "agents polyvalents"}).named
    assert Referent.model_validate({"nom": None, "fonction": "Référente"}).named
    assert not Referent.model_validate({"fonction": "Référent départemental"}).named

"""The text types of the model: a text that prints as nothing is refused, with the code points
that make it up, like one that holds a control or bidirectional character."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from fsdocs.project.model import Text, invisible_codes

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

"""E-mail addresses and phone numbers as people type them, checked and written one way.

A phone number is read as French (metropolitan, then each overseas region's) and written in the
national format; an address is checked for its form only, never for its delivery.
"""

from __future__ import annotations

from typing import Annotated

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise PydanticCustomError(
            "fs_email",
            "adresse électronique « {value} » invalide : {why} (attendu : nom@domaine.fr)",
            {"value": value, "why": _email_fault(value)},
        ) from None


def _email_fault(value: str) -> str:
    # email_validator explains in English; the common slips are named here in French.
    local, _, domain = value.partition("@")
    if "@" not in value:
        return "il manque « @ »"
    if "@" in domain:
        return "une adresse ne contient qu’un seul « @ »"
    if any(char.isspace() for char in value):
        return "une adresse ne contient pas d’espace"
    if not local:
        return "rien avant « @ »"
    if "." not in domain:
        return "le domaine après « @ » doit contenir un point"
    return "caractère non permis ou domaine mal formé"


# Metropolitan France first, then the overseas départements and collectivities, whose
# numbers ("05 90 …" in Guadeloupe) are national numbers of their own region.
_PHONE_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")


def _phone(value: str | int) -> str:
    text = str(value)
    number = None
    for region in _PHONE_REGIONS:
        try:
            candidate = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            break
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    if number is None:
        raise PydanticCustomError(
            "fs_phone",
            "numéro de téléphone « {value} » invalide "
            "(attendu : 02 54 45 34 54 ou +33 2 54 45 34 54)",
            {"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str | int, AfterValidator(_phone)]

"""The UAI (Unité Administrative Immatriculée), the national identifier of an establishment.

Seven digits — three for the département (``093``), four more — then a check letter:
``CHECK_LETTERS[int(seven_digits) % 23]`` (23 letters: no I, O or Q).
"""

import re

from django.core.exceptions import ValidationError

CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_SHAPE = re.compile(r"^\d{7}[A-Z]$")


def uai_check_letter(seven_digits: str) -> str:
    return CHECK_LETTERS[int(seven_digits) % 23]


def normalize_uai(value: str) -> str:
    return (value or "").strip().upper()


def uai_error(value: str) -> str | None:
    """The French reason why ``value`` is not a valid UAI, or None when it is."""
    uai = normalize_uai(value)
    if not uai:
        return "UAI manquant."
    if not UAI_SHAPE.match(uai):
        return f"UAI « {uai} » invalide : 7 chiffres suivis d'une lettre attendus."
    expected = uai_check_letter(uai[:7])
    if uai[7] != expected:
        return f"UAI « {uai} » invalide : la lettre de contrôle devrait être « {expected} »."
    return None


def validate_uai(value: str) -> None:
    error = uai_error(value)
    if error:
        raise ValidationError(error, code="invalid_uai")

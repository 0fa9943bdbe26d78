import pytest
from django.core.exceptions import ValidationError

from projects.uai import uai_check_letter, uai_error, validate_uai
from tests.factories import EstablishmentFactory


@pytest.mark.parametrize("uai", ["0930123D", "0931610V", "0770002J", "0941918Z"])
def test_real_uais_are_valid(uai):
    assert uai_error(uai) is None


def test_check_letter_follows_the_modulo_23_rule():
    assert uai_check_letter("0930123") == "D"
    assert uai_check_letter("0000000") == "A"
    assert uai_check_letter("0000022") == "Z"


def test_check_letters_skip_i_o_and_q():
    letters = {uai_check_letter(f"{n:07d}") for n in range(23)}
    assert letters.isdisjoint({"I", "O", "Q"})
    assert len(letters) == 23


def test_wrong_check_letter_names_the_expected_one():
    assert uai_error("0930123E") == (
        "UAI « 0930123E » invalide : la lettre de contrôle devrait être « D »."
    )


@pytest.mark.parametrize("uai", ["093012D", "09301234D", "0930123", "A930123D", "0930123-"])
def test_wrong_shape_is_refused(uai):
    assert "7 chiffres suivis d'une lettre" in uai_error(uai)


def test_lowercase_and_spaces_are_normalized():
    assert uai_error(" 0930123d ") is None


def test_validator_raises_a_french_validation_error():
    with pytest.raises(ValidationError) as error:
        validate_uai("0930123E")
    assert "lettre de contrôle" in error.value.messages[0]


@pytest.mark.django_db
def test_establishment_with_wrong_letter_fails_model_validation():
    establishment = EstablishmentFactory.build(uai="0930123E")
    with pytest.raises(ValidationError) as error:
        establishment.full_clean()
    assert "uai" in error.value.message_dict


@pytest.mark.django_db
def test_establishment_uai_must_match_its_department():
    establishment = EstablishmentFactory.build(uai="0770002J")  # a 77 UAI in the 93
    with pytest.raises(ValidationError) as error:
        establishment.full_clean()
    assert error.value.message_dict["uai"] == [
        "L'UAI doit commencer par 093 pour le département 93 Seine-Saint-Denis."
    ]

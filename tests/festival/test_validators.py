import pytest
from django.core.exceptions import ValidationError

from festival.validators import parse_crew, validate_crew_name, validate_siret, validate_uai
from tests.factories import valid_siret, valid_uai


@pytest.mark.parametrize("uai", ["0250007X", "0250007x", " 0250007X ", valid_uai(901234)])
def test_valid_uai(uai):
    validate_uai(uai)


@pytest.mark.parametrize(
    ("uai", "code"),
    [
        ("0250007Y", "uai_checksum"),
        ("025007X", "uai_format"),
        ("02500070", "uai_format"),
        ("A250007X", "uai_format"),
        ("", "uai_format"),
    ],
)
def test_invalid_uai(uai, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_uai(uai)
    assert excinfo.value.code == code


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", valid_siret(123)])
def test_valid_siret(siret):
    validate_siret(siret)


def test_la_poste_siret_follows_its_own_rule():
    validate_siret("35600000049837")  # digit sum 50: valid for La Poste, not Luhn


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_checksum"),
        ("7328293200007", "siret_format"),
        ("abc", "siret_format"),
    ],
)
def test_invalid_siret(siret, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_siret(siret)
    assert excinfo.value.code == code


def test_parse_crew_accepts_lines_and_commas():
    assert parse_crew("Léa\n Tom B. , Inès;\n\n") == ["Léa", "Tom B.", "Inès"]


@pytest.mark.parametrize("name", ["Léa", "Tom B.", "Jean-Baptiste", "Zoé D"])
def test_crew_first_names_pass(name):
    validate_crew_name(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [("Léa Bernard", "crew_surname"), ("Tom B. Martin", "crew_surname"), ("L3a", "crew_name")],
)
def test_crew_surnames_are_refused(name, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_crew_name(name)
    assert excinfo.value.code == code


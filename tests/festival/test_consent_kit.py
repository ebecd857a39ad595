"""The consent kit: the pre-filled image-rights consent form (PDF) and the teacher's guide,
for the film's teacher and its festival's organizers only."""

import html
import re
import zlib

import pytest
from django.urls import reverse

from festival import consent_kit, pdf
from festival.enums import ApprovalStatus
from tests import factories


def pdf_text(content: bytes) -> str:
    """The text drawn with the PDF core font: its content streams, inflated, in Windows-1252."""
    assert content.startswith(b"%PDF")
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            chunks.append(stream)
    text = b"\n".join(chunks).decode("cp1252", errors="replace")
    return text.replace("\\(", "(").replace("\\)", ")")


def page(response) -> str:
    return html.unescape(response.content.decode())


def kit_url(film, name="teacher_consent_kit"):
    return reverse(f"festival:{name}", kwargs={"pk": film.pk})


@pytest.fixture
def core_font(monkeypatch):
    """The PDF core font, whose text the test can read (a TrueType font stores glyph ids)."""
    monkeypatch.setattr(pdf, "font_files", lambda: None)


@pytest.fixture
def kit_film(complete_film):
    festival = complete_film.edition.festival
    festival.contact_email = "filmit@uimm-fc.example"
    festival.organizing_body = "UIMM Franche-Comté"
    festival.save(update_fields=["contact_email", "organizing_body"])
    complete_film.title = "Les mains de l'usine"
    complete_film.save(update_fields=["title"])
    return complete_film


def test_the_form_is_pre_filled_with_the_film_the_school_and_the_edition(core_font, kit_film):
    school = kit_film.school
    edition = kit_film.edition

    text = pdf_text(consent_kit.consent_form_pdf(kit_film))

    assert "Autorisation de droit à l'image et de diffusion" in text
    assert "« Les mains de l'usine »" in text
    assert f"{edition.festival.name}, édition {edition.year} ({edition.title})" in text
    assert f"{school.name}, {school.town}, UAI {school.uai}" in text
    assert "Claire Girard" in text
    assert kit_film.company.name in text
    # Blanks for the pupil, the parent and their signatures.
    assert "Prénom et nom de l'élève : " in text
    assert "Prénom et nom du parent ou tuteur : " in text
    assert "Signature du représentant légal" in text
    # What the image is used for, for how long, the right to withdraw and whom to write to.
    assert "projection du film pendant le festival" in text
    assert "visionnage du film par les membres du jury" in text
    assert "galerie publique du site du festival" in text
    assert "5 ans à compter de la remise des prix" in text
    assert "retirer cette autorisation à tout moment" in text
    assert "filmit@uimm-fc.example" in text


def test_a_school_with_a_siret_shows_it(core_font, kit_film):
    # Structures outside the national education system may have a SIRET (another change).
    kit_film.school.siret = factories.valid_siret(7)
    assert f"SIRET {kit_film.school.siret}" in consent_kit.school_identifiers(kit_film.school)


def test_the_form_with_the_unicode_font_is_a_pdf(kit_film):
    kit_film.title = "Usine 工厂 — cœur"
    content = consent_kit.consent_form_pdf(kit_film)
    assert content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", content)) >= 1


def test_the_teacher_downloads_the_form(teacher_client, core_font, kit_film):
    response = teacher_client.get(kit_url(kit_film, "teacher_consent_kit_form"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="autorisation-droit-image-film-{kit_film.pk}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "« Les mains de l'usine »" in pdf_text(response.content)


def test_the_festival_s_organizers_download_it_too(organizer_client, kit_film):
    response = organizer_client.get(kit_url(kit_film, "teacher_consent_kit_form"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_guide(teacher_client, kit_film):
    response = teacher_client.get(kit_url(kit_film))

    content = page(response)
    assert "<h1>Recueillir les autorisations de droit à l'image</h1>" in content
    assert f'href="{kit_url(kit_film, "teacher_consent_kit_form")}"' in content
    assert "Formats acceptés : PDF, JPEG, PNG ou WebP" in content
    assert "3. Et ensuite ?" in content
    assert "filmit@uimm-fc.example" in content


def test_the_film_page_links_the_kit(teacher_client, kit_film):
    content = page(teacher_client.get(kit_film.get_absolute_url()))
    assert f'href="{kit_url(kit_film, "teacher_consent_kit_form")}"' in content
    assert f'href="{kit_url(kit_film)}"' in content


@pytest.mark.parametrize("name", ["teacher_consent_kit", "teacher_consent_kit_form"])
@pytest.mark.parametrize("stranger", ["other_teacher", "other_organizer", "juror"])
def test_strangers_get_a_404(request, client, kit_film, name, stranger):
    client.force_login(request.getfixturevalue(stranger))
    assert client.get(kit_url(kit_film, name)).status_code == 404


@pytest.mark.parametrize("name", ["teacher_consent_kit", "teacher_consent_kit_form"])
def test_a_teacher_refused_by_the_festival_gets_a_404(client, teacher, festival, kit_film, name):
    factories.join(teacher, festival, approval=ApprovalStatus.REFUSED)
    client.force_login(teacher)
    assert client.get(kit_url(kit_film, name)).status_code == 404


@pytest.mark.parametrize("name", ["teacher_consent_kit", "teacher_consent_kit_form"])
def test_anonymous_is_sent_to_login(client, kit_film, name):
    response = client.get(kit_url(kit_film, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("festival:login"))

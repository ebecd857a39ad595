"""Exports: exact CSV content, XLSX read back with openpyxl, PDF text read back."""

import io
import re
import zlib

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from judging import exports
from judging.models_results import PublicVote
from tests import factories
from tests.judging import results_scenario


@pytest.fixture
def scenario(edition):
    return results_scenario.build(edition)


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF: its content streams, inflated, in Windows-1252."""
    assert content.startswith(b"%PDF")
    chunks = []
    # The end-of-line before "endstream" is not part of the data, but a compressed stream
    # may itself end with a CR: decompressobj stops at the end of the zlib data and leaves
    # the end-of-line aside, whatever its last byte is.
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            chunks.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            chunks.append(stream)
    text = b"\n".join(chunks).decode("cp1252", errors="replace")
    return text.replace("\\(", "(").replace("\\)", ")")


def lines(text: str) -> list[str]:
    return text.splitlines()


def test_ranking_input_files(scenario, edition):
    f, (j1, j2, _j3), dropped = scenario.films, scenario.jurors, scenario.dropped
    scores = lines(exports.scores_csv(edition))
    assert scores[0] == "category,film,juror,criterion,score"
    assert scores[1:3] == [
        f"lycee,{f.a.pk},{j1.pk},Scénario,8",
        f"lycee,{f.a.pk},{j1.pk},Image,5",
    ]
    assert len(scores) == 1 + 10 * 2
    assert lines(exports.criteria_csv(edition)) == [
        "criterion,weight,min,max,priority",
        "Scénario,2,0,10,1",
        "Image,1,0,10,0",
    ]
    assert lines(exports.favourites_csv(edition)) == [
        "category,film,juror",
        f"lycee,{f.a.pk},{j2.pk}",
        f"lycee,{f.b.pk},{dropped.pk}",
    ]


def test_decimal_scores_and_weights_are_written_exactly(edition, category):
    from decimal import Decimal

    criterion = factories.make_criterion(
        edition, name="Son", weight=Decimal("1.25"), min_score=0, max_score=10
    )
    juror = factories.make_juror(edition.festival)
    jury = factories.make_jury(edition, categories=[category])
    film = factories.make_film(category=category, status="accepted")
    factories.make_assignment(jury=jury, juror=juror, film=film)
    results_scenario.validated(juror, film, {criterion: "7.50"})
    assert lines(exports.scores_csv(edition))[1] == f"lycee,{film.pk},{juror.pk},Son,7.5"
    assert lines(exports.criteria_csv(edition))[1] == "Son,1.25,0,10,0"


def test_raw_scores_anonymised(scenario, edition):
    f = scenario.films
    rows = lines(exports.raw_scores_csv(edition, named=False))
    assert rows[0] == "Catégorie,N° du film,Film,Établissement,Juré,Critère,Note"
    school = f.a.school.name
    assert rows[1:7] == [
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 1,Scénario,8.0",
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 1,Image,5.0",
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 2,Scénario,7.0",
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 2,Image,7.0",
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 3,Scénario,9.0",
        f"Lycée,{f.a.pk},Les mains de l'usine,{school},Juré 3,Image,3.0",
    ]
    # Four counting jurors: Anne, Bruno, Chloé and Denis, who dropped out after validating.
    assert sorted({row.split(",")[4] for row in rows[1:]}) == [
        "Juré 1",
        "Juré 2",
        "Juré 3",
        "Juré 4",
    ]
    assert not any("Anne" in row for row in rows)


def test_raw_scores_named_xlsx(scenario, edition):
    workbook = load_workbook(io.BytesIO(exports.raw_scores_xlsx(edition, named=True)))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == (
        "Catégorie",
        "N° du film",
        "Film",
        "Établissement",
        "Juré",
        "Critère",
        "Note",
    )
    assert values[1] == (
        "Lycée",
        scenario.films.a.pk,
        "Les mains de l'usine",
        scenario.films.a.school.name,
        "Anne Juré",
        "Scénario",
        8,
    )
    assert len(values) == 1 + 20


def test_results_csv_and_xlsx(scenario, edition):
    f = scenario.films
    rows = lines(exports.results_csv(edition))
    assert rows == [
        "Catégorie,Rang,N° du film,Film,Établissement,Note sur 20,Jurés,Départage,Statut",
        f"Collège,,{f.d.pk},Petites pièces,{f.d.school.name},10.0,1,,trop peu de notes",
        f"Lycée,1,{f.b.pk},Tourneurs d'avenir,{f.b.school.name},15.0,4,,classé",
        f"Lycée,2,{f.a.pk},Les mains de l'usine,{f.a.school.name},14.0,3,"
        "critère prioritaire,classé",
        f"Lycée,3,{f.c.pk},La fonderie,Lycée Cuvier,14.0,2,critère prioritaire,classé",
    ]
    sheet = load_workbook(io.BytesIO(exports.results_xlsx(edition))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2] == (
        "Lycée",
        1,
        f.b.pk,
        "Tourneurs d'avenir",
        f.b.school.name,
        15,
        4,
        None,
        "classé",
    )


def test_feedback_sheet(scenario):
    film = scenario.films.c
    content = exports.feedback_pdf(film)
    text = pdf_text(content)
    assert "La fonderie" in text
    assert "Retour du jury" in text
    # Every validated comment, the trainee's and the affiliated juror's too, anonymised.
    assert "Beau travail sur le son." in text
    assert "Hors concours pour moi." in text
    assert "Chloé" not in text and "Théo" not in text
    assert "Juré 1" in text and "Juré 2" in text and "Juré 3" not in text


def test_feedback_sheet_lists_criteria_and_comments(scenario):
    sheet = exports.feedback(scenario.films.a)
    # Validated evaluations of A: Anne 8/5, Bruno 7/7, Chloé 9/3 and Eva (conflict) 0/0.
    assert [(line.criterion.name, str(line.mean), line.count) for line in sheet.criteria] == [
        ("Scénario", "6.0", 4),
        ("Image", "3.8", 4),
    ]
    assert [comment for _label, comment in sheet.comments] == [
        "Un très beau regard sur les régleurs.",
        "Le son est parfois difficile à entendre (atelier bruyant).",
    ]
    text = pdf_text(exports.feedback_pdf(scenario.films.a))
    assert "Les mains de l'usine" in text
    assert "(atelier bruyant)" in text


def test_characters_outside_the_pdf_font_do_not_break_it(scenario):
    film = scenario.films.a
    film.title = "Usine 工厂 — cœur"
    film.save(update_fields=["title"])
    assert "Usine ?? " in pdf_text(exports.feedback_pdf(film))


def test_impact_report(scenario, edition):
    f = scenario.films
    now = timezone.now()
    for i, film in enumerate([f.a, f.a, f.d]):
        PublicVote.objects.create(
            edition=edition,
            category=film.category,
            film=film,
            email=f"parent{i}@example.org",
            email_key=f"parent{i}@example.org",
            token=f"token-{i}",
            confirmed_at=now,
        )
    PublicVote.objects.create(
        edition=edition,
        category=f.b.category,
        film=f.b,
        email="x@example.org",
        email_key="x@example.org",
        token="t-x",
    )
    rows = lines(exports.impact_csv(edition))
    # Films in competition: A, B, C (lycée), D (collège); the rejected film is not.
    # Pupils 12 + 8 + 20 + 25. Schools: A, B, D share the teacher's school; C is Cuvier.
    # Jurors: Anne, Bruno, Chloé, Théo, Denis, Eva validated something (Eva: A and B).
    assert rows == [
        "Périmètre,Intitulé,Films,Établissements,Élèves,Enseignants,Entreprises,Jurés,"
        "Votes du public",
        "Édition,Total,4,2,65,1,0,6,3",
        "Catégorie,Collège,1,1,25,1,0,1,1",
        "Catégorie,Lycée,3,2,40,1,0,6,2",
        "Académie,Besançon,4,2,65,1,0,6,3",
    ]
    text = pdf_text(exports.impact_pdf(edition))
    assert "Rapport d'impact" in text
    assert "Films par catégorie" in text
    assert edition.title in text
    # The bars are drawn: filled rectangles in the page's content.
    assert re.search(r"-?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ re f", text)


def test_impact_report_of_an_empty_edition(edition):
    rows = lines(exports.impact_csv(edition))
    assert rows[1] == "Édition,Total,0,0,0,0,0,0,0"
    assert exports.impact_pdf(edition).startswith(b"%PDF")

"""The impact report (public.impact and its pages): figures per edition, compared over the
years, for a festival's organizers and, all festivals together, for the platform's operators."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from festival import pdf
from festival.enums import FilmStatus
from judging.exports import impact_report as edition_report
from judging.models_results import PublicVote
from public.impact import impact_report
from public.models import EditionDay, FilmDay, VisitorHash
from tests import factories
from tests.festival.test_consent_kit import pdf_text


def build_edition(festival, year, *, films=2, views=10, visitors=4):
    """An edition with `films` entries (12 pupils each, one company and trade each), a draft
    and a rejected film, two jurors who validated an evaluation and one who has not, a
    confirmed and an unconfirmed vote, and audience counters."""
    edition = factories.make_edition(festival, year=year, is_current=False)
    category = factories.make_category(edition)
    entries = [
        factories.make_film(category=category, status=FilmStatus.ACCEPTED, complete=True)
        for _ in range(films)
    ]
    factories.make_film(category=category)  # neither a draft
    factories.make_film(category=category, status=FilmStatus.REJECTED)  # nor a rejected film
    jurors = [factories.make_juror(festival) for _ in range(3)]
    factories.make_jury(edition, categories=[category], members=jurors)
    # Jurors who validated an evaluation count; one who has not yet does not.
    for juror, state in zip(jurors, ["validated", "validated", "draft"], strict=True):
        factories.make_evaluation(juror=juror, film=entries[-1], state=state)
    for index, confirmed in enumerate((True, False)):
        PublicVote.objects.create(
            edition=edition,
            category=category,
            film=entries[0],
            email=f"v{edition.pk}-{index}@example.org",
            email_key=f"v{edition.pk}-{index}@example.org",
            token=f"t{edition.pk}-{index}",
            confirmed_at=timezone.now() if confirmed else None,
        )
    for film in entries:
        FilmDay.objects.create(film=film, day=date(year, 5, 1), views=views, plays=views // 2)
    EditionDay.objects.create(edition=edition, day=date(year, 5, 1), visitors=visitors)
    return edition, entries


def figures(row) -> list:
    return [
        row.label,
        row.entries,
        row.schools,
        row.pupils,
        row.companies,
        row.trades,
        row.jurors,
        row.votes,
        row.views,
        row.plays,
        row.visitors,
    ]


def test_a_festivals_editions_side_by_side(festival):
    build_edition(festival, 2025, films=2)
    _edition, films = build_edition(festival, 2026, films=3, views=20, visitors=7)
    # Today's visitors are still hashes: they count too, once each.
    for digest in ("a", "a", "b"):
        VisitorHash.objects.get_or_create(day=timezone.localdate(), film=films[0], digest=digest)
    build_edition(factories.make_festival(), 2026, films=5)  # another festival's

    report = impact_report(festival=festival)

    # Each film has its own school (its teacher's), company and trade.
    assert [figures(row) for row in report.rows] == [
        ["2025", 2, 2, 24, 2, 2, 2, 1, 20, 10, 4],
        ["2026", 3, 3, 36, 3, 3, 2, 1, 60, 30, 9],
    ]


def test_the_installation_adds_every_festival_up_year_by_year(festival):
    build_edition(festival, 2025, films=2)
    build_edition(festival, 2026, films=1)
    build_edition(factories.make_festival(), 2026, films=2)

    report = impact_report()

    assert [figures(row) for row in report.rows] == [
        ["2025", 2, 2, 24, 2, 2, 2, 1, 20, 10, 4],
        ["2026", 3, 3, 36, 3, 3, 4, 2, 30, 15, 8],
    ]


def test_the_queries_do_not_grow_with_the_editions(festival):
    build_edition(festival, 2020)

    with CaptureQueriesContext(connection) as one:
        impact_report(festival=festival)
    for year in range(2021, 2026):
        build_edition(festival, year)
    with CaptureQueriesContext(connection) as many:
        report = impact_report(festival=festival)

    assert len(report.rows) == 6
    assert len(one.captured_queries) == len(many.captured_queries) == 8


def test_the_organizers_page_shows_charts_and_the_same_figures_in_a_table(
    festival, organizer_client, django_assert_max_num_queries
):
    build_edition(festival, 2025)
    build_edition(festival, 2026)

    response = organizer_client.get(reverse("public:impact"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg viewBox="0 0 320 170" role="img"') == 8
    assert '<th scope="row">2025</th>' in html
    assert reverse("public:impact_csv") in html
    assert 'aria-current="true" class="current">Bilan</a>' in html


def test_the_page_queries_do_not_grow_with_the_editions(
    festival, organizer, client, django_assert_num_queries
):
    client.force_login(organizer)
    build_edition(festival, 2020)
    client.get(reverse("public:impact"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("public:impact"))
    for year in range(2021, 2025):
        build_edition(festival, year)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("public:impact"))


def test_the_csv_is_written_by_the_guarded_writer(festival, organizer_client):
    build_edition(festival, 2025)

    response = organizer_client.get(reverse("public:impact_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == (
        "\ufeffÉdition,Films déposés,Établissements,Élèves,Entreprises,Métiers montrés,Jurés,"
        "Votes du public,Vues des films,Lectures (30 s et plus),Visiteurs uniques\r\n"
        "2025,2,2,24,2,2,2,1,20,10,4\r\n"
    )


def test_the_pdf_has_the_table_and_the_charts(festival, organizer_client):
    build_edition(festival, 2025)
    build_edition(festival, 2026)

    response = organizer_client.get(reverse("public:impact_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = f'attachment; filename="bilan-{festival.slug}-'
    assert response["Content-Disposition"].startswith(disposition)


def test_an_organizer_sees_only_their_festival(festival, other_organizer, client):
    build_edition(festival, 2025)
    client.force_login(other_organizer)

    response = client.get(reverse("public:impact_csv"))

    assert response.content.decode().count("\r\n") == 1  # the header only


@pytest.mark.parametrize("name", ["public:impact", "public:impact_csv", "public:impact_pdf"])
def test_only_organizers_reach_the_festivals_report(name, client, teacher, juror):
    url = reverse(name)
    assert client.get(url).status_code == 302  # to the login page
    for user in (teacher, juror):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name", ["public:platform_impact", "public:platform_impact_csv", "public:platform_impact_pdf"]
)
def test_only_operators_reach_the_installations_report(name, client, festival, organizer):
    build_edition(festival, 2025)
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(organizer)
    assert client.get(url).status_code == 404
    client.force_login(factories.make_user(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_an_editions_figures_are_those_of_its_own_impact_report(festival):
    edition, _films = build_edition(festival, 2025, films=3)

    row = impact_report(festival=festival).rows[0]
    total = edition_report(edition).total

    assert [row.entries, row.schools, row.pupils, row.companies, row.jurors, row.votes] == [
        total.films,
        total.schools,
        total.pupils,
        total.companies,
        total.jurors,
        total.votes,
    ]


# The installation's report, festival by festival.


def operator_client(client):
    client.force_login(factories.make_user(is_superuser=True, is_staff=True))
    return client


def test_the_installation_shows_each_festivals_editions_beside_the_totals(festival):
    build_edition(festival, 2025, films=2)
    build_edition(festival, 2026, films=1)
    grand_est = factories.make_festival(name="FILM'IT Grand Est")
    build_edition(grand_est, 2026, films=2, views=5)

    report = impact_report()

    assert [figures(row) for row in report.rows] == [
        ["2025", 2, 2, 24, 2, 2, 2, 1, 20, 10, 4],
        ["2026", 3, 3, 36, 3, 3, 4, 2, 20, 9, 8],
    ]
    assert [impact.festival.name for impact in report.festivals] == [
        "FILM'IT Franche-Comté",
        "FILM'IT Grand Est",
    ]
    assert [[figures(row) for row in impact.rows] for impact in report.festivals] == [
        [["2025", 2, 2, 24, 2, 2, 2, 1, 20, 10, 4], ["2026", 1, 1, 12, 1, 1, 2, 1, 10, 5, 4]],
        [["2026", 2, 2, 24, 2, 2, 2, 1, 10, 4, 4]],
    ]
    assert [row.label for row in report.festivals[0].newest_first] == ["2026", "2025"]
    assert report.festivals[0].latest.label == "2026"


def test_a_festivals_report_has_no_breakdown(festival):
    build_edition(festival, 2025)
    build_edition(factories.make_festival(), 2025)

    assert impact_report(festival=festival).festivals == []


def test_the_installations_queries_do_not_grow_with_festivals_and_editions(festival):
    build_edition(festival, 2020)
    with CaptureQueriesContext(connection) as one:
        impact_report()
    for other in (factories.make_festival(), factories.make_festival()):
        build_edition(other, 2020)
        build_edition(other, 2021)
    build_edition(festival, 2021)
    with CaptureQueriesContext(connection) as many:
        report = impact_report()

    assert [len(impact.rows) for impact in report.festivals] == [2, 2, 2]
    assert len(one.captured_queries) == len(many.captured_queries) == 15


def test_the_installations_page_queries_do_not_grow_with_festivals(
    festival, client, django_assert_num_queries
):
    client = operator_client(client)
    build_edition(festival, 2020)
    client.get(reverse("public:platform_impact"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("public:platform_impact"))
    for other in (factories.make_festival(), factories.make_festival()):
        build_edition(other, 2020)
        build_edition(other, 2021)
    build_edition(festival, 2021)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("public:platform_impact"))
    assert response.status_code == 200


def test_the_installations_page_has_a_section_per_festival(festival, client):
    build_edition(festival, 2025, films=2)
    build_edition(festival, 2026, films=1)
    grand_est = factories.make_festival(name="FILM'IT Grand Est", slug="filmit-grand-est")
    build_edition(grand_est, 2024, films=3)

    response = operator_client(client).get(reverse("public:platform_impact"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="impact-festivals">Par festival</h2>' in html
    # The latest edition of each festival, side by side, by festival name.
    latest = html.split('aria-labelledby="impact-festivals"')[1].split("</table>")[0]
    assert latest.count("<tr>") == 3  # the header and two festivals
    assert latest.index("FILM&#x27;IT Franche-Comté") < latest.index("FILM&#x27;IT Grand Est")
    assert '<span class="impact-edition">2026</span>' in latest
    assert '<span class="impact-edition">2024</span>' in latest
    # A section per festival, its heading the festival's name linking to its public home.
    section = html.split(f'id="impact-festival-{festival.pk}"')[1].split("</table>")[0]
    assert f'<a href="{reverse("public:festival", kwargs={"slug": festival.slug})}">' in section
    # Its editions, the most recent first.
    assert section.index('<th scope="row">2026</th>') < section.index('<th scope="row">2025</th>')
    assert f'id="impact-festival-{grand_est.pk}"' in html
    # Each table is named by its heading.
    assert f'<table aria-labelledby="impact-festival-{grand_est.pk}">' in html
    assert '<table aria-labelledby="impact-table">' in html


def test_the_installations_csv_has_a_festival_column(festival, client):
    build_edition(festival, 2025, films=2)
    # A name a spreadsheet would read as a formula is written as text.
    build_edition(factories.make_festival(name="=HYPERLINK(1)"), 2025, films=1)

    response = operator_client(client).get(reverse("public:platform_impact_csv"))

    assert response.content.decode().split("\r\n") == [
        "\ufeffFestival,Année,Films déposés,Établissements,Élèves,Entreprises,Métiers montrés,"
        "Jurés,Votes du public,Vues des films,Lectures (30 s et plus),Visiteurs uniques",
        "Tous les festivals,2025,3,3,36,3,3,4,2,30,15,8",
        "'=HYPERLINK(1),2025,1,1,12,1,1,2,1,10,5,4",
        "FILM'IT Franche-Comté,2025,2,2,24,2,2,2,1,20,10,4",
        "",
    ]


def test_the_installations_csv_speaks_english_to_an_english_reader(festival, client):
    build_edition(festival, 2025, films=1)

    response = operator_client(client).get(
        reverse("public:platform_impact_csv"), HTTP_ACCEPT_LANGUAGE="en"
    )

    header, total = response.content.decode().split("\r\n")[:2]
    assert header.startswith("\ufeffFestival,Year,")
    assert total.startswith("All festivals,2025,1,")


def test_the_installations_pdf_has_a_section_per_festival(festival, client, monkeypatch):
    monkeypatch.setattr(pdf, "font_files", lambda: None)  # the core font: its text is readable
    build_edition(festival, 2025)
    build_edition(factories.make_festival(name="FILM'IT Grand Est"), 2026)

    response = operator_client(client).get(reverse("public:platform_impact_pdf"))

    text = pdf_text(response.content)
    assert "Par festival" in text
    assert text.index("FILM'IT Franche-Comt") < text.index("FILM'IT Grand Est")


@pytest.mark.parametrize(
    "name", ["public:platform_impact", "public:platform_impact_csv", "public:platform_impact_pdf"]
)
def test_an_organizer_never_reads_another_festivals_figures(name, client, festival, organizer):
    build_edition(festival, 2025)
    build_edition(factories.make_festival(name="FILM'IT Grand Est"), 2025)
    client.force_login(organizer)

    assert client.get(reverse(name)).status_code == 404
    own = client.get(reverse("public:impact")).content.decode()
    assert "Grand Est" not in own
    assert "Par festival" not in own

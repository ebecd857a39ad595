"""The trades' public pages (`/metiers/…`), the links that lead there, and their organizers'
editing of the description and the training paths."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from festival.enums import FilmStatus
from festival.models import Trade, TrainingLink
from media_pipeline.models import VideoStatus
from public import demo
from tests import factories
from tests.festival.palmares import award, cleared_film, open_gallery, publish
from tests.media_pipeline.versions import make_version

TRADES = reverse("public:trades")


def trade_url(trade):
    return reverse("public:trade", args=[trade.slug])


def edit_url(trade):
    return reverse("festival:organizer_trade_edit", args=[trade.pk])


def card_titles(response):
    return [card["film"].title for card in response.context["cards"]]


@pytest.fixture
def soudeur(festival):
    return factories.make_trade(
        name="Soudeur, soudeuse",
        festival=festival,
        description="Il assemble les pièces de métal.\n\nIl lit des plans et règle son poste.",
    )


def shown_by(trade, *films):
    for film in films:
        film.trades.set([trade])


# The page.


def test_trade_page_shows_what_the_job_is_its_public_films_and_training(
    soudeur, edition, category, client
):
    old_edition = factories.make_edition(edition.festival, year=2019, is_current=False)
    old = cleared_film(factories.make_category(old_edition), title="Étincelles 2019")
    winner = cleared_film(category, title="Souder l'avenir")
    open_film = cleared_film(category, title="Arc électrique")
    pending = factories.make_film(category=category, complete=True, title="Consentements en cours")
    draft = cleared_film(category, status=FilmStatus.DRAFT, title="Brouillon")
    other_trade = cleared_film(category, title="Tourneurs")
    shown_by(soudeur, old, winner, open_film, pending, draft)
    make_version(winner, status=VideoStatus.READY)
    publish(edition, [award(winner)])
    publish(old_edition, [award(old)])
    open_gallery(edition)
    TrainingLink.objects.create(
        trade=soudeur,
        label="CAP Réalisations industrielles",
        url="https://www.onisep.fr/cap",
        position=1,
    )
    TrainingLink.objects.create(
        trade=soudeur,
        label="Bac pro Technicien en chaudronnerie",
        url="http://cfa.example/bac",
        position=0,
    )

    response = client.get(trade_url(soudeur))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Soudeur, soudeuse</h1>" in html
    assert "<p>Il assemble les pièces de métal.</p>" in html
    assert "<p>Il lit des plans et règle son poste.</p>" in html
    # Public films only, the newest edition first and its winners before the others.
    assert card_titles(response) == ["Souder l'avenir", "Arc électrique", "Étincelles 2019"]
    assert [card["poster"] is not None for card in response.context["cards"]] == [
        True, False, False,
    ]  # fmt: skip
    assert response.context["cards"][0]["poster"].webp in html
    for hidden in (pending, draft, other_trade):
        assert escape(hidden.title) not in html
    # The training paths, in their order, opened safely.
    assert [link.label for link in response.context["links"]] == [
        "Bac pro Technicien en chaudronnerie",
        "CAP Réalisations industrielles",
    ]
    assert (
        '<a href="https://www.onisep.fr/cap" rel="noopener noreferrer external" target="_blank">'
        "CAP Réalisations industrielles"
    ) in html


def test_unknown_trade_is_a_404(client, db):
    assert client.get(reverse("public:trade", args=["nulle-part"])).status_code == 404


def test_trade_without_public_film_nor_description_has_no_page(category, client):
    trade = factories.make_trade(name="Métier en préparation")
    shown_by(trade, factories.make_film(category=category, complete=True))

    assert client.get(trade_url(trade)).status_code == 404
    assert client.get(TRADES).context["trades"] == []


def test_trades_list_the_described_and_the_shown(soudeur, edition, category, client):
    tourneur = factories.make_trade(name="Tourneur")
    factories.make_trade(name="Métier sans page")
    shown_by(tourneur, cleared_film(category), cleared_film(category))
    open_gallery(edition)

    response = client.get(TRADES)

    assert [(t.name, t.public_film_count) for t in response.context["trades"]] == [
        ("Soudeur, soudeuse", 0),
        ("Tourneur", 2),
    ]
    html = response.content.decode()
    assert f'href="{trade_url(tourneur)}"' in html
    assert "2 films le présentent" in html


def test_trades_list_queries_do_not_grow_with_trades(
    edition, category, client, django_assert_num_queries
):
    open_gallery(edition)
    cleared_film(category)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(TRADES).context["trades"]) == 1

    for _ in range(20):
        cleared_film(category)

    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(TRADES).context["trades"]) == 21


def test_trade_page_queries_do_not_grow_with_films(
    soudeur, edition, category, client, django_assert_num_queries
):
    open_gallery(edition)
    film = cleared_film(category)
    shown_by(soudeur, film)
    make_version(film, status=VideoStatus.READY)
    TrainingLink.objects.create(trade=soudeur, label="CAP", url="https://onisep.example/cap")
    with CaptureQueriesContext(connection) as one:
        assert client.get(trade_url(soudeur)).status_code == 200

    films = [cleared_film(category) for _ in range(30)]
    shown_by(soudeur, *films)
    for each in films[:5]:
        make_version(each, status=VideoStatus.READY)
    TrainingLink.objects.create(trade=soudeur, label="Bac pro", url="https://onisep.example/bac")

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(trade_url(soudeur))
    assert len(response.context["cards"]) == 24
    assert response.context["more_films"] is True
    assert f'href="{response.context["gallery_url"]}"' in response.content.decode()


def test_a_new_training_link_shows_on_the_shared_page(soudeur, db):
    first = Client().get(trade_url(soudeur)).content.decode()
    assert "Se former à ce métier" not in first
    assert Client().get(trade_url(soudeur)).content.decode() == first  # shared

    TrainingLink.objects.create(trade=soudeur, label="CAP Soudure", url="https://onisep.example/")

    assert "CAP Soudure" in Client().get(trade_url(soudeur)).content.decode()


# The ways there.


def test_film_page_links_its_trades(soudeur, edition, category, client):
    film = cleared_film(category)
    tourneur = factories.make_trade(name="Tourneur")
    film.trades.set([soudeur, tourneur])
    open_gallery(edition)

    html = client.get(reverse("public:film", args=[film.pk])).content.decode()

    assert f'<a href="{trade_url(soudeur)}">Soudeur, soudeuse</a>' in html
    assert f'<a href="{trade_url(tourneur)}">Tourneur</a>' in html


def test_gallery_filtered_on_one_trade_leads_to_its_page(soudeur, edition, category, client):
    shown_by(soudeur, cleared_film(category))
    open_gallery(edition)
    link = f'<a href="{trade_url(soudeur)}">Découvrir le métier : Soudeur, soudeuse</a>'

    filtered = client.get(reverse("public:gallery"), {"trade": soudeur.pk})
    unfiltered = client.get(reverse("public:gallery"))

    assert link in filtered.content.decode()
    assert link not in unfiltered.content.decode()
    assert unfiltered.context["chosen_trade"] is None


def test_sitemap_lists_the_trade_pages(soudeur, client, db):
    factories.make_trade(name="Métier sans page")

    xml = client.get(reverse("public:sitemap")).content.decode()

    assert f"{trade_url(soudeur)}</loc>" in xml
    assert f"{TRADES}</loc>" in xml
    assert xml.count("/metiers/") == 2


# The address.


def test_a_trade_gets_its_address_once(db):
    first = factories.make_trade(name="Opérateur / opératrice CN")
    second = factories.make_trade(name="Opérateur - opératrice CN")
    assert (first.slug, second.slug) == ("operateur-operatrice-cn", "operateur-operatrice-cn-2")

    first.name = "Opératrice, opérateur sur commande numérique"
    first.save()
    first.refresh_from_db()
    assert first.slug == "operateur-operatrice-cn"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_trades_an_address():
    from django.db.migrations.executor import MigrationExecutor

    before = [("festival", "0007_outreach_calls_reminders")]
    after = [("festival", "0008_trades_pages")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("festival", "Trade")
    for name in ("Soudeur", "Soudeur !", "Électricien"):
        old.objects.create(name=name)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("festival", "Trade")
    assert sorted(new.objects.values_list("name", "slug")) == [
        ("Soudeur", "soudeur"),
        ("Soudeur !", "soudeur-2"),
        ("Électricien", "electricien"),
    ]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# Organizers write the page.


def link_rows(*rows, initial=0):
    data = {
        "formations-TOTAL_FORMS": str(len(rows)),
        "formations-INITIAL_FORMS": str(initial),
        "formations-MIN_NUM_FORMS": "0",
        "formations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        label, url, *delete = row
        data |= {f"formations-{index}-label": label, f"formations-{index}-url": url}
        if delete:
            data[f"formations-{index}-DELETE"] = "on"
    return data


def test_organizer_writes_the_description_and_the_training_paths(soudeur, organizer_client):
    page = organizer_client.get(edit_url(soudeur))
    assert page.status_code == 200
    assert trade_url(soudeur) in page.content.decode()

    response = organizer_client.post(
        edit_url(soudeur),
        {
            "name": "Soudeur, soudeuse",
            "description": "Il soude.\n\nElle soude aussi.",
            **link_rows(
                ("CAP Réalisations industrielles", "https://www.onisep.fr/cap"),
                ("", ""),
                ("Bac pro", "http://lycee.example/bac-pro"),
            ),
        },
    )

    assert response.status_code == 302
    soudeur.refresh_from_db()
    assert soudeur.description == "Il soude.\n\nElle soude aussi."
    assert list(soudeur.training_links.values_list("label", "url", "position")) == [
        ("CAP Réalisations industrielles", "https://www.onisep.fr/cap", 0),
        ("Bac pro", "http://lycee.example/bac-pro", 1),
    ]

    # The rows come back filled; one is removed, one changed.
    assert organizer_client.get(edit_url(soudeur)).context["links"].initial == [
        {"label": "CAP Réalisations industrielles", "url": "https://www.onisep.fr/cap"},
        {"label": "Bac pro", "url": "http://lycee.example/bac-pro"},
    ]
    organizer_client.post(
        edit_url(soudeur),
        {
            "name": "Soudeur, soudeuse",
            "description": "Il soude.",
            **link_rows(
                ("CAP Réalisations industrielles", "https://www.onisep.fr/cap", "DELETE"),
                ("Bac pro soudure", "http://lycee.example/bac-pro"),
                initial=2,
            ),
        },
    )
    assert list(soudeur.training_links.values_list("label", "position")) == [("Bac pro soudure", 0)]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://fichiers.example/cap.pdf",
        "data:text/html,x",
        "pas une adresse",
    ],
)
def test_only_web_addresses_are_accepted(soudeur, organizer_client, url):
    TrainingLink.objects.create(trade=soudeur, label="CAP", url="https://onisep.example/")

    response = organizer_client.post(
        edit_url(soudeur),
        {"name": "Soudeur", "description": "", **link_rows(("Piège", url))},
    )

    assert response.status_code == 200
    assert response.context["links"].errors[0]["url"] == [
        "Saisissez une adresse web complète, qui commence par https:// ou http://."
    ]
    soudeur.refresh_from_db()
    assert soudeur.name == "Soudeur, soudeuse"
    assert list(soudeur.training_links.values_list("url", flat=True)) == ["https://onisep.example/"]
    assert escape(url) not in client_page(soudeur)


def client_page(trade) -> str:
    return Client().get(trade_url(trade)).content.decode()


def test_organizer_page_in_english(soudeur, organizer_client):
    organizer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = organizer_client.get(edit_url(soudeur)).content.decode()
    assert "Training towards this trade" in html


def test_others_may_not_write_the_trade_page(soudeur, other_organizer, teacher, client):
    data = {"name": "Piraté", "description": "Piraté", **link_rows(("x", "https://x.example"))}
    for user in (other_organizer, teacher):
        other = Client()
        other.force_login(user)
        assert other.get(edit_url(soudeur)).status_code == 404
        assert other.post(edit_url(soudeur), data).status_code == 404
    response = client.post(edit_url(soudeur), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("festival:login"))
    soudeur.refresh_from_db()
    assert (soudeur.name, soudeur.training_links.count()) == ("Soudeur, soudeuse", 0)


def test_the_common_list_stays_the_operators(organizer_client, db):
    common = factories.make_trade(name="Chaudronnier", description="Commun.")

    response = organizer_client.post(edit_url(common), link_rows(("x", "https://x.example")))

    assert response.status_code == 404
    assert not TrainingLink.objects.filter(trade=common).exists()
    assert Trade.objects.get(pk=common.pk).description == "Commun."


# The demo.


def test_the_demo_describes_its_trades(client, db):
    demo.load(with_videos=False)

    trades = client.get(TRADES).context["trades"]
    assert len(trades) == 10
    assert [t.name for t in trades if t.public_film_count] != []
    for trade in trades:
        assert trade.description
        links = list(trade.training_links.values_list("url", flat=True))
        assert links and all(url.startswith("https://www.onisep.fr/") for url in links)
    shown = next(t for t in trades if t.public_film_count)
    response = client.get(trade_url(shown))
    assert response.status_code == 200
    assert len(response.context["cards"]) == shown.public_film_count

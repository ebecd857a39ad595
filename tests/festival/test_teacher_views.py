"""The teacher's pages: "Mes films", a film's page, its form, consents and workflow buttons.

The video's upload form is the media pipeline's (tests/media_pipeline/test_upload_form.py).
"""

import html
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festival.enums import ConsentStatus, FilmStatus
from festival.models import Company, ConsentForm, Film, FilmEvent
from tests import factories

REQUIRED = "Ce champ est obligatoire."


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def page(response) -> str:
    """The page's HTML with entities decoded, to compare with the French texts as written."""
    return html.unescape(response.content.decode())


def film_url(name, film, **kwargs):
    return reverse(f"festival:{name}", kwargs={"pk": film.pk, **kwargs})


def video_file(name="montage.mp4", content=None):
    return SimpleUploadedFile(name, factories.tiny_video_bytes() if content is None else content)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def film_form_data(category, **overrides):
    data = {
        "category": category.pk,
        "title": "Les mains de l'usine",
        "synopsis": "Une journée avec les régleurs.",
        "company": "",
        "new_company_name": "",
        "new_company_siret": "",
        "new_company_town": "",
        "new_company_sector": "",
        "pupil_count": "3",
        "crew": "Léa\nTom B.",
    }
    data.update(overrides)
    return data


# Who may see the teacher's pages.

FILM_VIEWS = [
    ("teacher_film", "get", {}),
    ("teacher_film_edit", "get", {}),
    ("teacher_film_edit", "post", {}),
    ("teacher_consent_upload", "post", {}),
    ("teacher_consent_delete", "post", {"consent_pk": "consent"}),
    ("teacher_film_submit", "get", {}),
    ("teacher_film_submit", "post", {}),
    ("teacher_film_submitted", "get", {}),
    ("teacher_film_withdraw", "post", {}),
    ("teacher_film_restore", "post", {}),
]
POST_ONLY = [
    "teacher_consent_upload",
    "teacher_consent_delete",
    "teacher_film_withdraw",
    "teacher_film_restore",
]


def url_for(name, film, kwargs):
    consent = factories.make_consent(film) if kwargs else None
    return film_url(name, film, **({"consent_pk": consent.pk} if consent else {}))


@pytest.mark.parametrize(("name", "method", "kwargs"), FILM_VIEWS)
def test_anonymous_is_sent_to_login(client, complete_film, name, method, kwargs):
    url = url_for(name, complete_film, kwargs)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('festival:login')}?next={url}"


@pytest.mark.parametrize(("name", "method", "kwargs"), FILM_VIEWS)
@pytest.mark.parametrize("stranger", ["other_teacher", "pending_teacher", "organizer", "juror"])
def test_film_pages_are_the_owner_s_only(
    request, client, complete_film, name, method, kwargs, stranger
):
    client.force_login(request.getfixturevalue(stranger))
    url = url_for(name, complete_film, kwargs)
    before = Film.objects.values().get(pk=complete_film.pk)
    consents = ConsentForm.objects.count()

    data = {"title": "Piraté", "video": video_file(), "files": video_file()}
    response = getattr(client, method)(url, data if method == "post" else {})

    assert response.status_code == 404
    assert Film.objects.values().get(pk=complete_film.pk) == before
    assert ConsentForm.objects.count() == consents


@pytest.mark.parametrize("name", ["teacher_dashboard", "teacher_film_create"])
def test_anonymous_is_sent_to_login_from_the_dashboard(client, name):
    url = reverse(f"festival:{name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('festival:login')}?next={url}"


@pytest.mark.parametrize("name", ["teacher_dashboard", "teacher_film_create"])
@pytest.mark.parametrize("user", ["pending_teacher", "organizer", "juror"])
def test_dashboard_is_for_approved_teachers(request, client, edition, category, name, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse(f"festival:{name}"))
    assert response.status_code == 404


def test_consent_of_another_film_is_not_found(teacher_client, film, category):
    other = factories.make_film(category=category)
    consent = factories.make_consent(other)

    response = teacher_client.post(film_url("teacher_consent_delete", film, consent_pk=consent.pk))

    assert response.status_code == 404
    assert list(ConsentForm.objects.all()) == [consent]


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(teacher_client, complete_film, name):
    kwargs = {"consent_pk": "consent"} if name == "teacher_consent_delete" else {}
    response = teacher_client.get(url_for(name, complete_film, kwargs))
    assert response.status_code == 405


# The dashboard.


def test_dashboard_lists_only_my_films(teacher_client, film, other_teacher, category):
    factories.make_film(teacher=other_teacher, category=category)

    response = teacher_client.get(reverse("festival:teacher_dashboard"))

    assert response.status_code == 200
    assert response.context["films"] == [film]
    assert [t.name for t in response.templates][:1] == ["festival/teacher/dashboard.html"]


def test_dashboard_shows_status_and_checklist(teacher_client, film, complete_film):
    response = teacher_client.get(reverse("festival:teacher_dashboard"))

    missing = {f.pk: [str(item) for item in f.missing] for f in response.context["films"]}
    assert missing == {
        film.pk: [
            "un synopsis",
            "l'entreprise partenaire",
            "au moins un métier présenté",
            "le nombre d'élèves",
            "le nombre d'élèves à l'écran",
            "la vidéo du film",
            "les autorisations de droit à l'image",
            "la déclaration des droits (musique et contenus de tiers)",
        ],
        complete_film.pk: [],
    }
    content = page(response)
    assert '<span class="badge draft">Brouillon</span>' in content
    assert "Tout est prêt : vous pouvez déposer le film." in content


def test_dashboard_shows_the_reason_for_changes(teacher_client, teacher, category):
    factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.NEEDS_CHANGES,
        status_reason="Le générique cite des noms de famille.",
    )
    response = teacher_client.get(reverse("festival:teacher_dashboard"))
    assert "<strong>Compléments demandés :</strong> Le générique cite des noms de famille." in page(
        response
    )


def test_dashboard_with_submissions_open(teacher_client, festival):
    edition = factories.make_edition(
        festival,
        submissions_open_at=utc(2020, 1, 6, 8, 0),
        submissions_close_at=utc(2099, 3, 31, 20, 0),
    )

    response = teacher_client.get(reverse("festival:teacher_dashboard"))

    assert response.context["editions"] == [{"edition": edition, "state": "open"}]
    assert response.context["can_create"] is True
    content = page(response)
    assert "déposez vos films avant le <strong>31 mars 2099 22:00</strong>" in content
    assert reverse("festival:teacher_film_create") in content


def test_dashboard_before_submissions_open(teacher_client, festival):
    factories.make_edition(
        festival,
        submissions_open_at=utc(2099, 3, 1, 9, 0),
        submissions_close_at=utc(2099, 3, 31, 20, 0),
    )

    response = teacher_client.get(reverse("festival:teacher_dashboard"))

    assert response.context["can_create"] is True
    assert (
        "FILM'IT 2027 : les dépôts ne sont pas encore ouverts. Ils ouvriront le 1 mars 2099 "
        "10:00 et fermeront le 31 mars 2099 22:00. Vous pouvez déjà préparer vos films."
        in page(response)
    )


def test_dashboard_after_the_deadline(teacher_client, festival):
    factories.make_edition(
        festival,
        submissions_open_at=utc(2020, 1, 6, 8, 0),
        submissions_close_at=utc(2020, 3, 31, 20, 0),
    )

    response = teacher_client.get(reverse("festival:teacher_dashboard"))

    assert response.context["can_create"] is False
    content = page(response)
    assert (
        "FILM'IT 2027 : les dépôts sont clos depuis le 31 mars 2020 22:00. Seuls les films "
        "renvoyés par l'organisation pour compléments peuvent encore être déposés." in content
    )
    assert reverse("festival:teacher_film_create") not in content


def test_dashboard_without_any_edition(teacher_client, db):
    response = teacher_client.get(reverse("festival:teacher_dashboard"))
    assert response.context["editions"] == []
    assert "Aucune édition du festival n'est ouverte pour le moment." in page(response)


def test_dashboard_queries_do_not_grow_with_films(
    teacher_client, teacher, category, django_assert_num_queries
):
    url = reverse("festival:teacher_dashboard")
    factories.make_film(teacher=teacher, category=category, complete=True)
    with CaptureQueriesContext(connection) as one_film:
        teacher_client.get(url)

    for index in range(19):
        factories.make_film(teacher=teacher, category=category, complete=index % 2 == 0)
        if index % 3 == 0:
            factories.make_consent(Film.objects.latest("pk"))

    with django_assert_num_queries(len(one_film)):
        response = teacher_client.get(url)
    assert len(response.context["films"]) == 20


# Creating and editing a draft.


def test_create_form_hides_the_only_edition(teacher_client, edition, category):
    response = teacher_client.get(reverse("festival:teacher_film_create"))

    form = response.context["form"]
    assert form.single_edition == edition
    assert form.fields["edition"].disabled is True
    content = page(response)
    assert 'name="edition"' not in content
    assert "Édition : <strong>FILM'IT 2027</strong>" in content


def test_create_film(teacher_client, teacher, edition, category):
    company = factories.make_company()
    trades = [factories.make_trade(), factories.make_trade()]

    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(
            category,
            company=company.pk,
            trades=[trade.pk for trade in trades],
            crew="Léa, Tom B.\n\n  Inès ",
            pupil_count="4",
            edition="999",  # ignored: there is only one edition to choose
        ),
    )

    film = Film.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("festival:teacher_film", args=[film.pk])
    assert (film.teacher, film.school, film.edition, film.category, film.company) == (
        teacher,
        teacher.school,
        edition,
        category,
        company,
    )
    assert (film.title, film.synopsis, film.pupil_count, film.crew, film.status) == (
        "Les mains de l'usine",
        "Une journée avec les régleurs.",
        4,
        "Léa\nTom B.\nInès",
        FilmStatus.DRAFT,
    )
    assert list(film.trades.order_by("pk")) == trades
    response = teacher_client.get(response.url)
    assert messages_of(response) == [
        "Le film « Les mains de l'usine » est créé. Ajoutez sa vidéo et les autorisations de "
        "droit à l'image, puis déposez-le."
    ]


def test_create_film_with_only_a_title(teacher_client, category):
    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(category, synopsis="", pupil_count="", crew=""),
    )
    assert response.status_code == 302
    assert Film.objects.get().title == "Les mains de l'usine"


def test_create_film_with_a_new_company(teacher_client, category):
    siret = factories.valid_siret(555)

    teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(
            category,
            new_company_name="Forges de Franche-Comté",
            new_company_siret=f"{siret[:9]} {siret[9:]}",
            new_company_town="Besançon",
            new_company_sector="Forge",
        ),
    )

    company = Film.objects.get().company
    assert (company.name, company.siret, company.town, company.sector) == (
        "Forges de Franche-Comté",
        siret,
        "Besançon",
        "Forge",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "errors"),
    [
        ({"title": ""}, "title", [REQUIRED]),
        (
            {"crew": "Léa\nLéa Bernard"},
            "crew",
            [
                "« Léa Bernard » : pas de nom de famille pour les élèves, seulement un prénom ou "
                "un pseudonyme (éventuellement suivi d'une initiale)."
            ],
        ),
        (
            {"crew": "Léa\n42"},
            "crew",
            ["« 42 » : indiquez seulement un prénom ou un pseudonyme."],
        ),
        (
            {"crew": "Léa\nTom\nInès", "pupil_count": "2"},
            "crew",
            ["L'équipe compte 3 prénoms pour 2 élèves : corrigez la liste ou le nombre d'élèves."],
        ),
        (
            {"crew": "Léa\nTom", "pupil_count": "1"},
            "crew",
            ["L'équipe compte 2 prénoms pour 1 élève : corrigez la liste ou le nombre d'élèves."],
        ),
        (
            {"pupil_count": "0"},
            "pupil_count",
            ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
        ),
        (
            {"new_company_name": "Forges", "new_company_siret": "73282932000075"},
            "new_company_siret",
            ["Ce numéro SIRET n'est pas valide : vérifiez les 14 chiffres."],
        ),
        (
            {"new_company_name": "Forges", "new_company_siret": "1234"},
            "new_company_siret",
            ["Le numéro SIRET doit comporter 14 chiffres."],
        ),
        (
            {"new_company_name": "Forges", "new_company_siret": "73282932000074"},
            "new_company_town",
            ["Ce champ est nécessaire pour ajouter l'entreprise."],
        ),
        (
            {"new_company_sector": "Forge"},
            "new_company_name",
            ["Ce champ est nécessaire pour ajouter l'entreprise."],
        ),
    ],
)
def test_create_film_form_errors(teacher_client, category, overrides, field, errors):
    data = film_form_data(category, **overrides)

    response = teacher_client.post(reverse("festival:teacher_film_create"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == errors
    assert Film.objects.count() == 0
    assert Company.objects.count() == 0
    # What was typed is kept.
    assert form["synopsis"].value() == "Une journée avec les régleurs."
    assert "Le film n'est pas enregistré : corrigez les champs signalés ci-dessous." in page(
        response
    )


def test_company_chosen_and_added_at_once(teacher_client, category):
    company = factories.make_company()
    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(
            category,
            company=company.pk,
            new_company_name="Forges",
            new_company_siret="73282932000074",
            new_company_town="Dole",
        ),
    )
    assert response.context["form"].errors == {
        "company": [
            "Choisissez une entreprise de la liste ou ajoutez-en une nouvelle, pas les deux."
        ]
    }
    assert list(Company.objects.all()) == [company]


def test_company_added_again_is_pointed_to_the_list(teacher_client, category):
    company = factories.make_company(name="Décolletage Comtois")
    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(
            category,
            new_company_name="Decolletage comtois",
            new_company_siret=company.siret,
            new_company_town="Cluses",
        ),
    )
    assert response.context["form"].errors == {
        "new_company_siret": [
            "Cette entreprise est déjà enregistrée sous le nom « Décolletage Comtois » : "
            "choisissez-la dans la liste."
        ]
    }


def test_refused_creation_keeps_what_was_typed_and_adds_no_company(client, edition, category):
    teacher = factories.make_user(school=None)  # an approved teacher not linked to a school
    client.force_login(teacher)

    response = client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(
            category,
            new_company_name="Forges",
            new_company_siret="73282932000074",
            new_company_town="Dole",
        ),
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        "Votre compte enseignant doit être validé avant de créer un film."
    ]
    assert response.context["form"]["title"].value() == "Les mains de l'usine"
    assert Film.objects.count() == 0
    assert Company.objects.count() == 0


def test_create_with_several_current_editions(teacher_client, edition, category):
    other_edition = factories.make_edition(factories.make_festival(name="FILM'IT Alsace"))
    other_category = factories.make_category(other_edition, name="Collège")

    response = teacher_client.get(reverse("festival:teacher_film_create"))
    form = response.context["form"]
    assert form.single_edition is None
    assert sorted(e.pk for e in form.fields["edition"].queryset) == [edition.pk, other_edition.pk]

    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(other_category, edition=edition.pk),
    )
    assert response.context["form"].errors == {
        "category": ["Cette catégorie n'appartient pas à l'édition choisie."]
    }

    response = teacher_client.post(
        reverse("festival:teacher_film_create"),
        film_form_data(other_category, edition=other_edition.pk),
    )
    assert response.status_code == 302
    assert Film.objects.get().edition == other_edition


def test_no_creation_once_submissions_are_closed(teacher_client, festival):
    edition = factories.make_edition(festival, open_now=False)
    factories.make_category(edition)

    response = teacher_client.get(reverse("festival:teacher_film_create"), follow=True)

    assert response.redirect_chain == [(reverse("festival:teacher_dashboard"), 302)]
    assert messages_of(response) == ["Aucune édition n'accepte de nouveaux films en ce moment."]


def test_edit_form_starts_from_the_film(teacher_client, complete_film):
    response = teacher_client.get(film_url("teacher_film_edit", complete_film))

    form = response.context["form"]
    assert "edition" not in form.fields
    assert form.initial == {
        "category": complete_film.category_id,
        "title": complete_film.title,
        "synopsis": complete_film.synopsis,
        "company": complete_film.company_id,
        "trades": [trade.pk for trade in complete_film.trades.all()],
        "pupil_count": 12,
        "pupils_on_screen": 1,
        "crew": "Léa\nTom B.\nInès",
    }


def test_edit_film(teacher_client, complete_film, edition):
    category = factories.make_category(edition, name="Apprentis")
    trade = factories.make_trade()

    response = teacher_client.post(
        film_url("teacher_film_edit", complete_film),
        film_form_data(
            category,
            title="Le geste juste",
            company=complete_film.company_id,
            trades=[trade.pk],
        ),
    )

    assert response.status_code == 302
    complete_film.refresh_from_db()
    assert (complete_film.title, complete_film.category, complete_film.crew) == (
        "Le geste juste",
        category,
        "Léa\nTom B.",
    )
    assert list(complete_film.trades.all()) == [trade]


def test_edit_refuses_a_category_of_another_edition(teacher_client, film, festival):
    other = factories.make_category(factories.make_edition(festival, is_current=False))
    response = teacher_client.post(film_url("teacher_film_edit", film), film_form_data(other))
    assert response.context["form"].errors == {
        "category": [
            "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
        ]
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_submitted_film_cannot_be_edited(teacher_client, teacher, category, method):
    film = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Avant"
    )

    response = getattr(teacher_client, method)(
        film_url("teacher_film_edit", film), film_form_data(category, title="Après"), follow=True
    )

    assert response.redirect_chain == [(film_url("teacher_film", film), 302)]
    assert messages_of(response) == [
        "Ce film est « Déposé » : il ne peut plus être modifié, sauf si l'organisation demande "
        "des compléments."
    ]
    film.refresh_from_db()
    assert film.title == "Avant"


# The film's page.


def test_film_page(teacher_client, complete_film):
    Film.objects.filter(pk=complete_film.pk).update(
        original_filename="Notre film.mp4",
        original_size=3 * 1024**2,
        video_uploaded_at=utc(2027, 2, 10, 15, 30),
    )

    response = teacher_client.get(film_url("teacher_film", complete_film))

    assert response.status_code == 200
    assert response.context["missing"] == []
    assert response.context["can_submit"] is True
    assert response.context["can_withdraw"] is True
    assert response.context["can_restore"] is False
    content = page(response)
    video_link = film_url("file_original_video", complete_film)
    assert f'<dd><a href="{video_link}">Notre film.mp4</a></dd>' in content
    assert "<dd>3,0\xa0Mio</dd>" in content
    assert "<dd>10 février 2027 16:30</dd>" in content
    assert f'href="{film_url("teacher_film_submit", complete_film)}"' in content
    assert 'data-confirm="Retirer « ' in content
    for attribute in ('data-max-bytes="', 'data-note-id="video-size-note"', "data-too-large="):
        assert attribute in content
    # The resumable upload of the media pipeline, with this form as its fallback.
    assert 'enctype="multipart/form-data" data-tus-fallback>' in content
    assert 'id="film-media"' in content


def test_film_page_shows_what_is_missing(teacher_client, film):
    response = teacher_client.get(film_url("teacher_film", film))

    assert [str(item) for item in response.context["missing"]] == [
        "un synopsis",
        "l'entreprise partenaire",
        "au moins un métier présenté",
        "le nombre d'élèves",
        "le nombre d'élèves à l'écran",
        "la vidéo du film",
        "les autorisations de droit à l'image",
        "la déclaration des droits (musique et contenus de tiers)",
    ]
    assert response.context["can_submit"] is False
    assert film_url("teacher_film_submit", film) not in page(response)


def test_film_page_before_submissions_open(teacher_client, teacher, festival):
    edition = factories.make_edition(
        festival,
        submissions_open_at=utc(2099, 3, 1, 9, 0),
        submissions_close_at=utc(2099, 3, 31, 20, 0),
    )
    film = factories.make_film(
        teacher=teacher, category=factories.make_category(edition), complete=True
    )

    response = teacher_client.get(film_url("teacher_film", film))

    assert response.context["window_error"] == (
        "Les dépôts pour FILM'IT 2027 ouvrent le 1 mars 2099 10:00."
    )
    assert response.context["can_submit"] is False


def test_film_page_shows_the_organizer_s_reason(teacher_client, teacher, category, organizer):
    film = factories.make_film(
        teacher=teacher,
        category=category,
        status=FilmStatus.NEEDS_CHANGES,
        status_reason="Il manque l'autorisation de Tom.",
    )
    FilmEvent.objects.create(
        film=film,
        actor=organizer,
        from_status=FilmStatus.SUBMITTED,
        to_status=FilmStatus.NEEDS_CHANGES,
        reason="Il manque l'autorisation de Tom.",
    )

    response = teacher_client.get(film_url("teacher_film", film))

    content = page(response)
    assert "<p>Il manque l'autorisation de Tom.</p>" in content
    assert [(line.text, line.reason) for line in response.context["history"]] == [
        ("L'organisation a demandé des compléments", "Il manque l'autorisation de Tom.")
    ]
    assert (
        "L'organisation a demandé des compléments : "
        '<q class="history-reason">Il manque l\'autorisation de Tom.</q>'
    ) in content


def test_history_speaks_to_the_teacher(teacher_client, teacher, organizer, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.ACCEPTED)
    moves = [
        (teacher, "", FilmStatus.DRAFT, ""),
        (teacher, FilmStatus.DRAFT, FilmStatus.SUBMITTED, ""),
        (organizer, FilmStatus.SUBMITTED, FilmStatus.NEEDS_CHANGES, "Le son sature."),
        (teacher, FilmStatus.NEEDS_CHANGES, FilmStatus.SUBMITTED, ""),
        (organizer, FilmStatus.SUBMITTED, FilmStatus.ACCEPTED, ""),
        (teacher, FilmStatus.ACCEPTED, FilmStatus.WITHDRAWN, "Classe partie."),
        (teacher, FilmStatus.WITHDRAWN, FilmStatus.DRAFT, ""),
    ]
    for actor, src, dst, reason in moves:
        FilmEvent.objects.create(
            film=film, actor=actor, from_status=src, to_status=dst, reason=reason
        )

    response = teacher_client.get(film_url("teacher_film", film))

    assert [(line.text, line.reason) for line in response.context["history"]] == [
        ("Vous avez créé le film", ""),
        ("Vous avez déposé le film", ""),
        ("L'organisation a demandé des compléments", "Le son sature."),
        ("Vous avez déposé à nouveau le film, avec les compléments demandés", ""),
        ("L'organisation a accepté le film : il participe au festival", ""),
        ("Vous avez retiré le film du festival", "Classe partie."),
        ("Vous avez repris le film en brouillon", ""),
    ]


def test_withdrawn_film_page_offers_restore(teacher_client, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.WITHDRAWN)

    response = teacher_client.get(film_url("teacher_film", film))

    assert (response.context["can_restore"], response.context["can_withdraw"]) == (True, False)
    assert response.context["video_form"] is None
    assert response.context["consent_form"] is None


# Consent forms.


def test_upload_several_consents_at_once(teacher_client, teacher, film):
    response = teacher_client.post(
        film_url("teacher_consent_upload", film),
        {
            "files": [
                SimpleUploadedFile("lea.pdf", factories.PDF_BYTES),
                SimpleUploadedFile("tom.png", factories.PNG_BYTES),
            ]
        },
        follow=True,
    )

    assert response.redirect_chain == [(film_url("teacher_film", film) + "#autorisations", 302)]
    assert messages_of(response) == ["2 autorisations ajoutées."]
    assert [
        (c.original_filename, c.content_type, c.uploaded_by, c.status)
        for c in film.consents.order_by("pk")
    ] == [
        ("lea.pdf", "application/pdf", teacher, ConsentStatus.PENDING),
        ("tom.png", "image/png", teacher, ConsentStatus.PENDING),
    ]


def test_a_bad_consent_does_not_lose_the_good_ones(teacher_client, film):
    response = teacher_client.post(
        film_url("teacher_consent_upload", film),
        {
            "files": [
                SimpleUploadedFile("notes.txt", b"rien"),
                SimpleUploadedFile("lea.pdf", factories.PDF_BYTES),
            ]
        },
        follow=True,
    )

    assert messages_of(response) == [
        "« notes.txt » : Une autorisation doit être un PDF ou une photo (JPEG, PNG ou WebP).",
        "1 autorisation ajoutée.",
    ]
    assert [c.original_filename for c in film.consents.all()] == ["lea.pdf"]


def test_consent_upload_without_files(teacher_client, film):
    response = teacher_client.post(film_url("teacher_consent_upload", film), {}, follow=True)
    assert messages_of(response) == ["Choisissez au moins un fichier."]


def test_no_consent_for_a_withdrawn_film(teacher_client, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.WITHDRAWN)
    response = teacher_client.post(
        film_url("teacher_consent_upload", film),
        {"files": [SimpleUploadedFile("lea.pdf", factories.PDF_BYTES)]},
        follow=True,
    )
    assert messages_of(response) == [
        "« lea.pdf » : On ne peut plus ajouter d'autorisation à un film « Retiré »."
    ]
    assert film.consents.count() == 0


def test_delete_consent(teacher_client, film):
    consent = factories.make_consent(film)

    response = teacher_client.post(
        film_url("teacher_consent_delete", film, consent_pk=consent.pk), follow=True
    )

    assert messages_of(response) == ["L'autorisation « autorisations.pdf » est supprimée."]
    assert film.consents.count() == 0


def test_validated_consent_is_not_deleted(teacher_client, film):
    consent = factories.make_consent(film, status=ConsentStatus.VALIDATED)

    response = teacher_client.post(
        film_url("teacher_consent_delete", film, consent_pk=consent.pk), follow=True
    )

    assert messages_of(response) == [
        "Cette autorisation a déjà été validée : elle ne peut plus être supprimée."
    ]
    assert list(film.consents.all()) == [consent]


# Submission and the workflow buttons.


def test_check_your_answers_before_submitting(teacher_client, complete_film, sent_emails):
    url = film_url("teacher_film_submit", complete_film)

    response = teacher_client.get(url)

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "festival/teacher/film_submit.html"
    content = page(response)
    assert f'<form method="post" action="{url}">' in content
    assert f"<dd>{complete_film.title}</dd>" in content
    assert f"<dd>{complete_film.category.name}</dd>" in content
    assert "autorisation envoyée" in content
    # Reading the page sends nothing.
    complete_film.refresh_from_db()
    assert (complete_film.status, sent_emails) == (FilmStatus.DRAFT, [])


@pytest.mark.parametrize("status", [FilmStatus.SUBMITTED, FilmStatus.ACCEPTED])
def test_check_your_answers_only_for_a_film_to_submit(teacher_client, complete_film, status):
    Film.objects.filter(pk=complete_film.pk).update(status=status)
    response = teacher_client.get(film_url("teacher_film_submit", complete_film))
    assert (response.status_code, response.url) == (302, complete_film.get_absolute_url())


def test_check_your_answers_sends_an_incomplete_film_back(teacher_client, film):
    response = teacher_client.get(film_url("teacher_film_submit", film))
    assert (response.status_code, response.url) == (302, film.get_absolute_url())


def test_submit_film(teacher_client, teacher, complete_film, organizer, sent_emails):
    response = teacher_client.post(film_url("teacher_film_submit", complete_film), follow=True)

    complete_film.refresh_from_db()
    assert complete_film.status == FilmStatus.SUBMITTED
    assert response.redirect_chain == [(film_url("teacher_film_submitted", complete_film), 302)]
    content = page(response)
    assert "<h1>Film déposé</h1>" in content
    assert "L'organisation du festival vérifie le film" in content
    assert f"Vous recevez un e-mail de confirmation à l'adresse {teacher.email}." in content
    assert sent_emails == [
        ("film_submitted", [teacher.email]),
        ("film_submitted_organizers", [organizer.email]),
    ]


def test_incomplete_film_is_not_submitted(teacher_client, film, sent_emails):
    response = teacher_client.post(film_url("teacher_film_submit", film), follow=True)

    assert messages_of(response) == [
        "Il manque encore : un synopsis, l'entreprise partenaire, au moins un métier présenté, "
        "le nombre d'élèves, le nombre d'élèves à l'écran, la vidéo du film, "
        "les autorisations de droit à l'image, "
        "la déclaration des droits (musique et contenus de tiers)."
    ]
    film.refresh_from_db()
    assert film.status == FilmStatus.DRAFT
    assert sent_emails == []


def test_confirmation_page_only_for_a_submitted_film(teacher_client, complete_film):
    response = teacher_client.get(film_url("teacher_film_submitted", complete_film))
    assert (response.status_code, response.url) == (302, complete_film.get_absolute_url())


def test_withdraw_then_restore(teacher_client, teacher, film):
    response = teacher_client.post(
        film_url("teacher_film_withdraw", film), {"reason": "Tournage annulé."}, follow=True
    )
    film.refresh_from_db()
    assert (film.status, film.status_reason) == (FilmStatus.WITHDRAWN, "Tournage annulé.")
    assert messages_of(response) == [
        f"Le film « {film.title} » est retiré du festival. Vous pouvez le reprendre plus tard."
    ]

    response = teacher_client.post(film_url("teacher_film_restore", film), follow=True)
    film.refresh_from_db()
    assert film.status == FilmStatus.DRAFT
    assert messages_of(response) == [
        f"Le film « {film.title} » est de nouveau un brouillon : complétez-le puis déposez-le."
    ]
    assert list(FilmEvent.objects.filter(film=film).values_list("to_status", "actor")) == [
        (FilmStatus.WITHDRAWN, teacher.pk),
        (FilmStatus.DRAFT, teacher.pk),
    ]


def test_restore_a_film_that_is_not_withdrawn(teacher_client, film):
    response = teacher_client.post(film_url("teacher_film_restore", film), follow=True)
    assert messages_of(response) == [
        "Impossible de passer ce film de « Brouillon » à « Brouillon »."
    ]


def test_rejected_film_cannot_be_withdrawn(teacher_client, teacher, category):
    film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.REJECTED)
    response = teacher_client.post(film_url("teacher_film_withdraw", film), follow=True)
    assert messages_of(response) == ["Impossible de passer ce film de « Refusé » à « Retiré »."]
    film.refresh_from_db()
    assert film.status == FilmStatus.REJECTED


def test_the_jury_feedback_sheet_is_offered_once_the_palmares_is_published(teacher_client, film):
    from django.urls import reverse

    from tests.festival.palmares import publish

    url = reverse("festival:teacher_film", args=[film.pk])
    sheet = reverse("judging:results_feedback", args=[film.pk])

    before = teacher_client.get(url).content.decode()
    publish(film.edition, [])
    after = teacher_client.get(url).content.decode()

    assert (sheet in before, sheet in after) == (False, True)


def test_check_your_answers_for_a_film_sent_back(teacher_client, complete_film, sent_emails):
    Film.objects.filter(pk=complete_film.pk).update(
        status=FilmStatus.NEEDS_CHANGES, status_reason="Le son sature."
    )
    url = film_url("teacher_film_submit", complete_film)

    response = teacher_client.get(url)

    assert response.context["resubmission"] is True
    assert '<button type="submit" class="primary">Déposer à nouveau le film</button>' in page(
        response
    )
    teacher_client.post(url)
    complete_film.refresh_from_db()
    assert complete_film.status == FilmStatus.SUBMITTED

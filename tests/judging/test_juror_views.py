"""The juror's pages: films to score, the watch page and its form, deliberation."""

import html
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from festival.enums import FilmStatus
from judging.domain.scoring import record_watch_progress, save_draft, validate_evaluation
from judging.enums import AssignmentEnd, EvaluationState
from judging.forms.juror import WatchProgressForm, watch_session_token
from judging.models import Assignment, ConflictDeclaration, Evaluation, Jury, Score, ScoreChange
from judging.views import juror as juror_views
from media_pipeline import delivery
from media_pipeline.models import VideoStatus, VideoVersion
from tests import factories
from tests.media_pipeline.versions import make_version

D = Decimal
LOGIN = reverse("festival:login")
SECRET_COMMENT = "Commentaire confidentiel de Bruno"


def page(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def url(name, film):
    return reverse(f"judging:{name}", args=[film.pk])


def dashboard_url():
    return reverse("judging:juror_dashboard")


def deliberation_url(jury):
    return reverse("judging:deliberation", args=[jury.pk])


def decisions_url(jury):
    return reverse("judging:deliberation_decisions", args=[jury.pk])


def htmx(client, path, data):
    return client.post(path, data, headers={"hx-request": "true"})


# The cast.


@pytest.fixture
def criteria(edition):
    return [
        factories.make_criterion(edition, name="Scénario", weight=D(2)),
        factories.make_criterion(edition, name="Image"),
        factories.make_criterion(
            edition, name="Son", min_score=D(1), max_score=D(5), step=D(1), required=False
        ),
    ]


@pytest.fixture
def film(teacher, category):
    return factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Les régleurs"
    )


@pytest.fixture
def president(festival):
    return factories.make_juror(festival, first_name="Hélène", last_name="Duval")


@pytest.fixture
def bruno(festival):
    """Another juror of the same jury, scoring the same film."""
    return factories.make_juror(festival, first_name="Bruno", last_name="Bailly")


@pytest.fixture
def jury(edition, category, president):
    return factories.make_jury(edition, categories=[category], president=president, name="Jury A")


@pytest.fixture
def assignment(jury, juror, film):
    return factories.make_assignment(jury=jury, juror=juror, film=film)


@pytest.fixture
def bruno_scored(jury, bruno, film, criteria):
    factories.make_assignment(jury=jury, juror=bruno, film=film)
    return factories.make_evaluation(
        juror=bruno,
        film=film,
        scores={criteria[0]: D("3.5"), criteria[1]: D("9.5")},
        comment=SECRET_COMMENT,
        state=EvaluationState.VALIDATED,
        watched=60,
    )


@pytest.fixture
def juror_client(client, juror):
    client.force_login(juror)
    return client


def form_data(criteria, values=(), comment="", favourite=False):
    data = {f"criterion_{c.pk}": "" for c in criteria}
    for criterion, value in dict(values).items():
        data[f"criterion_{criterion.pk}"] = value
    data["comment"] = comment
    if favourite:
        data["favourite"] = "on"
    return data


def confirmed(data):
    """The notes as sent by the confirmation's "Oui, valider mes notes"."""
    return {**data, "confirmed": "1"}


def scores_of(juror, film):
    return {
        s.criterion.name: s.value
        for s in Score.objects.filter(evaluation__juror=juror, evaluation__film=film)
        .select_related("criterion")
        .order_by("criterion__position")
    }


def progress(juror, film, **kwargs):
    """A passage reported during a viewing session opened long enough ago to allow it, of a
    film with a playable video (one of the reported duration if it has none yet)."""
    if VideoVersion.objects.playable_for(film) is None:
        make_version(film, status=VideoStatus.READY, probe={"duration": kwargs["duration"]})
    kwargs.setdefault("opened_at", timezone.now() - timedelta(hours=1))
    return record_watch_progress(juror=juror, film=film, **kwargs)


def watch(juror, film, seconds=60):
    for start in range(0, seconds, 10):
        progress(juror, film, start=start, end=start + 10, duration=seconds)


def open_deliberation(edition):
    now = timezone.now()
    edition.submissions_open_at = now - timedelta(days=60)
    edition.submissions_close_at = now - timedelta(days=30)
    edition.judging_start_at = now - timedelta(days=20)
    edition.judging_end_at = now - timedelta(hours=1)
    edition.deliberation_at = now + timedelta(days=1)
    edition.save()


# Who may see the juror's pages.

FILM_VIEWS = [
    ("juror_film", "get"),
    ("juror_draft", "post"),
    ("juror_validate", "post"),
    ("juror_progress", "post"),
    ("juror_conflict", "post"),
]


@pytest.mark.parametrize(("name", "method"), FILM_VIEWS)
def test_anonymous_is_sent_to_login(client, film, assignment, name, method):
    path = url(name, film)
    response = getattr(client, method)(path)
    assert (response.status_code, response.url) == (302, f"{LOGIN}?next={path}")


@pytest.mark.parametrize("path", [lambda jury: dashboard_url(), deliberation_url, decisions_url])
def test_anonymous_is_sent_to_login_from_the_other_pages(client, jury, path):
    target = path(jury)
    response = client.post(target) if target == decisions_url(jury) else client.get(target)
    assert (response.status_code, response.url) == (302, f"{LOGIN}?next={target}")


@pytest.mark.parametrize(("name", "method"), FILM_VIEWS)
@pytest.mark.parametrize("stranger", ["teacher", "organizer", "bruno", "president"])
def test_a_film_not_assigned_is_a_404(
    request, client, film, criteria, assignment, name, method, stranger
):
    """The film's own teacher, the festival's organizer, and jurors of the same jury (even its
    president) without an assignment for this film."""
    client.force_login(request.getfixturevalue(stranger))
    data = {**form_data(criteria, {criteria[0]: "5"}), "reason": "Je connais l'équipe"}
    data.update(start="0", end="10", duration="60")

    response = getattr(client, method)(url(name, film), data if method == "post" else {})

    assert response.status_code == 404
    assert Evaluation.objects.count() == 0
    assert ConflictDeclaration.objects.count() == 0
    assert Assignment.objects.get().active


@pytest.mark.parametrize(("name", "method"), FILM_VIEWS)
def test_an_ended_assignment_is_a_404(juror_client, film, criteria, assignment, name, method):
    assignment.active = False
    assignment.ended_reason = AssignmentEnd.REMOVED
    assignment.save()
    data = {**form_data(criteria, {criteria[0]: "5"}), "reason": "x"}

    response = getattr(juror_client, method)(url(name, film), data if method == "post" else {})

    assert response.status_code == 404
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize("stranger", ["teacher", "organizer"])
def test_the_dashboard_is_for_jurors_only(request, client, stranger):
    client.force_login(request.getfixturevalue(stranger))
    assert client.get(dashboard_url()).status_code == 404


@pytest.mark.parametrize(
    "name", ["juror_draft", "juror_validate", "juror_progress", "juror_conflict"]
)
def test_post_only_views_refuse_get(juror_client, film, assignment, name):
    assert juror_client.get(url(name, film)).status_code == 405


# The dashboard.


def test_dashboard_lists_the_assigned_films_with_their_state(
    juror_client, juror, edition, category, teacher, film, criteria, jury, assignment
):
    other_category = factories.make_category(edition, name="Collège", slug="college", position=0)
    second_jury = factories.make_jury(edition, categories=[other_category], name="Jury B")
    drafted = factories.make_film(
        teacher=teacher, category=category, status=FilmStatus.SUBMITTED, title="Acier trempé"
    )
    validated = factories.make_film(
        teacher=teacher, category=other_category, status=FilmStatus.ACCEPTED, title="Soudure"
    )
    withdrawn = factories.make_film(teacher=teacher, category=category, title="Retiré du jury")
    factories.make_assignment(jury=jury, juror=juror, film=drafted)
    factories.make_assignment(jury=second_jury, juror=juror, film=validated)
    factories.make_assignment(jury=jury, juror=juror, film=withdrawn, active=False)
    save_draft(juror=juror, film=drafted, values={criteria[0].pk: D("7")})
    factories.make_evaluation(
        juror=juror,
        film=validated,
        state=EvaluationState.VALIDATED,
        scores={criteria[0]: D("10"), criteria[1]: D("5")},
    )

    response = juror_client.get(dashboard_url())

    assert response.status_code == 200
    groups = [
        (g["jury"].name, g["category"].name, [(r["film"].title, r["state"]) for r in g["rows"]])
        for g in response.context["editions"][0]["groups"]
    ]
    assert groups == [
        ("Jury A", "Lycée", [("Acier trempé", "draft"), ("Les régleurs", "to_watch")]),
        ("Jury B", "Collège", [("Soudure", "validated")]),
    ]
    text = page(response)
    assert "Retiré du jury" not in text
    assert "1 film validé sur 3" in text
    assert (
        f'<progress id="juror-progress-{edition.pk}" class="juror-progress" max="3" value="1">'
        in text
    )
    assert "Brouillon" in text and "À regarder" in text and "Validée" in text
    # 20 × (2 × 1 + 1 × 0.5) / 3
    assert "16,7 sur 20" in text


def test_dashboard_shows_the_deadline_and_the_days_left(juror_client, edition, assignment):
    edition.judging_end_at = timezone.now() + timedelta(days=11, hours=3)
    edition.save()

    text = page(juror_client.get(dashboard_url()))

    assert "Notez vos films avant le" in text
    assert "(encore 12 jours)" in text


def test_dashboard_says_when_the_deadline_has_passed(juror_client, edition, assignment):
    open_deliberation(edition)
    text = page(juror_client.get(dashboard_url()))
    assert "L'évaluation est terminée depuis le" in text


def test_dashboard_shows_the_poster_of_a_ready_film(juror_client, film, assignment):
    make_version(film, status=VideoStatus.READY)

    response = juror_client.get(dashboard_url())

    poster = response.context["editions"][0]["groups"][0]["rows"][0]["poster"]
    assert poster.startswith("/medias/v/") and poster.endswith("/poster/first/poster-list.webp")
    assert juror_client.get(poster).status_code == 200


def test_dashboard_without_films(juror_client):
    response = juror_client.get(dashboard_url())
    text = page(response)
    assert "Aucun film ne vous est attribué pour le moment." in text
    assert f'<a href="{dashboard_url()}">Mes films à noter</a>' in text


def test_a_juror_lands_on_the_dashboard_after_login(juror_client):
    response = juror_client.get(reverse("festival:after_login"))
    assert (response.status_code, response.url) == (302, dashboard_url())


def test_dashboard_links_the_president_to_an_open_deliberation(
    client, president, jury, film, edition
):
    factories.make_assignment(jury=jury, juror=president, film=film)
    client.force_login(president)
    assert deliberation_url(jury) not in page(client.get(dashboard_url()))

    open_deliberation(edition)

    assert deliberation_url(jury) in page(client.get(dashboard_url()))


def test_dashboard_groups_the_films_by_edition_the_current_one_first(
    juror_client, juror, festival, edition, teacher, film, criteria, jury, assignment
):
    past = factories.make_edition(festival, open_now=False, is_current=False, title="FILM'IT 2025")
    open_deliberation(past)
    past_category = factories.make_category(past, name="Lycée", slug="lycee-2025")
    past_jury = factories.make_jury(past, categories=[past_category], name="Jury 2025")
    for title in ["Forge", "Fonderie"]:
        old = factories.make_film(
            teacher=teacher, category=past_category, status=FilmStatus.ACCEPTED, title=title
        )
        factories.make_assignment(jury=past_jury, juror=juror, film=old)
        factories.make_evaluation(juror=juror, film=old, state=EvaluationState.VALIDATED)

    response = juror_client.get(dashboard_url())

    summary = [
        (i["edition"].title, i["folded"], i["validated"], i["assigned"])
        for i in response.context["editions"]
    ]
    assert summary == [("FILM'IT 2027", False, 0, 1), ("FILM'IT 2025", True, 2, 2)]
    text = page(response)
    assert text.index("Les régleurs") < text.index("Forge")
    assert "0 film validé sur 1" in text and "2 films validés sur 2" in text
    assert re.search(r'<details class="juror-edition past">\s*<summary>', text)


def make_scored_films(count, *, juror, jury, teacher, category, criteria):
    for _ in range(count):
        film = factories.make_film(teacher=teacher, category=category, status=FilmStatus.SUBMITTED)
        factories.make_assignment(jury=jury, juror=juror, film=film)
        factories.make_evaluation(juror=juror, film=film, scores={criteria[0]: D("5")})
        make_version(film, status=VideoStatus.READY)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_films(
    juror_client, juror, jury, teacher, category, criteria, django_assert_num_queries
):
    make_scored_films(
        1, juror=juror, jury=jury, teacher=teacher, category=category, criteria=criteria
    )
    expected = count_queries(juror_client, dashboard_url())
    make_scored_films(
        29, juror=juror, jury=jury, teacher=teacher, category=category, criteria=criteria
    )

    with django_assert_num_queries(expected):
        response = juror_client.get(dashboard_url())

    assert len(response.context["editions"][0]["groups"][0]["rows"]) == 30


def test_presidents_dashboard_query_count_does_not_grow_with_films(
    client, president, jury, teacher, category, criteria, django_assert_num_queries
):
    # During judging, deliberation is not open yet: the palmarès is read once, not once a film.
    client.force_login(president)
    make_scored_films(
        1, juror=president, jury=jury, teacher=teacher, category=category, criteria=criteria
    )
    expected = count_queries(client, dashboard_url())
    make_scored_films(
        29, juror=president, jury=jury, teacher=teacher, category=category, criteria=criteria
    )

    with django_assert_num_queries(expected):
        response = client.get(dashboard_url())

    item = response.context["editions"][0]
    assert (len(item["groups"][0]["rows"]), item["deliberations"]) == (30, [])


# The watch page.


def test_watch_page_shows_the_scoring_form(juror_client, film, criteria, assignment):
    response = juror_client.get(url("juror_film", film))

    assert response.status_code == 200
    text = page(response)
    assert "<legend>Grille d'évaluation</legend>" in text
    for criterion in criteria:
        field = f"id_criterion_{criterion.pk}"
        assert f'<label for="{field}">{criterion.name}' in text
        assert f'id="{field}"' in text
        assert f'aria-describedby="{field}_helptext {field}_errors"' in text
        assert f'<div id="{field}_errors" class="field-errors" aria-live="polite">' in text
    assert 'data-min="1" data-max="5" data-step="1"' in text
    assert 'type="text" name="criterion_' in text and 'inputmode="decimal"' in text
    assert 'type="number"' not in text
    assert f'hx-post="{url("juror_draft", film)}"' in text
    assert 'hx-trigger="change, keyup changed delay:800ms"' in text
    assert 'id="draft-status" class="draft-status" role="status" aria-live="polite"' in text
    assert '<label for="id_favourite">Coup de cœur</label>' in text
    assert "Valider mes notes" in text
    assert "Déclarer un conflit d'intérêts" in text
    assert f'data-progress-url="{url("juror_progress", film)}"' in text
    assert "Vous avez regardé <span data-watched-value>0</span> % du film" in text
    assert "au moins 90 %" in text
    assert "<script>" not in text and "style=" not in text


def test_watch_page_plays_the_film_when_its_video_is_ready(
    juror_client, film, assignment, monkeypatch
):
    make_version(film, status=VideoStatus.READY)
    response = juror_client.get(url("juror_film", film))
    text = page(response)
    assert response.context["has_player"] is True
    assert 'src="/static/judging/watch.js"' in text
    # The media pipeline lets assigned jurors watch: its player block then shows the video.
    assert '<video class="film-player"' in text


def test_only_jurors_assigned_to_the_film_may_watch_it(juror, bruno, film, assignment):
    assert delivery.can_watch(juror, film) is True
    assert delivery.can_watch(bruno, film) is False
    assignment.active = False
    assignment.save()
    assert delivery.can_watch(juror, film) is False


def test_watch_page_without_the_media_pipeline_s_player(
    juror_client, film, assignment, monkeypatch
):
    monkeypatch.setattr(juror_views, "PLAYER_TEMPLATE", "media_pipeline/_absent.html")
    text = page(juror_client.get(url("juror_film", film)))
    assert "La vidéo de ce film n'est pas encore disponible ici." in text
    assert "<video" not in text


def test_watch_page_shows_the_saved_draft(juror_client, juror, film, criteria, assignment):
    save_draft(
        juror=juror,
        film=film,
        values={criteria[0].pk: D("7.5"), criteria[1].pk: D("8")},
        comment="Très beau cadrage",
        favourite=True,
    )
    saved_at = timezone.localtime(Evaluation.objects.get().updated_at).strftime("%H:%M")

    text = page(juror_client.get(url("juror_film", film)))

    assert f'name="criterion_{criteria[0].pk}" value="7.5"' in text
    assert f'name="criterion_{criteria[1].pk}" value="8"' in text
    assert "Très beau cadrage</textarea>" in text
    assert (
        '<input type="checkbox" name="favourite" aria-describedby="id_favourite_helptext" '
        'id="id_favourite" checked>'
    ) in text
    assert f"Brouillon enregistré à {saved_at}" in text
    # 20 × (2 × 0.75 + 0.8) / 3
    assert "Note : <strong>15,3</strong> sur 20" in text


def test_watch_page_is_locked_once_validated(juror_client, juror, film, criteria, assignment):
    save_draft(juror=juror, film=film, values={criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    watch(juror, film)
    validate_evaluation(juror=juror, film=film)

    text = page(juror_client.get(url("juror_film", film)))

    assert "Vos notes sont validées depuis le" in text
    assert "hx-post" not in text
    assert "Valider mes notes" not in text
    assert len(re.findall(r"<input type=\"text\" name=\"criterion_[^>]* disabled", text)) == 3
    assert re.search(r"<textarea[^>]*name=\"comment\"[^>]* disabled", text)
    assert "Déclarer un conflit d'intérêts" not in text


def test_watch_page_is_locked_after_the_deadline(juror_client, film, criteria, assignment, edition):
    open_deliberation(edition)
    text = page(juror_client.get(url("juror_film", film)))
    assert "L'évaluation s'est terminée le" in text
    assert "hx-post" not in text
    assert len(re.findall(r"<input type=\"text\" name=\"criterion_[^>]* disabled", text)) == 3


def test_watch_page_tells_a_trainee_their_scores_do_not_count(
    juror_client, juror, film, jury, edition
):
    trainee_jury = factories.make_jury(edition, name="Jury en formation")
    factories.make_jury_member(trainee_jury, juror, is_trainee=True)
    factories.make_assignment(jury=trainee_jury, juror=juror, film=film)
    text = page(juror_client.get(url("juror_film", film)))
    assert "Vous êtes juré en formation" in text


# Saving a draft as the juror types.


def test_a_draft_saved_by_htmx_returns_its_status(juror_client, juror, film, criteria, assignment):
    data = form_data(criteria, {criteria[0]: "7,5", criteria[1]: "8"}, "Beau", favourite=True)

    response = htmx(juror_client, url("juror_draft", film), data)

    assert response.status_code == 200
    text = page(response)
    assert "<html" not in text
    saved_at = timezone.localtime(Evaluation.objects.get().updated_at).strftime("%H:%M")
    assert f"Brouillon enregistré à {saved_at}" in text
    assert "Note : <strong>15,3</strong> sur 20" in text
    assert scores_of(juror, film) == {"Scénario": D("7.5"), "Image": D("8")}
    evaluation = Evaluation.objects.get()
    assert (evaluation.comment, evaluation.favourite, evaluation.state) == (
        "Beau",
        True,
        EvaluationState.DRAFT,
    )
    assert [c.field for c in ScoreChange.objects.all()] == [
        "score:Scénario",
        "score:Image",
        "comment",
        "favourite",
        "state",
    ]


def test_a_bad_score_is_refused_and_the_others_are_saved(
    juror_client, juror, film, criteria, assignment
):
    save_draft(juror=juror, film=film, values={criteria[1].pk: D("6")})
    data = form_data(criteria, {criteria[0]: "8", criteria[1]: "12"})

    response = htmx(juror_client, url("juror_draft", film), data)

    text = page(response)
    field = f"id_criterion_{criteria[1].pk}"
    assert (
        f'<div id="{field}_errors" class="field-errors" aria-live="polite" hx-swap-oob="true">'
        in text
    )
    assert "« Image » : la note doit être comprise entre 0 et 10." in text
    assert "Certaines notes ne sont pas valables : elles ne sont pas enregistrées." in text
    assert scores_of(juror, film) == {"Scénario": D("8"), "Image": D("6")}


def test_an_off_step_score_is_refused(juror_client, juror, film, criteria, assignment):
    response = htmx(
        juror_client, url("juror_draft", film), form_data(criteria, {criteria[2]: "2.5"})
    )
    assert "« Son » : la note va de 1 en 1, par exemple 2 ou 3." in page(response)
    assert scores_of(juror, film) == {}


def test_a_draft_after_validation_is_refused_and_nothing_is_lost(
    juror_client, juror, film, criteria, assignment
):
    save_draft(juror=juror, film=film, values={criteria[0].pk: D("7"), criteria[1].pk: D("8")})
    watch(juror, film)
    validate_evaluation(juror=juror, film=film)
    changes = ScoreChange.objects.count()

    response = htmx(juror_client, url("juror_draft", film), form_data(criteria, {criteria[0]: "1"}))

    assert "Vous avez déjà validé vos notes pour ce film" in page(response)
    assert scores_of(juror, film) == {"Scénario": D("7"), "Image": D("8")}
    assert ScoreChange.objects.count() == changes


def test_a_draft_after_the_deadline_is_refused(
    juror_client, juror, film, criteria, assignment, edition
):
    save_draft(juror=juror, film=film, values={criteria[0].pk: D("7")})
    open_deliberation(edition)

    response = htmx(juror_client, url("juror_draft", film), form_data(criteria, {criteria[0]: "1"}))

    assert "L'évaluation s'est terminée le" in page(response)
    assert scores_of(juror, film) == {"Scénario": D("7")}


def test_a_draft_saved_without_javascript(juror_client, juror, film, criteria, assignment):
    response = juror_client.post(url("juror_draft", film), form_data(criteria, {criteria[0]: "4"}))
    assert response.status_code == 302
    assert response.url == url("juror_film", film)
    assert scores_of(juror, film) == {"Scénario": D("4")}


def test_a_bad_draft_without_javascript_shows_the_form_again(
    juror_client, juror, film, criteria, assignment
):
    response = juror_client.post(url("juror_draft", film), form_data(criteria, {criteria[0]: "11"}))
    assert response.status_code == 200
    text = page(response)
    assert "« Scénario » : la note doit être comprise entre 0 et 10." in text
    assert f'name="criterion_{criteria[0].pk}" value="11"' in text
    assert scores_of(juror, film) == {}


# Validation.


def test_validation_locks_the_scores(juror_client, juror, film, criteria, assignment):
    watch(juror, film)
    data = form_data(criteria, {criteria[0]: "7", criteria[1]: "8"}, "Bravo")

    response = juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    evaluation = Evaluation.objects.get()
    assert evaluation.state == EvaluationState.VALIDATED
    assert scores_of(juror, film) == {"Scénario": D("7"), "Image": D("8")}
    assert messages_of(response) == ["Vos notes pour « Les régleurs » sont validées. Merci !"]
    assert "Vos notes sont validées depuis le" in page(response)


def test_validation_without_a_required_score(juror_client, juror, film, criteria, assignment):
    watch(juror, film)
    data = form_data(criteria, {criteria[1]: "8"}, "À finir")

    response = juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    assert messages_of(response) == ["Il manque encore la note de : Scénario."]
    evaluation = Evaluation.objects.get()
    assert (evaluation.state, evaluation.comment) == (EvaluationState.DRAFT, "À finir")
    assert scores_of(juror, film) == {"Image": D("8")}


def test_validation_of_a_film_not_watched_enough(juror_client, juror, film, criteria, assignment):
    progress(juror, film, start=0, end=27, duration=60)
    data = form_data(criteria, {criteria[0]: "7", criteria[1]: "8"})

    response = juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    assert messages_of(response) == [
        "Vous avez regardé 45 % du film : il faut en avoir vu au moins 90 % pour valider vos "
        "notes. Regardez la suite du film, puis validez à nouveau."
    ]
    assert Evaluation.objects.get().state == EvaluationState.DRAFT
    assert scores_of(juror, film) == {"Scénario": D("7"), "Image": D("8")}


def test_validation_with_a_bad_score(juror_client, juror, film, criteria, assignment):
    watch(juror, film)
    data = form_data(criteria, {criteria[0]: "7", criteria[1]: "80"})

    response = juror_client.post(url("juror_validate", film), confirmed(data))

    assert response.status_code == 200
    assert "« Image » : la note doit être comprise entre 0 et 10." in page(response)
    assert Evaluation.objects.get().state == EvaluationState.DRAFT
    assert scores_of(juror, film) == {"Scénario": D("7")}


def test_validation_twice_is_refused(juror_client, juror, film, criteria, assignment):
    watch(juror, film)
    data = form_data(criteria, {criteria[0]: "7", criteria[1]: "8"})
    juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    response = juror_client.post(
        url("juror_validate", film), confirmed(form_data(criteria, {criteria[0]: "2"})), follow=True
    )

    assert messages_of(response)[0].startswith("Vous avez déjà validé vos notes pour ce film")
    assert scores_of(juror, film) == {"Scénario": D("7"), "Image": D("8")}


def test_the_same_notes_sent_twice_are_simply_validated(
    juror_client, juror, film, criteria, assignment
):
    """A double click on "Valider" must not greet the juror with an error."""
    watch(juror, film)
    data = form_data(criteria, {criteria[0]: "7", criteria[1]: "8"})
    juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    response = juror_client.post(url("juror_validate", film), confirmed(data), follow=True)

    assert messages_of(response) == [f"Vos notes pour « {film.title} » sont validées. Merci !"]
    assert Evaluation.objects.get().state == EvaluationState.VALIDATED
    assert ScoreChange.objects.filter(field="state", after="validated").count() == 1


@pytest.mark.parametrize("typed", ["7,5", "7.5", " 7,5 "])
def test_a_score_is_read_with_a_comma_or_a_dot(
    juror_client, juror, film, criteria, assignment, typed
):
    htmx(juror_client, url("juror_draft", film), form_data(criteria, {criteria[0]: typed}))
    assert scores_of(juror, film) == {"Scénario": D("7.5")}


@pytest.mark.parametrize("typed", ["sept", "7,5,5", "7.", "1e1", "7 5"])
def test_what_is_not_a_score_is_refused_in_words(
    juror_client, juror, film, criteria, assignment, typed
):
    response = htmx(
        juror_client, url("juror_draft", film), form_data(criteria, {criteria[0]: typed})
    )
    text = page(response)
    assert text.count("Saisissez une note comme 7,5.") == 1
    assert scores_of(juror, film) == {}


def test_the_draft_status_says_what_is_missing_and_the_score_only_when_valid(
    juror_client, juror, film, criteria, assignment
):
    path = url("juror_draft", film)
    text = page(htmx(juror_client, path, form_data(criteria, {criteria[0]: "8"})))
    assert re.search(r"Il manque encore la note de :\s*<span data-missing-list>Image</span>", text)
    assert "sur 20" in text
    assert (
        '<span id="evaluation-state" class="badge draft" hx-swap-oob="true">Brouillon</span>'
        in text
    )

    text = page(htmx(juror_client, path, form_data(criteria, {criteria[0]: "8", criteria[1]: "x"})))
    assert "sur 20" not in text

    text = page(htmx(juror_client, path, form_data(criteria, {criteria[0]: "8", criteria[1]: "6"})))
    assert re.search(r'<p class="missing-scores" data-missing\s+hidden>', text)


def test_validating_asks_to_check_the_notes_first(juror_client, juror, film, criteria, assignment):
    watch(juror, film)
    data = form_data(criteria, {criteria[0]: "7,5", criteria[1]: "8"}, "Bravo", favourite=True)

    response = juror_client.post(url("juror_validate", film), data)

    assert response.status_code == 200
    text = page(response)
    assert "Vérifiez vos notes avant de les valider" in text
    assert "<dt>Scénario</dt><dd>7,5</dd>" in text
    assert "Une fois validées, vos notes ne peuvent plus être modifiées." in text
    assert f'name="criterion_{criteria[0].pk}" value="7.5"' in text
    assert 'name="confirmed" value="1"' in text
    evaluation = Evaluation.objects.get()
    assert (evaluation.state, evaluation.favourite) == (EvaluationState.DRAFT, True)
    assert scores_of(juror, film) == {"Scénario": D("7.5"), "Image": D("8")}

    confirm = {
        f"criterion_{criteria[0].pk}": "7.5",
        f"criterion_{criteria[1].pk}": "8",
        f"criterion_{criteria[2].pk}": "",
        "comment": "Bravo",
        "favourite": "on",
    }
    juror_client.post(url("juror_validate", film), confirmed(confirm))
    assert Evaluation.objects.get().state == EvaluationState.VALIDATED


def test_nothing_is_asked_while_the_notes_may_not_be_validated(
    juror_client, juror, film, criteria, assignment
):
    data = form_data(criteria, {criteria[1]: "8"})
    response = juror_client.post(url("juror_validate", film), data, follow=True)
    assert messages_of(response) == ["Il manque encore la note de : Scénario."]
    assert "Vérifiez vos notes" not in page(response)


def test_the_watch_page_has_the_validation_dialog(juror_client, film, criteria, assignment):
    text = page(juror_client.get(url("juror_film", film)))
    assert '<dialog id="validate-dialog"' in text
    assert 'data-validate-dialog="validate-dialog"' in text
    assert "<script>" not in text


# Watch reports.


def session_opened(juror, film, seconds_ago):
    opened_at = timezone.now() - timedelta(seconds=seconds_ago)
    return watch_session_token(juror_id=juror.pk, film_id=film.pk, opened_at=opened_at)


def report(client, film, session, start, end, duration="60"):
    data = {"start": start, "end": end, "duration": duration, "session": session}
    return client.post(url("juror_progress", film), data)


@pytest.fixture
def ready_video(film):
    return make_version(film, status=VideoStatus.READY, probe={"duration": 60.0})


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, moved by the test: real time between two reports, without waiting."""

    class Clock:
        at = timezone.now()

        def advance(self, seconds):
            self.at += timedelta(seconds=seconds)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.at)
    return clock


def test_the_player_reports_watched_passages(
    juror_client, juror, film, assignment, ready_video, clock
):
    session = session_opened(juror, film, seconds_ago=60)
    report(juror_client, film, session, "0", "10.5")
    clock.advance(10.5)

    response = report(juror_client, film, session, "10.5", "21")

    assert response.json() == {"watched_percent": 35, "watched_seconds": 21.0}
    assert Evaluation.objects.get().watched_ranges == [[0.0, 21.0]]


def test_the_watch_page_signs_when_it_was_opened(juror_client, juror, film, assignment):
    text = page(juror_client.get(url("juror_film", film)))
    session = re.search(r'data-watch-session="([^"]+)"', text).group(1)
    form = WatchProgressForm(
        {"start": "0", "end": "1", "duration": "60", "session": session},
        juror_id=juror.pk,
        film_id=film.pk,
    )
    assert form.is_valid()
    assert abs((timezone.now() - form.cleaned_data["session"]).total_seconds()) < 5


def test_a_big_passage_posted_right_after_opening_is_not_counted(
    juror_client, juror, film, assignment, ready_video
):
    session = session_opened(juror, film, seconds_ago=0)

    response = report(juror_client, film, session, "0", "25")

    assert response.status_code == 200
    assert Evaluation.objects.get().watched_seconds < 1.0


def test_forged_passages_posted_at_once_credit_only_the_real_time(
    juror_client, juror, film, assignment, ready_video, clock
):
    session = session_opened(juror, film, seconds_ago=4)  # 8 s of film at most
    for start in range(0, 60, 10):
        report(juror_client, film, session, str(start), str(start + 10))

    evaluation = Evaluation.objects.get()
    assert (evaluation.watched_ranges, evaluation.watched_seconds) == ([[0.0, 8.0]], 8.0)


def test_a_page_left_open_saves_up_no_watching_credit(
    juror_client, juror, film, assignment, ready_video, clock
):
    session = session_opened(juror, film, seconds_ago=3600)  # opened an hour ago, never played
    for start in (0, 10, 20, 30, 40, 50):
        report(juror_client, film, session, str(start), str(start + 10))

    # The first report may follow a pause (up to 30 s of it count, at 2×); the others came at once.
    assert Evaluation.objects.get().watched_seconds == 10.0


def test_passages_within_twice_the_time_elapsed_are_counted(
    juror_client, juror, film, assignment, ready_video, clock
):
    session = session_opened(juror, film, seconds_ago=5)
    for start in range(0, 60, 10):
        report(juror_client, film, session, str(start), str(start + 10))
        clock.advance(5)  # watched at twice the speed

    evaluation = Evaluation.objects.get()
    assert (evaluation.watched_ranges, evaluation.watched_seconds) == ([[0.0, 60.0]], 60.0)


def test_a_page_opened_before_the_latest_one_credits_nothing(
    juror_client, juror, film, assignment, ready_video
):
    old, new = session_opened(juror, film, 600), session_opened(juror, film, 5)
    report(juror_client, film, new, "0", "10")

    report(juror_client, film, old, "10", "30")

    assert Evaluation.objects.get().watched_seconds == 10.0


def test_a_forged_or_foreign_session_is_refused(
    juror_client, juror, bruno, film, assignment, ready_video
):
    for session in ["", "not-signed", session_opened(bruno, film, 600)]:
        response = report(juror_client, film, session, "0", "10")
        assert response.status_code == 400
    assert Evaluation.objects.count() == 0


def test_watching_a_film_without_a_playable_video_is_refused(juror_client, juror, film, assignment):
    make_version(film, status=VideoStatus.FAILED)

    response = report(juror_client, film, session_opened(juror, film, 600), "0", "10")

    assert response.status_code == 409
    assert response.json() == {
        "errors": ["La vidéo de ce film n'est pas encore disponible : rien n'est enregistré."]
    }
    assert Evaluation.objects.count() == 0


def test_a_bad_watch_report_is_refused(juror_client, film, assignment):
    response = juror_client.post(url("juror_progress", film), {"start": "a", "duration": "60"})
    assert response.status_code == 400
    assert Evaluation.objects.count() == 0


# Conflicts of interest.


def test_declaring_a_conflict_withdraws_the_film(juror_client, juror, film, assignment):
    response = juror_client.post(
        url("juror_conflict", film), {"reason": "Ma nièce est dans l'équipe."}, follow=True
    )

    assert response.redirect_chain == [(dashboard_url(), 302)]
    assert messages_of(response) == [
        "Votre conflit d'intérêts est enregistré : « Les régleurs » vous est retiré et "
        "l'organisation en est informée."
    ]
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.juror, declaration.film, declaration.reason) == (
        juror,
        film,
        "Ma nièce est dans l'équipe.",
    )
    assignment.refresh_from_db()
    assert (assignment.active, assignment.ended_reason) == (False, AssignmentEnd.CONFLICT)
    assert juror_client.get(url("juror_film", film)).status_code == 404


def test_a_conflict_needs_a_reason(juror_client, film, assignment):
    response = juror_client.post(url("juror_conflict", film), {"reason": "  "})

    assert response.status_code == 200
    assert "Indiquez le motif du conflit d'intérêts." in page(response)
    assert ConflictDeclaration.objects.count() == 0
    assert Assignment.objects.get().active


# Blindness: no juror sees another's scores before deliberation.


def test_a_juror_never_sees_another_juror_s_scores(
    juror_client, juror, film, criteria, assignment, bruno_scored
):
    save_draft(juror=juror, film=film, values={criteria[0].pk: D("6")})
    pages = [
        juror_client.get(dashboard_url()),
        juror_client.get(url("juror_film", film)),
        htmx(juror_client, url("juror_draft", film), form_data(criteria, {criteria[0]: "6"})),
    ]
    for response in pages:
        text = page(response)
        assert SECRET_COMMENT not in text
        assert "3,5" not in text and "9,5" not in text and "3.5" not in text


def test_the_president_does_not_see_the_scores_before_deliberation(
    client, president, jury, film, bruno_scored
):
    client.force_login(president)

    response = client.get(deliberation_url(jury))

    assert response.status_code == 200
    text = page(response)
    assert "La délibération n'est pas encore ouverte" in text
    assert SECRET_COMMENT not in text and "9,5" not in text


def test_organizers_do_not_see_the_scores_before_deliberation(organizer_client, jury, bruno_scored):
    text = page(organizer_client.get(deliberation_url(jury)))
    assert "La délibération n'est pas encore ouverte" in text
    assert SECRET_COMMENT not in text


# Deliberation.


@pytest.mark.parametrize("stranger", ["juror", "bruno", "teacher", "other_organizer"])
def test_deliberation_is_for_the_president_and_the_organizers(
    request, client, jury, edition, assignment, bruno_scored, stranger
):
    open_deliberation(edition)
    client.force_login(request.getfixturevalue(stranger))

    assert client.get(deliberation_url(jury)).status_code == 404
    assert client.post(decisions_url(jury), {"decisions": "Piraté"}).status_code == 404
    assert Jury.objects.get().decisions == ""


def test_a_president_of_another_jury_is_a_404(client, edition, category, jury, festival):
    other_president = factories.make_juror(festival)
    factories.make_jury(edition, categories=[category], president=other_president)
    open_deliberation(edition)
    client.force_login(other_president)
    assert client.get(deliberation_url(jury)).status_code == 404


@pytest.fixture
def deliberation(edition, jury, juror, bruno, film, criteria, festival):
    """Three jurors and a trainee have scored the film; the deliberation is open."""
    trainee = factories.make_juror(festival, first_name="Tom", last_name="Zola")
    factories.make_jury_member(jury, trainee, is_trainee=True)
    drafting = factories.make_juror(festival, first_name="Ines", last_name="Carre")
    scores = [
        (juror, "6", "8", "Bon rythme", True, EvaluationState.VALIDATED),
        (bruno, "3.5", "9.5", SECRET_COMMENT, False, EvaluationState.VALIDATED),
        (trainee, "10", "10", "Génial", True, EvaluationState.VALIDATED),
        (drafting, "1", "1", "", False, EvaluationState.DRAFT),
    ]
    for person, scenario, image, comment, favourite, state in scores:
        factories.make_assignment(jury=jury, juror=person, film=film)
        factories.make_evaluation(
            juror=person,
            film=film,
            scores={criteria[0]: D(scenario), criteria[1]: D(image)},
            comment=comment,
            favourite=favourite,
            state=state,
        )
    open_deliberation(edition)
    return {"trainee": trainee}


def test_the_president_sees_every_score_side_by_side(client, president, jury, deliberation):
    client.force_login(president)

    response = client.get(deliberation_url(jury))

    assert response.status_code == 200
    (item,) = response.context["films"]
    names = [c.member.juror.first_name for c in item.columns]
    assert names == ["Bruno", "Ines", "Hélène", "Marc", "Tom"]
    assert [c.counts for c in item.columns] == [True, False, False, True, False]
    scenario, image, son = item.rows
    assert scenario.cells == [D("3.5"), D("1"), None, D("6"), D("10")]
    assert (scenario.stats.mean, scenario.stats.minimum, scenario.stats.maximum) == (
        D("4.75"),
        D("3.5"),
        D("6"),
    )
    assert (scenario.stats.spread, scenario.stats.stdev) == (D("2.5"), D("1.25"))
    assert (image.stats.mean, image.stats.spread, image.stats.stdev) == (
        D("8.75"),
        D("1.5"),
        D("0.75"),
    )
    assert son.stats.count == 0
    # Sur 20: Bruno 20 × (2 × 0.35 + 0.95) / 3 = 11, Marc 20 × (2 × 0.6 + 0.8) / 3 = 13.33
    # Ines's draft: 20 × (2 × 0.1 + 0.1) / 3 = 2, the trainee's: 20
    assert item.on_20.cells == [D("11"), D("2"), None, D("13.3"), D("20")]
    assert (item.on_20.stats.mean, item.on_20.stats.spread) == (D("12.17"), D("2.3"))
    assert (item.on_20.stats.minimum, item.on_20.stats.maximum) == (D("11"), D("13.3"))
    assert item.on_20.stats.stdev == D("1.17")
    assert (item.favourites, item.trainee_favourites) == (1, 1)
    text = page(response)
    assert SECRET_COMMENT in text
    assert "Génial" in text
    assert "en formation" in text
    assert "1 coup de cœur" in text
    assert "(et 1 d'un juré en formation)" in text


def test_organizers_see_the_deliberation(organizer_client, jury, deliberation):
    response = organizer_client.get(deliberation_url(jury))
    assert response.status_code == 200
    assert SECRET_COMMENT in page(response)


def test_the_president_writes_the_jury_s_decisions(client, president, jury, deliberation):
    client.force_login(president)

    response = client.post(
        decisions_url(jury), {"decisions": "  Prix du jury : Les régleurs.  "}, follow=True
    )

    assert Jury.objects.get().decisions == "Prix du jury : Les régleurs."
    assert messages_of(response) == ["Les décisions du jury sont enregistrées."]
    assert "Prix du jury : Les régleurs.</textarea>" in page(response)


def test_decisions_wait_for_the_deliberation(client, president, jury):
    client.force_login(president)
    response = client.post(decisions_url(jury), {"decisions": "Trop tôt"}, follow=True)
    assert messages_of(response) == ["La délibération de ce jury n'est pas encore ouverte."]
    assert Jury.objects.get().decisions == ""


def test_deliberation_query_count_does_not_grow_with_films(
    client, president, jury, juror, teacher, category, criteria, edition, django_assert_num_queries
):
    client.force_login(president)
    make_scored_films(
        1, juror=juror, jury=jury, teacher=teacher, category=category, criteria=criteria
    )
    open_deliberation(edition)
    expected = count_queries(client, deliberation_url(jury))
    make_scored_films(
        29, juror=juror, jury=jury, teacher=teacher, category=category, criteria=criteria
    )

    with django_assert_num_queries(expected):
        response = client.get(deliberation_url(jury))

    assert len(response.context["films"]) == 30


def test_dashboard_query_count_does_not_grow_with_editions(
    juror_client, juror, festival, jury, teacher, category, criteria, django_assert_num_queries
):
    make_scored_films(
        1, juror=juror, jury=jury, teacher=teacher, category=category, criteria=criteria
    )
    expected = count_queries(juror_client, dashboard_url())
    for year in (2030, 2031):
        other = factories.make_edition(festival, is_current=False, year=year)
        other_category = factories.make_category(other)
        other_jury = factories.make_jury(other, categories=[other_category])
        make_scored_films(
            3,
            juror=juror,
            jury=other_jury,
            teacher=teacher,
            category=other_category,
            criteria=criteria,
        )

    with django_assert_num_queries(expected):
        response = juror_client.get(dashboard_url())

    assert [item["assigned"] for item in response.context["editions"]] == [1, 3, 3]

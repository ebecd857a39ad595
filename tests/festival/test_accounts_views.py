import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from freezegun import freeze_time

from festival.domain.accounts import invite_member, set_password_link
from festival.enums import Academie, ApprovalStatus, Role, StructureKind
from festival.models import Festival, Invitation, School, User
from tests import factories

LOGIN = reverse("festival:login")
AFTER_LOGIN = reverse("festival:after_login")
SIGNUP = reverse("festival:signup")
SEARCH = reverse("festival:school_search")
RESET = reverse("festival:password_reset")
SITE = "https://filmit.example.org"
NEW_PASSWORD = "Tournage-en-atelier-2027"
SIGNUP_DONE = (
    "Merci ! Un e-mail vient d'être envoyé à l'adresse {} : il vous dit la suite. Pensez à "
    "regarder dans les courriers indésirables."
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The login and password-reset counters live in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def logged_in_pk(client):
    return client.session.get(SESSION_KEY)


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Login, logout and after_login


def test_login_page(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert [f.label for f in response.context["form"]] == ["Adresse e-mail", "Mot de passe"]


def test_login_with_any_case_of_the_address(client, teacher):
    response = client.post(
        LOGIN, {"username": teacher.email.upper(), "password": factories.PASSWORD}
    )
    assert (response.status_code, response.url) == (302, AFTER_LOGIN)
    assert logged_in_pk(client) == str(teacher.pk)


def test_login_with_a_wrong_password(client, teacher):
    response = client.post(LOGIN, {"username": teacher.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, ou choisissez un nouveau mot "
        "de passe avec « Mot de passe oublié ? »."
    ]
    assert logged_in_pk(client) is None


def test_login_follows_a_safe_next(client, teacher):
    response = client.post(
        LOGIN,
        {"username": teacher.email, "password": factories.PASSWORD, "next": "/enseignant/"},
    )
    assert response.url == "/enseignant/"


def test_login_ignores_an_outside_next(client, teacher):
    response = client.post(
        LOGIN,
        {
            "username": teacher.email,
            "password": factories.PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == AFTER_LOGIN


def test_login_of_a_pending_teacher_ignores_next(client, pending_teacher):
    response = client.post(
        LOGIN,
        {"username": pending_teacher.email, "password": factories.PASSWORD, "next": "/enseignant/"},
    )
    assert response.url == AFTER_LOGIN


def test_login_page_sends_a_logged_in_user_on(client, teacher):
    client.force_login(teacher)
    response = client.get(LOGIN)
    assert (response.status_code, response.url) == (302, AFTER_LOGIN)


def test_login_of_an_inactive_user_fails(client, teacher):
    teacher.is_active = False
    teacher.save()
    response = client.post(LOGIN, {"username": teacher.email, "password": factories.PASSWORD})
    assert (response.status_code, logged_in_pk(client)) == (200, None)


@pytest.mark.parametrize(
    ("user_fixture", "target"),
    [
        ("teacher", "festival:teacher_dashboard"),
        ("organizer", "festival:organizer_dashboard"),
        ("juror", "judging:juror_dashboard"),
    ],
)
def test_after_login_redirects_by_role(client, db, request, user_fixture, target):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(AFTER_LOGIN)
    assert (response.status_code, response.url) == (302, reverse(target))


def test_after_login_of_a_platform_operator(client, db):
    admin = User.objects.create_superuser(email="admin@example.org", password="x")
    client.force_login(admin)
    assert client.get(AFTER_LOGIN).url == reverse("admin:index")


def test_after_login_of_a_staff_organizer_without_festival_is_not_sent_to_the_admin(client, db):
    staff = factories.make_user(role=Role.ORGANIZER, is_staff=True)
    client.force_login(staff)
    assert client.get(AFTER_LOGIN).url == reverse("public:home")


def test_only_superusers_see_the_administration_link(client, organizer):
    organizer.is_staff = True
    organizer.save(update_fields=["is_staff"])
    client.force_login(organizer)
    assert "Administration" not in client.get(reverse("public:home")).text
    organizer.is_superuser = True
    organizer.save(update_fields=["is_superuser"])
    assert "Administration" in client.get(reverse("public:home")).text


def test_pending_teacher_logs_in_and_sees_their_account_awaits(client, pending_teacher):
    response = client.post(
        LOGIN, {"username": pending_teacher.email, "password": factories.PASSWORD}, follow=True
    )
    assert response.redirect_chain == [(AFTER_LOGIN, 302)]
    assert [t.name for t in response.templates][0] == "festival/accounts/account_pending.html"
    assert response.context["user"] == pending_teacher


def test_refused_teacher_sees_the_refusal(client, pending_teacher):
    pending_teacher.memberships.update(approval=ApprovalStatus.REFUSED, refusal_reason="Inconnu")
    response = client.post(
        LOGIN, {"username": pending_teacher.email, "password": factories.PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "festival/accounts/account_refused.html"


def test_after_login_requires_login(client):
    response = client.get(AFTER_LOGIN)
    assert response.url == f"{LOGIN}?next={AFTER_LOGIN}"


def test_logout_is_post_only(teacher_client):
    response = teacher_client.get(reverse("festival:logout"))
    assert response.status_code == 405
    assert logged_in_pk(teacher_client) is not None


def test_logout(teacher_client):
    response = teacher_client.post(reverse("festival:logout"))
    assert (response.status_code, response.url) == (302, reverse("public:home"))
    assert logged_in_pk(teacher_client) is None
    assert message_texts(response) == ["Vous êtes déconnecté. À bientôt !"]


# Sign-up


def signup_data(**kw):
    festival = Festival.objects.order_by("pk").first() or factories.make_festival()
    data = {
        "festival": festival.pk,
        "first_name": "Claire",
        "last_name": "Girard",
        "email": "Claire.Girard@ac-besancon.fr",
        "phone": "03 81 00 00 00",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "school": "",
        "uai": "",
        "school_name": "",
        "school_town": "",
        "school_academie": "",
    }
    return {**data, **kw}


def test_signup_page(client, db):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assert (response.context["query"], response.context["schools"]) == ("", [])


def test_signup_with_a_school_from_the_list(
    client, school, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(school=school.pk))
    assert (response.status_code, response.url) == (302, LOGIN)
    assert message_texts(response) == [SIGNUP_DONE.format("claire.girard@ac-besancon.fr")]
    user = User.objects.get(email="claire.girard@ac-besancon.fr")
    assert list(user.memberships.values_list("festival", "approval")) == [
        (organizer.festival_id, ApprovalStatus.PENDING)
    ]
    assert (user.role, user.school, user.phone, user.language) == (
        Role.TEACHER,
        school,
        "03 81 00 00 00",
        "fr",
    )
    # Not logged in: a taken address could not be, and the two answers must be the same.
    assert logged_in_pk(client) is None
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["claire.girard@ac-besancon.fr"], "FILM'IT : votre inscription est enregistrée"),
        (
            [organizer.email],
            "FILM'IT Franche-Comté : nouvelle inscription à valider (Claire Girard)",
        ),
    ]
    client.post(LOGIN, {"username": user.email, "password": NEW_PASSWORD})
    pending_page = client.get(AFTER_LOGIN)
    assert [t.name for t in pending_page.templates][0] == "festival/accounts/account_pending.html"


def test_signup_in_english_keeps_the_language(client, school):
    client.post(SIGNUP, signup_data(school=school.pk), headers={"accept-language": "en"})
    assert User.objects.get(email="claire.girard@ac-besancon.fr").language == "en"


def test_signup_with_a_taken_address_answers_as_for_a_new_one(
    site, school, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    for email in ("nouvelle@example.org", teacher.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(SIGNUP, signup_data(school=school.pk, email=email))
        page = Client().get(response.url)  # what the visitor sees next, without their message
        answers.append((response.status_code, response.url, message_texts(response), page.content))
    new, taken = answers
    assert taken[:2] == new[:2] == (302, LOGIN)
    assert (new[2], taken[2]) == (
        [SIGNUP_DONE.format("nouvelle@example.org")],
        [SIGNUP_DONE.format(teacher.email)],
    )
    assert re.sub(rb'value="[^"]+"', b"", taken[3]) == re.sub(rb'value="[^"]+"', b"", new[3])
    assert User.objects.filter(email__in=["nouvelle@example.org", teacher.email]).count() == 2
    assert [(m.to, m.subject) for m in mailoutbox][-1] == (
        [teacher.email],
        "FILM'IT : inscription avec votre adresse",
    )
    owner_mail = mailoutbox[-1].body
    assert "Quelqu'un a voulu créer un compte" in owner_mail
    assert f"{SITE}{RESET}" in owner_mail


def test_signup_with_a_taken_address_changes_no_account(
    client, school, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    password = teacher.password
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP, signup_data(school=school.pk, email=teacher.email.upper(), first_name="X")
        )
    assert (response.status_code, response.url) == (302, LOGIN)
    assert logged_in_pk(client) is None
    assert list(User.objects.values_list("email", "first_name", "password")) == [
        (teacher.email, "Claire", password)
    ]
    assert [m.to for m in mailoutbox] == [[teacher.email]]


def test_signup_with_a_taken_address_adds_the_school_as_for_a_new_one(client, teacher):
    """Whether a typed-in school appears in the search must not tell a taken address either."""
    data = signup_data(
        email=teacher.email,
        uai="0250007X",
        school_name="Lycée Victor Hugo",
        school_town="Besançon",
        school_academie=Academie.BESANCON,
        school_kind=StructureKind.LYCEE_GT,
    )
    response = client.post(SIGNUP, data)
    assert response.url == LOGIN
    assert School.objects.filter(uai="0250007X").count() == 1


def test_signup_with_an_invalid_uai(client, db):
    data = signup_data(
        uai="0250007Y", school_name="Lycée", school_town="Besançon", school_academie="besancon"
    )
    response = client.post(SIGNUP, data)
    assert response.context["form"].errors == {
        "uai": ["Ce code UAI n'existe pas : la lettre de contrôle ne correspond pas aux chiffres."]
    }
    assert response.context["form"].adds_school is True
    assert User.objects.count() == 0


def test_signup_with_a_badly_formed_uai(client, db):
    response = client.post(SIGNUP, signup_data(uai="25007"))
    assert response.context["form"].errors == {
        "uai": ["Le code UAI doit comporter 7 chiffres suivis d'une lettre, par exemple 0250007X."]
    }


def test_signup_adding_a_new_school(client, db):
    data = signup_data(
        uai="0250007x",
        school_name="Lycée Victor Hugo",
        school_town="Besançon",
        school_academie=Academie.BESANCON,
        school_kind=StructureKind.LYCEE_GT,
    )
    response = client.post(SIGNUP, data)
    assert response.url == LOGIN
    school = School.objects.get()
    assert (school.uai, school.siret, school.name, school.town, school.academie, school.kind) == (
        "0250007X",
        None,
        "Lycée Victor Hugo",
        "Besançon",
        Academie.BESANCON,
        StructureKind.LYCEE_GT,
    )
    assert User.objects.get().school == school


def test_signup_with_the_uai_of_a_known_school_uses_it(client, school):
    response = client.post(SIGNUP, signup_data(uai=school.uai))
    assert response.url == LOGIN
    assert (School.objects.count(), User.objects.get().school) == (1, school)


def test_signup_adding_a_school_needs_its_details(client, db):
    response = client.post(SIGNUP, signup_data(uai="0250007X"))
    message = "Ce champ est nécessaire pour ajouter votre établissement."
    assert response.context["form"].errors == {
        "school_name": [message],
        "school_town": [message],
        "school_academie": [message],
        "school_kind": [message],
    }


def test_signup_needs_a_school(client, db):
    response = client.post(SIGNUP, signup_data())
    assert response.context["form"].errors == {
        "school": [
            "Choisissez votre établissement dans la liste, ou ajoutez-le avec son code UAI s'il "
            "n'y figure pas."
        ]
    }


def test_signup_refuses_a_school_and_another_uai(client, school):
    response = client.post(SIGNUP, signup_data(school=school.pk, uai="0250007X"))
    assert list(response.context["form"].errors) == ["uai"]


def test_signup_checks_the_passwords(client, school):
    response = client.post(
        SIGNUP, signup_data(school=school.pk, password1=NEW_PASSWORD, password2="autre-chose-123")
    )
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["password2"]] == ["password_mismatch"]


def test_signup_applies_the_password_validators(client, school):
    response = client.post(SIGNUP, signup_data(school=school.pk, password1="123", password2="123"))
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["password2"]] == [
        "password_too_short",
        "password_too_common",
        "password_entirely_numeric",
    ]


def test_signup_refuses_a_password_like_the_name(client, school):
    response = client.post(
        SIGNUP,
        signup_data(
            school=school.pk,
            password1="claire.girard@ac-besancon.fr",
            password2="claire.girard@ac-besancon.fr",
        ),
    )
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["password2"]] == ["password_too_similar"]


def test_signup_checks_the_phone(client, school):
    response = client.post(SIGNUP, signup_data(school=school.pk, phone="appelez-moi"))
    assert response.context["form"].errors == {
        "phone": ["Indiquez un numéro de téléphone valide, par exemple 03 81 00 00 00."]
    }


def test_signup_sends_a_logged_in_user_on(teacher_client):
    assert teacher_client.get(SIGNUP).url == AFTER_LOGIN


# School search


@pytest.fixture
def schools(db):
    return {
        "haag": factories.make_school(uai="0250001R", name="Lycée Jules Haag", town="Besançon"),
        "conde": factories.make_school(uai="0250002S", name="Lycée Condé", town="Besançon"),
        "pergaud": factories.make_school(
            uai="0251234M", name="Collège Louis Pergaud", town="Pontarlier"
        ),
        "cuvier": factories.make_school(
            uai="0250008Y", name="Lycée Georges Cuvier", town="Montbéliard"
        ),
    }


RADIO_RE = re.compile(r'<input type="radio" name="school" id="school-\w+" value="(\d*)"')


def radio_values(response):
    return RADIO_RE.findall(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("besan", ["conde", "haag"]),
        ("lycée", ["conde", "cuvier", "haag"]),
        ("haag besan", ["haag"]),
        ("pontarlier", ["pergaud"]),
        ("02500", ["haag", "conde", "cuvier"]),
        ("0250 001r", ["haag"]),
        ("0251234M", ["pergaud"]),
        ("introuvable", []),
    ],
)
def test_school_search_partial(client, schools, query, expected):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    found = sorted(schools[key].pk for key in expected)
    assert sorted(s.pk for s in response.context["schools"]) == found
    # Radio buttons for each school, then "none of these" when there is a list.
    assert sorted(int(v) for v in radio_values(response) if v) == found
    assert radio_values(response).count("") == (1 if expected else 0)
    assert response.content.decode().lstrip().startswith("<") is True
    assert "<html" not in response.content.decode()


def test_school_search_lists_by_name(client, schools):
    response = client.get(SEARCH, {"q": "lycée"})
    assert [s.name for s in response.context["schools"]] == [
        "Lycée Condé",
        "Lycée Georges Cuvier",
        "Lycée Jules Haag",
    ]


def test_school_search_needs_two_characters(client, schools):
    response = client.get(SEARCH, {"q": "l"})
    assert (response.context["schools"], response.context["too_short"]) == ([], True)


def test_school_search_keeps_twenty_and_says_there_are_more(client, db):
    for n in range(25):
        factories.make_school(name=f"Collège {n:02d}")
    response = client.get(SEARCH, {"q": "collège"})
    assert [s.name for s in response.context["schools"]] == [f"Collège {n:02d}" for n in range(20)]
    assert response.context["truncated"] is True


def test_school_search_queries(client, schools, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(SEARCH, {"q": "lycée"})


def test_school_search_from_htmx_updates_the_address(client, schools):
    response = client.get(SEARCH, {"q": "haag besan"}, headers={"hx-request": "true"})
    assert response["HX-Replace-Url"] == f"{SIGNUP}?q=haag+besan"


def test_signup_page_searches_without_javascript(client, schools):
    response = client.get(SIGNUP, {"q": "pontarlier"})
    assert response.context["query"] == "pontarlier"
    assert radio_values(response) == [str(schools["pergaud"].pk), ""]


def test_school_search_is_get_only(client, db):
    assert client.post(SEARCH, {"q": "lycée"}).status_code == 405


# Invitations and set_password


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE


def invite(festival, organizer):
    return invite_member(
        email="marc.petit@example.org",
        first_name="Marc",
        last_name="Petit",
        role=Role.JUROR,
        festival=festival,
        invited_by=organizer,
    )


def form_url_for(link):
    """Where the emailed link leads once its token is tucked away in the session."""
    uid = link.split("/")[-3]
    return reverse("festival:set_password", args=[uid, "nouveau"])


def emailed_link(message):
    links = [line for line in message.body.splitlines() if "/compte/mot-de-passe/" in line]
    return links[0].removeprefix(SITE)


def test_invitation_end_to_end(
    client, site, festival, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(festival, organizer)
    link = emailed_link(mailoutbox[0])
    # Not compared with a fresh set_password_link(): tokens carry the time, to the second.
    match = resolve(link)
    assert (match.view_name, force_str(urlsafe_base64_decode(match.kwargs["uidb64"]))) == (
        "festival:set_password",
        str(user.pk),
    )
    assert default_token_generator.check_token(user, match.kwargs["token"]) is True

    response = client.get(link)
    form_url = form_url_for(link)
    assert (response.status_code, response.url) == (302, form_url)
    response = client.get(form_url)
    assert response.status_code == 200
    assert response.context["account"] == user

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (response.status_code, response.url) == (302, AFTER_LOGIN)
    assert logged_in_pk(client) == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) is True
    assert Invitation.objects.get(user=user).accepted_at is not None
    assert message_texts(response) == ["Votre mot de passe est enregistré. Bienvenue !"]

    # The link served once: it is no good any more, even in a fresh browser.
    client.logout()
    response = client.get(link)
    assert [t.name for t in response.templates][0] == "festival/accounts/set_password_invalid.html"
    response = client.post(
        form_url, {"new_password1": "Autre-mot-2027", "new_password2": "Autre-mot-2027"}
    )
    assert [t.name for t in response.templates][0] == "festival/accounts/set_password_invalid.html"


def test_set_password_refuses_a_weak_password(client, festival, organizer):
    user = invite(festival, organizer)
    link = set_password_link(user)
    client.get(link)
    response = client.post(form_url_for(link), {"new_password1": "marc", "new_password2": "marc"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    user.refresh_from_db()
    assert user.has_usable_password() is False


def invalid_page(response):
    return (response.status_code, [t.name for t in response.templates][0])


INVALID = (200, "festival/accounts/set_password_invalid.html")


def test_set_password_with_a_tampered_token(client, festival, organizer):
    link = set_password_link(invite(festival, organizer))
    tampered = link[:-2] + ("a" if link[-2] != "a" else "b") + "/"
    assert invalid_page(client.get(tampered)) == INVALID


def test_set_password_with_someone_elses_uid(client, festival, organizer, teacher):
    token = set_password_link(invite(festival, organizer)).split("/")[-2]
    other = set_password_link(teacher).split("/")[-3]
    url = reverse("festival:set_password", args=[other, token])
    assert invalid_page(client.get(url)) == INVALID


def test_set_password_with_a_garbled_uid(client, db):
    url = reverse("festival:set_password", args=["!!", "abc-def"])
    assert invalid_page(client.get(url)) == INVALID


def test_set_password_with_an_expired_token(client, festival, organizer, monkeypatch):
    link = set_password_link(invite(festival, organizer))
    later = datetime.now() + timedelta(days=15)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert invalid_page(client.get(link)) == INVALID


def test_set_password_form_without_a_token_in_session(client, festival, organizer):
    url = form_url_for(set_password_link(invite(festival, organizer)))
    assert invalid_page(client.get(url)) == INVALID


def test_set_password_for_an_inactive_account(client, festival, organizer):
    user = invite(festival, organizer)
    link = set_password_link(user)
    user.is_active = False
    user.save()
    assert invalid_page(client.get(link)) == INVALID


# Password reset


def test_password_reset_page(client, db):
    assert client.get(RESET).status_code == 200


def test_password_reset_does_not_reveal_who_has_an_account(
    site, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    for email in (teacher.email, "personne@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(RESET, {"email": email})
        answers.append((response.status_code, response.url, message_texts(response)))
    expected = (
        "Si un compte existe avec l'adresse {}, un e-mail vient de lui être envoyé avec un lien "
        "pour choisir un nouveau mot de passe. Pensez à regarder dans les courriers indésirables."
    )
    assert answers == [
        (302, LOGIN, [expected.format(teacher.email)]),
        (302, LOGIN, [expected.format("personne@example.org")]),
    ]
    assert [m.to for m in mailoutbox] == [[teacher.email]]


def test_password_reset_link_sets_a_new_password(
    client, site, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": teacher.email})
    response = client.get(emailed_link(mailoutbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [
        (AFTER_LOGIN, 302),
        (reverse("festival:teacher_dashboard"), 302),
    ]
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD) is True


def test_password_reset_needs_an_address(client, db):
    response = client.post(RESET, {"email": "pas-une-adresse"})
    assert list(response.context["form"].errors) == ["email"]


# Throttling of login and password reset

THROTTLED_LOGIN = "Trop de tentatives de connexion : réessayez dans quelques minutes."
THROTTLED_RESET = "Trop de demandes de nouveau mot de passe : réessayez dans quelques minutes."


@pytest.fixture
def limits(settings):
    """Small limits, and a clock stopped at the start of a window: no test straddles two."""
    settings.LOGIN_MAX_PER_ACCOUNT = 3
    settings.LOGIN_MAX_PER_IP = 5
    settings.PASSWORD_RESET_MAX_PER_ACCOUNT = 2
    settings.PASSWORD_RESET_MAX_PER_IP = 4
    with freeze_time(datetime(2027, 3, 1, 9, 0, tzinfo=UTC)) as clock:
        yield clock


def log_in(email, password, ip="192.0.2.1"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": email, "password": password})


def test_login_is_throttled_per_account_without_checking_the_password(teacher, limits, monkeypatch):
    for _ in range(3):
        assert log_in(teacher.email, "nope").status_code == 200
    checked = []
    monkeypatch.setattr(
        "django.contrib.auth.backends.ModelBackend.authenticate",
        lambda *args, **kwargs: checked.append(kwargs),
    )
    # From another address, with the right password: the account is locked for now.
    response = log_in(teacher.email, factories.PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [THROTTLED_LOGIN]
    assert THROTTLED_LOGIN.replace("'", "&#x27;") in response.content.decode()
    assert checked == []


def test_login_is_throttled_per_ip_address(teacher, limits, db):
    for number in range(5):
        assert log_in(f"inconnu{number}@example.org", "nope").status_code == 200
    response = log_in(teacher.email, factories.PASSWORD)
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [THROTTLED_LOGIN]


def test_login_throttling_leaves_users_of_other_addresses_alone(teacher, other_teacher, limits):
    for number in range(5):
        log_in(f"inconnu{number}@example.org", "nope", ip="203.0.113.66")
    assert log_in(f"inconnu{number}@example.org", "nope", ip="203.0.113.66").status_code == 429
    response = log_in(teacher.email, factories.PASSWORD, ip="192.0.2.1")
    assert (response.status_code, response.url) == (302, AFTER_LOGIN)


def test_login_counts_only_failures(teacher, limits):
    for _ in range(5):
        assert log_in(teacher.email, factories.PASSWORD).status_code == 302
    assert log_in(teacher.email, factories.PASSWORD).status_code == 302


def test_a_successful_login_does_not_reset_the_count_of_others(teacher, limits):
    for number in range(4):
        log_in(f"inconnu{number}@example.org", "nope")
    assert log_in(teacher.email, factories.PASSWORD).status_code == 302
    log_in("inconnu4@example.org", "nope")
    assert log_in(teacher.email, factories.PASSWORD).status_code == 429


def test_login_throttling_lasts_a_window_of_fifteen_minutes(teacher, limits):
    for _ in range(3):
        log_in(teacher.email, "nope")
    limits.tick(timedelta(minutes=14))
    assert log_in(teacher.email, factories.PASSWORD).status_code == 429
    limits.tick(timedelta(minutes=1))
    assert log_in(teacher.email, factories.PASSWORD).status_code == 302


def reset(email, ip="192.0.2.1"):
    return Client(REMOTE_ADDR=ip).post(RESET, {"email": email})


def test_password_reset_is_throttled_per_account(
    teacher, limits, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [reset(teacher.email, ip=f"192.0.2.{n}").status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert [m.to for m in mailoutbox] == [[teacher.email]] * 2


def test_password_reset_is_throttled_per_ip_address(
    teacher, limits, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [reset(f"inconnu{n}@example.org").status_code for n in range(4)]
        response = reset(teacher.email)
    assert (answers, response.status_code) == ([302] * 4, 429)
    assert response.context["form"].non_field_errors() == [THROTTLED_RESET]
    assert mailoutbox == []
    # Someone else, elsewhere, still gets their link.
    assert reset(teacher.email, ip="198.51.100.7").status_code == 302


def test_password_reset_throttling_lasts_a_window_of_fifteen_minutes(teacher, limits):
    assert [reset(teacher.email).status_code for _ in range(3)] == [302, 302, 429]
    limits.tick(timedelta(minutes=15))
    assert reset(teacher.email).status_code == 302

"""Accounts: login and logout, teacher sign-up, invitations and forgotten passwords."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from festival.domain import DomainError
from festival.domain.accounts import (
    accept_invitation,
    add_school,
    add_structure,
    password_reset_throttled,
    register_teacher,
    request_membership,
    request_password_reset,
)
from festival.enums import ApprovalStatus, Role
from festival.forms.accounts import (
    JoinFestivalForm,
    LoginForm,
    PasswordResetRequestForm,
    SchoolSearchForm,
    SignupForm,
)
from festival.models import Festival, School, User
from festival.rules import working_festival

# The set-password link's token is moved into the session, then out of the address bar, so
# that it never leaks through the browser history or a Referer header (as Django does).
SET_PASSWORD_SESSION_KEY = "_festival_set_password_token"
SET_PASSWORD_URL_TOKEN = "nouveau"


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "festival/accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        user = self.request.user
        # A teacher whose account is not validated could not open the page they asked for:
        # their status page, behind after_login, explains why.
        if user.is_authenticated and user.role == Role.TEACHER and not user.is_teacher:
            return ""
        return super().get_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


login_view = LoginView.as_view()


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("Vous êtes déconnecté. À bientôt !"))
    return redirect("public:home")


@login_required
def after_login(request):
    """Send everyone to their own space once logged in."""
    user = request.user
    if user.role == Role.TEACHER:
        if user.is_teacher:
            return redirect("festival:teacher_dashboard")
        memberships = list(user.memberships.select_related("festival"))
        if memberships and all(m.approval == ApprovalStatus.REFUSED for m in memberships):
            template = "festival/accounts/account_refused.html"
        else:
            template = "festival/accounts/account_pending.html"
        return render(request, template, {"memberships": memberships})
    if user.is_organizer:
        if working_festival(user) is not None:
            return redirect("festival:organizer_dashboard")
        if user.is_superuser:
            return redirect("admin:index")
    if user.is_juror:
        return redirect("judging:juror_dashboard")
    return redirect("public:home")


def _school_results(search: SchoolSearchForm, selected: School | None = None) -> dict:
    schools, truncated = search.results()
    if selected is not None and selected not in schools:
        # The school chosen before a failed submission stays chosen.
        schools = [selected, *schools]
    return {
        "query": search.query,
        "schools": schools,
        "truncated": truncated,
        "too_short": search.too_short,
        "selected_school_id": selected.pk if selected else None,
    }


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("festival:after_login")
    chosen = Festival.objects.filter(slug=request.GET.get("festival", "")).first()
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            _register_teacher(form)
            # The same answer whether the address was free or taken (its owner gets an email
            # instead): nobody may find out who has an account.
            messages.success(
                request,
                _(
                    "Merci ! Un e-mail vient d'être envoyé à l'adresse %(email)s : il vous dit "
                    "la suite. Pensez à regarder dans les courriers indésirables."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("festival:login")
        selected = form.cleaned_data.get("school")
    else:
        form = SignupForm(festival=chosen)
        selected = None
    context = {"form": form, **_school_results(SchoolSearchForm(request.GET), selected)}
    return render(request, "festival/accounts/signup.html", context)


def _register_teacher(form: SignupForm) -> User | None:
    data = form.cleaned_data
    # A school typed in is added whether the address was free or not: its appearing in the
    # search must not tell either.
    with transaction.atomic():
        school = data["school"]
        if school is None and form.with_siret:
            school = add_structure(
                siret=data["siret"],
                name=data["structure_name"],
                town=data["structure_town"],
                academie=data["structure_academie"],
                kind=data["structure_kind"],
            )
        elif school is None:
            school = add_school(
                uai=data["uai"],
                name=data["school_name"],
                town=data["school_town"],
                academie=data["school_academie"],
                kind=data["school_kind"],
            )
        return register_teacher(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            school=school,
            festival=data["festival"],
            phone=data["phone"],
            language=translation.get_language() or "fr",
        )


@login_required
def teacher_festivals(request):
    """A teacher's festivals, with the answer of each, and a request to join one more."""
    user = request.user
    if user.role != Role.TEACHER:
        raise Http404
    form = JoinFestivalForm(request.POST or None, teacher=user)
    if request.method == "POST" and form.is_valid():
        festival = form.cleaned_data["festival"]
        try:
            request_membership(teacher=user, festival=festival)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée à l'organisation du festival %(festival)s : "
                    "vous recevrez sa réponse par e-mail."
                )
                % {"festival": festival.name},
            )
        return redirect("festival:teacher_festivals")
    memberships = user.memberships.filter(role=Role.TEACHER).select_related("festival")
    return render(
        request,
        "festival/accounts/teacher_festivals.html",
        {"memberships": memberships, "form": form},
    )


@require_GET
def school_search(request):
    """The list of matching schools, swapped into the sign-up form by htmx."""
    search = SchoolSearchForm(request.GET)
    # Rendered without the request: the fragment needs no context processor, and a live
    # search then costs a single query per keystroke.
    response = HttpResponse(
        render_to_string("festival/accounts/signup.html#school_results", _school_results(search))
    )
    if request.headers.get("HX-Request"):
        # A reload, or the form posted after a live search, keeps the same results.
        query = urlencode({"q": search.query}) if search.query else ""
        response["HX-Replace-Url"] = reverse("festival:signup") + (f"?{query}" if query else "")
    return response


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def set_password(request, uidb64, token):
    """Invited jurors and organizers, and anyone who forgot theirs, choose a password."""
    user = _user_from_uidb64(uidb64)
    if token != SET_PASSWORD_URL_TOKEN:
        if user is not None and default_token_generator.check_token(user, token):
            request.session[SET_PASSWORD_SESSION_KEY] = token
            return redirect("festival:set_password", uidb64=uidb64, token=SET_PASSWORD_URL_TOKEN)
        return render(request, "festival/accounts/set_password_invalid.html")
    token = request.session.get(SET_PASSWORD_SESSION_KEY, "")
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "festival/accounts/set_password_invalid.html")
    if request.method == "POST":
        form = SetPasswordForm(user, request.POST)
        if form.is_valid():
            accept_invitation(user=user, password=form.cleaned_data["new_password1"])
            del request.session[SET_PASSWORD_SESSION_KEY]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Votre mot de passe est enregistré. Bienvenue !"))
            return redirect("festival:after_login")
    else:
        form = SetPasswordForm(user)
    return render(request, "festival/accounts/set_password.html", {"form": form, "account": user})


def password_reset(request):
    if request.method == "POST":
        form = PasswordResetRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if password_reset_throttled(email=email, ip=request.META.get("REMOTE_ADDR")):
                form.add_error(
                    None,
                    _(
                        "Trop de demandes de nouveau mot de passe : réessayez dans quelques "
                        "minutes."
                    ),
                )
                return render(
                    request, "festival/accounts/password_reset.html", {"form": form}, status=429
                )
            request_password_reset(email=email)
            # The same answer whether the address has an account or not.
            messages.success(
                request,
                _(
                    "Si un compte existe avec l'adresse %(email)s, un e-mail vient de lui être "
                    "envoyé avec un lien pour choisir un nouveau mot de passe. Pensez à regarder "
                    "dans les courriers indésirables."
                )
                % {"email": email},
            )
            return redirect("festival:login")
    else:
        form = PasswordResetRequestForm()
    return render(request, "festival/accounts/password_reset.html", {"form": form})

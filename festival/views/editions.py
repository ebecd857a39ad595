"""The organizers' set-up pages: the festival's presentation, its editions and their calendar,
categories and trades, and next year's edition prepared from this one.

Every object is reached through `festival.rules`: an organizer only ever sets up their festival.
"""

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from festival.domain import DomainError
from festival.domain.editions import (
    category_in_use,
    create_category,
    create_edition,
    create_trade,
    delete_category,
    delete_trade,
    next_edition_title,
    prepare_next_edition,
    trade_in_use,
    update_category,
    update_edition,
    update_festival,
    update_trade,
)
from festival.forms.editions import (
    CategoryForm,
    EditionForm,
    FestivalForm,
    TradeForm,
    TradePageForm,
    training_link_formset,
)
from festival.models import Film
from festival.rules import (
    editable_trades_for_organizer,
    editions_for_organizer,
    get_category_for_organizer,
    get_edition_for_organizer,
    get_trade_for_organizer,
    organizer_required,
    trades_for_organizer,
)
from festival.setup import SetupStep, steps_from_other_apps
from festival.views.organizer import TIMELINE

# The festival


@organizer_required
def festival_edit(request):
    festival = request.user.festival
    form = FestivalForm(request.POST or None, instance=festival)
    if request.method == "POST" and form.is_valid():
        update_festival(festival=festival, organizer=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("La présentation du festival est enregistrée : le public la voit dès maintenant."),
        )
        return redirect("festival:organizer_editions")
    return render(request, "festival/organizer/editions/festival_form.html", {"form": form})


# Editions


@organizer_required
def edition_list(request):
    editions = (
        editions_for_organizer(request.user)
        .annotate(
            category_count=Count("categories", distinct=True),
            film_count=Count("films", distinct=True),
        )
        .order_by("-year")
    )
    return render(
        request,
        "festival/organizer/editions/edition_list.html",
        {"festival": request.user.festival, "editions": editions},
    )


def _save_edition_form(request, form, edition=None):
    """The domain's refusals (calendar, year) go beside their fields."""
    values = form.values()
    try:
        if edition is None:
            return create_edition(
                festival=request.user.festival,
                organizer=request.user,
                is_current=form.cleaned_data["is_current"],
                **values,
            )
        return update_edition(
            edition=edition,
            organizer=request.user,
            is_current=form.cleaned_data["is_current"],
            **values,
        )
    except DomainError as error:
        form.add_error(None, error)
        return None


@organizer_required
def edition_create(request):
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        edition = _save_edition_form(request, form)
        if edition is not None:
            messages.success(
                request,
                _(
                    "L'édition « %(title)s » est créée. Ajoutez maintenant ses catégories, "
                    "puis sa grille d'évaluation et ses prix."
                )
                % {"title": edition.title},
            )
            return redirect("festival:organizer_edition", pk=edition.pk)
    return render(
        request, "festival/organizer/editions/edition_form.html", {"form": form, "edition": None}
    )


@organizer_required
def edition_edit(request, pk):
    edition = get_edition_for_organizer(request.user, pk)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        if _save_edition_form(request, form, edition) is not None:
            messages.success(
                request,
                _("L'édition « %(title)s » est enregistrée.") % {"title": edition.title},
            )
            return redirect("festival:organizer_edition", pk=edition.pk)
        edition.refresh_from_db()
    return render(
        request,
        "festival/organizer/editions/edition_form.html",
        {"form": form, "edition": edition},
    )


def _own_steps(edition, categories) -> list[SetupStep]:
    dates = [getattr(edition, name) for name, _opens in TIMELINE if name != "palmares_published_at"]
    return [
        SetupStep(
            label=_("Calendrier"),
            done=all(dates),
            summary=_("Dépôts du %(start)s au %(end)s")
            % {
                "start": date_format(timezone.localtime(edition.submissions_open_at)),
                "end": date_format(timezone.localtime(edition.submissions_close_at)),
            },
            url=_edition_url("festival:organizer_edition_edit", edition),
            link_label=_("Modifier l'édition et ses dates"),
        ),
        SetupStep(
            label=_("Catégories"),
            done=bool(categories),
            summary=", ".join(category.name for category in categories)
            or _("Aucune catégorie pour l'instant."),
            url=_edition_url("festival:organizer_category_create", edition),
            link_label=_("Ajouter une catégorie"),
        ),
    ]


def _edition_url(name: str, edition) -> str:
    return reverse(name, args=[edition.pk])


@organizer_required
def edition_detail(request, pk):
    edition = get_edition_for_organizer(request.user, pk)
    film_exists = Film.objects.filter(category=OuterRef("pk"))
    categories = list(
        edition.categories.annotate(film_count=Count("films"), in_use=Exists(film_exists)).order_by(
            "position", "name"
        )
    )
    for category in categories:
        duration = category.max_duration
        category.max_minutes = int(duration.total_seconds() // 60) if duration else None
    steps = _own_steps(edition, categories) + steps_from_other_apps(edition)
    next_exists = editions_for_organizer(request.user).filter(year=edition.year + 1).exists()
    return render(
        request,
        "festival/organizer/editions/edition_detail.html",
        {
            "edition": edition,
            "categories": categories,
            "steps": steps,
            "next_exists": next_exists,
        },
    )


@organizer_required
def edition_prepare_next(request, pk):
    """GET: what will be copied (check your answers); POST: copy it."""
    edition = get_edition_for_organizer(request.user, pk)
    if request.method == "POST":
        try:
            target = prepare_next_edition(source=edition, organizer=request.user)
        except DomainError as error:
            messages.error(request, error.text)
            return redirect("festival:organizer_edition", pk=edition.pk)
        messages.success(
            request,
            _(
                "L'édition « %(title)s » est préparée. Vérifiez ses dates et son thème, puis "
                "passez-la « en cours » pour ouvrir les inscriptions."
            )
            % {"title": target.title},
        )
        return redirect("festival:organizer_edition", pk=target.pk)
    next_exists = editions_for_organizer(request.user).filter(year=edition.year + 1).exists()
    return render(
        request,
        "festival/organizer/editions/edition_prepare_next.html",
        {
            "edition": edition,
            "next_year": edition.year + 1,
            "next_title": next_edition_title(edition),
            "next_exists": next_exists,
            "categories": edition.categories.order_by("position", "name"),
        },
    )


# Categories


@organizer_required
def category_create(request, edition_pk):
    edition = get_edition_for_organizer(request.user, edition_pk)
    form = CategoryForm(request.POST or None, initial={"position": edition.categories.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            category = create_category(edition=edition, organizer=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "La catégorie « %(name)s » est ajoutée : les enseignants peuvent y inscrire "
                    "leurs films."
                )
                % {"name": category.name},
            )
            return redirect("festival:organizer_edition", pk=edition.pk)
    return render(
        request,
        "festival/organizer/editions/category_form.html",
        {"form": form, "edition": edition, "category": None},
    )


@organizer_required
def category_edit(request, pk):
    category = get_category_for_organizer(request.user, pk)
    edition = category.edition
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            update_category(category=category, organizer=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
            category.refresh_from_db()
        else:
            messages.success(
                request, _("La catégorie « %(name)s » est enregistrée.") % {"name": category.name}
            )
            return redirect("festival:organizer_edition", pk=edition.pk)
    return render(
        request,
        "festival/organizer/editions/category_form.html",
        {"form": form, "edition": edition, "category": category},
    )


@organizer_required
def category_delete(request, pk):
    """GET: confirm (or say why it cannot be deleted); POST: delete."""
    category = get_category_for_organizer(request.user, pk)
    edition = category.edition
    if request.method == "POST":
        try:
            delete_category(category=category, organizer=request.user)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                _("La catégorie « %(name)s » est supprimée, avec ses prix.")
                % {"name": category.name},
            )
        return redirect("festival:organizer_edition", pk=edition.pk)
    return render(
        request,
        "festival/organizer/editions/category_delete.html",
        {"category": category, "edition": edition, "in_use": category_in_use(category)},
    )


# Trades


@organizer_required
def trade_list(request):
    user = request.user
    form = TradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trade = create_trade(organizer=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Le métier « %(name)s » est ajouté : les enseignants peuvent le choisir pour "
                    "leurs films."
                )
                % {"name": trade.name},
            )
            return redirect("festival:organizer_trades")
    editable = editable_trades_for_organizer(user).filter(pk=OuterRef("pk"))
    trades = trades_for_organizer(user).annotate(
        film_count=Count("films", filter=Q(films__edition__festival_id=user.festival_id)),
        editable=Exists(editable),
    )
    return render(
        request, "festival/organizer/editions/trade_list.html", {"form": form, "trades": trades}
    )


@organizer_required
def trade_edit(request, pk):
    """The trade's name, and its public page: what the job is and the training paths."""
    trade = get_trade_for_organizer(request.user, pk)
    data = request.POST or None
    form = TradePageForm(data, instance=trade)
    links = training_link_formset(data, trade)
    links_valid = links.is_valid() if links.is_bound else True
    if request.method == "POST" and form.is_valid() and links_valid:
        try:
            update_trade(
                trade=trade,
                organizer=request.user,
                training_links=links.links() if links.is_bound else None,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error)
            trade.refresh_from_db()
        else:
            messages.success(
                request,
                _("Le métier « %(name)s » est enregistré, avec sa page publique.")
                % {"name": trade.name},
            )
            return redirect("festival:organizer_trades")
    return render(
        request,
        "festival/organizer/editions/trade_form.html",
        {"form": form, "links": links, "trade": trade},
    )


@organizer_required
def trade_delete(request, pk):
    trade = get_trade_for_organizer(request.user, pk)
    if request.method == "POST":
        try:
            delete_trade(trade=trade, organizer=request.user)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                _("Le métier « %(name)s » est supprimé de la liste.") % {"name": trade.name},
            )
        return redirect("festival:organizer_trades")
    return render(
        request,
        "festival/organizer/editions/trade_delete.html",
        {"trade": trade, "in_use": trade_in_use(trade)},
    )

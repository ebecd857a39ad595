"""The organizers' film list filters, shared by the page and its CSV export."""

import django_filters
from django import forms
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.enums import Academie, ConsentStatus, FilmStatus
from festival.forms.organizer import CategoryChoiceField, EditionChoiceField
from festival.models import Category, Edition, School, Trade, User
from festival.rules import editions_for_organizer

CONSENTS_MISSING = "missing"
CONSENTS_VALIDATED = "validated"

# Sort keys shown to organizers -> (label, order_by). The primary key last keeps pages stable.
ORDERINGS = {
    "title": (_("Titre"), ("title", "pk")),
    "-submitted_at": (_("Dépôt le plus récent"), (F("submitted_at").desc(nulls_last=True), "pk")),
    "submitted_at": (_("Dépôt le plus ancien"), (F("submitted_at").asc(nulls_last=True), "pk")),
    "school": (_("Établissement"), ("school__name", "title", "pk")),
    "category": (_("Catégorie"), ("category__position", "category__name", "title", "pk")),
    "status": (_("Statut"), ("status", "title", "pk")),
    "-updated_at": (_("Dernière modification"), ("-updated_at", "pk")),
}
DEFAULT_ORDERING = ("-edition__year", "category__position", "category__name", "title", "pk")


def with_consent_counts(queryset):
    """Annotate each film with its number of consents, validated ones and ones still to check.

    Counted with distinct so that filters joining other multi-valued relations (trades)
    never inflate them.
    """
    return queryset.annotate(
        consents_total=Count("consents", distinct=True),
        consents_validated=Count(
            "consents", filter=Q(consents__status=ConsentStatus.VALIDATED), distinct=True
        ),
        consents_pending=Count(
            "consents", filter=Q(consents__status=ConsentStatus.PENDING), distinct=True
        ),
        consents_refused=Count(
            "consents", filter=Q(consents__status=ConsentStatus.REFUSED), distinct=True
        ),
    )


class EditionFilter(django_filters.ModelChoiceFilter):
    field_class = EditionChoiceField


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = CategoryChoiceField


class FilmFilter(django_filters.FilterSet):
    """Filters over `films_for_organizer`; every choice is limited to the organizer's festival."""

    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        help_text=_("Titre, établissement ou enseignant"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    edition = EditionFilter(
        label=pgettext_lazy("festival", "Édition"),
        queryset=Edition.objects,
        empty_label=_("Toutes les éditions"),
    )
    category = CategoryFilter(
        label=_("Catégorie"), queryset=Category.objects, empty_label=_("Toutes")
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=FilmStatus.choices, empty_label=_("Tous")
    )
    consents = django_filters.ChoiceFilter(
        label=_("Autorisations"),
        method="filter_consents",
        choices=[
            (CONSENTS_MISSING, _("Manquantes, à vérifier ou refusées")),
            (CONSENTS_VALIDATED, _("Toutes validées")),
        ],
        empty_label=_("Toutes"),
    )
    school = django_filters.ModelChoiceFilter(
        label=_("Établissement"), queryset=School.objects, empty_label=_("Tous")
    )
    academie = django_filters.ChoiceFilter(
        label=_("Académie"),
        field_name="school__academie",
        choices=Academie.choices,
        empty_label=_("Toutes"),
    )
    trade = django_filters.ModelChoiceFilter(
        label=_("Métier"), field_name="trades", queryset=Trade.objects, empty_label=_("Tous")
    )
    o = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="order",
        choices=[(key, label) for key, (label, _fields) in ORDERINGS.items()],
        empty_label=_("Édition, catégorie et titre"),
    )

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        user: User = request.user
        queryset = with_consent_counts(queryset.order_by(*DEFAULT_ORDERING))
        super().__init__(data, queryset, request=request, **kwargs)
        festival_id = user.festival_id
        self.filters["edition"].queryset = editions_for_organizer(user).order_by("-year")
        self.filters["category"].queryset = (
            Category.objects.filter(edition__festival_id=festival_id)
            .select_related("edition")
            .order_by("-edition__year", "position", "name")
        )
        self.filters["school"].queryset = (
            School.objects.filter(films__edition__festival_id=festival_id)
            .distinct()
            .order_by("name", "town")
        )
        self.filters["trade"].queryset = Trade.objects.order_by("name")

    def search(self, queryset, name, value):
        # Every word must match somewhere: "Girard Haag" finds Claire Girard's films at Jules Haag.
        for word in value.split():
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(school__name__icontains=word)
                | Q(school__town__icontains=word)
                | Q(school__uai__iexact=word)
                | Q(school__siret=word)
                | Q(teacher__first_name__icontains=word)
                | Q(teacher__last_name__icontains=word)
                | Q(teacher__email__icontains=word)
            )
        return queryset

    def filter_consents(self, queryset, name, value):
        if value == CONSENTS_MISSING:
            return queryset.consents_missing()
        return queryset.consents_validated()

    def order(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value][1])

"""The public gallery's filters: every choice lists only what the public may already see."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from festival.enums import Academie
from festival.filters import CategoryFilter, EditionFilter
from festival.models import Category, Company, Edition, Festival, Film, School, Trade


class GalleryFilter(django_filters.FilterSet):
    """Filters over `public_films()`; give it that queryset, it limits its choices to it."""

    festival = django_filters.ModelChoiceFilter(
        label=_("Festival"),
        field_name="edition__festival",
        to_field_name="slug",
        queryset=Festival.objects.none(),
        empty_label=_("Tous les festivals"),
    )
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="search",
        help_text=_("Titre, établissement, commune, entreprise ou métier"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    edition = EditionFilter(
        label=pgettext_lazy("festival", "Édition"),
        queryset=Edition.objects.none(),
        empty_label=_("Toutes les éditions"),
    )
    category = CategoryFilter(
        label=_("Catégorie"), queryset=Category.objects.none(), empty_label=_("Toutes")
    )
    trade = django_filters.ModelChoiceFilter(
        label=_("Métier"), field_name="trades", queryset=Trade.objects.none(), empty_label=_("Tous")
    )
    school = django_filters.ModelChoiceFilter(
        label=_("Établissement"), queryset=School.objects.none(), empty_label=_("Tous")
    )
    company = django_filters.ModelChoiceFilter(
        label=_("Entreprise partenaire"),
        queryset=Company.objects.none(),
        empty_label=_("Toutes"),
    )
    academie = django_filters.ChoiceFilter(
        label=_("Académie"),
        field_name="school__academie",
        choices=Academie.choices,
        empty_label=_("Toutes"),
    )

    class Meta:
        model = Film
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        public_ids = queryset.values("pk")
        self.filters["festival"].queryset = (
            Festival.objects.filter(editions__films__in=public_ids).distinct().order_by("name")
        )
        self.filters["edition"].queryset = (
            Edition.objects.filter(films__in=public_ids)
            .distinct()
            .select_related("festival")
            .order_by("-year", "title")
        )
        self.filters["category"].queryset = (
            Category.objects.filter(films__in=public_ids)
            .distinct()
            .select_related("edition")
            .order_by("-edition__year", "position", "name")
        )
        self.filters["trade"].queryset = (
            Trade.objects.filter(films__in=public_ids).distinct().order_by("name")
        )
        self.filters["school"].queryset = (
            School.objects.filter(films__in=public_ids).distinct().order_by("name", "town")
        )
        self.filters["company"].queryset = (
            Company.objects.publicly_named()
            .filter(films__in=public_ids)
            .distinct()
            .order_by("name", "town")
        )

    def chosen_festival(self) -> Festival | None:
        """The festival the visitor browses: the one chosen, or the chosen edition's."""
        if not self.is_bound or not self.is_valid():
            return None
        chosen = self.form.cleaned_data
        if chosen.get("festival"):
            return chosen["festival"]
        return chosen["edition"].festival if chosen.get("edition") else None

    def chosen_trade(self) -> Trade | None:
        """The one trade the visitor filters on: its page tells what the job is."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.form.cleaned_data.get("trade")

    def search(self, queryset, name, value):
        # Every word must match somewhere: "fraiseur Besançon" finds the milling films there.
        for word in value.split()[:8]:
            with_trade = Trade.objects.filter(name__icontains=word).values("films")
            # A company that did not agree is not found by its name either.
            named = Company.objects.publicly_named()
            with_company = named.filter(Q(name__icontains=word) | Q(town__icontains=word)).values(
                "pk"
            )
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(synopsis__icontains=word)
                | Q(school__name__icontains=word)
                | Q(school__town__icontains=word)
                | Q(company__in=with_company)
                | Q(pk__in=with_trade)
            )
        return queryset

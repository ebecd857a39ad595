"""Partner companies: their contacts (teachers and organizers), their agreement to appear on the
public site (organizers), and the festival's list of volunteer companies (organizers keep it,
teachers read it).

Every object is reached through `festival.rules`: an organizer only ever sees the companies of
their festival's films and list, a teacher only their own film's company.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.companies import (
    add_contact,
    record_agreement,
    register_company,
    remove_contact,
    remove_volunteer,
    save_volunteer,
    withdraw_agreement,
)
from festival.enums import Role
from festival.forms.companies import (
    AgreementForm,
    ContactForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from festival.models import Trade
from festival.rules import (
    companies_for_organizer,
    get_company_for_organizer,
    get_contact_for_organizer,
    get_contact_for_teacher,
    get_film_for_teacher,
    get_volunteer_for_organizer,
    may_edit_film_contacts,
    organizer_required,
    teacher_required,
    volunteers_for_organizer,
    volunteers_for_teacher,
)

# The teacher's film page: its company's contacts


def _film_contacts_url(film) -> str:
    return f"{film.get_absolute_url()}#contacts"


@teacher_required
@require_POST
def teacher_contact_add(request, pk):
    film = get_film_for_teacher(request.user, pk)
    if not may_edit_film_contacts(request.user, film):
        messages.error(
            request,
            _("Les contacts de l'entreprise se saisissent tant que le film est modifiable."),
        )
        return redirect(_film_contacts_url(film))
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = add_contact(company=film.company, user=request.user, **form.cleaned_data)
        except DomainError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request, _("%(name)s est ajouté aux contacts.") % {"name": contact.name}
            )
    else:
        for field, errors in form.errors.items():
            for text in errors:
                messages.error(request, f"{form.fields[field].label} : {text}")
    return redirect(_film_contacts_url(film))


@teacher_required
@require_POST
def teacher_contact_delete(request, pk, contact_pk):
    contact = get_contact_for_teacher(request.user, pk, contact_pk)
    remove_contact(contact=contact, user=request.user)
    messages.success(request, _("%(name)s est retiré des contacts.") % {"name": contact.name})
    return redirect(f"{reverse('festival:teacher_film', args=[pk])}#contacts")


# The teachers' list of volunteer companies


@teacher_required
def teacher_volunteers(request):
    entries = volunteers_for_teacher(request.user)
    form = VolunteerFilterForm(request.GET or None, entries=entries)
    shown = (
        form.filter(entries)
        .select_related("company", "festival")
        .prefetch_related(Prefetch("trades", queryset=Trade.objects.order_by("name")))
        .order_by("company__name", "pk")
    )
    return render(
        request,
        "festival/teacher/volunteers.html",
        {
            "form": form,
            "entries": shown,
            "several_festivals": len(request.user.festival_ids(Role.TEACHER)) > 1,
        },
    )


# The organizers' pages


@organizer_required
def company_list(request):
    user = request.user
    companies = (
        companies_for_organizer(user)
        .annotate(
            film_count=Count("films", filter=Q(films__edition__festival_id=user.festival_id)),
            volunteer_count=Count(
                "volunteer_entries", filter=Q(volunteer_entries__festival_id=user.festival_id)
            ),
        )
        .order_by("name", "pk")
    )
    return render(
        request, "festival/organizer/companies/company_list.html", {"companies": companies}
    )


def _company_url(company) -> str:
    return reverse("festival:organizer_company", args=[company.pk])


@organizer_required
def company_detail(request, pk):
    user = request.user
    company = get_company_for_organizer(user, pk)
    films = (
        company.films.filter(edition__festival_id=user.festival_id)
        .select_related("edition", "category", "school")
        .order_by("-edition__year", "title", "pk")
    )
    volunteer = volunteers_for_organizer(user).filter(company=company).first()
    return render(
        request,
        "festival/organizer/companies/company_detail.html",
        {
            "company": company,
            "contacts": company.contacts.select_related("added_by").order_by("name", "pk"),
            "films": films,
            "volunteer": volunteer,
            "contact_form": ContactForm(),
            "agreement_form": AgreementForm(),
        },
    )


@organizer_required
@require_POST
def company_agreement(request, pk):
    company = get_company_for_organizer(request.user, pk)
    form = AgreementForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("action") == "withdraw":
            withdraw_agreement(company=company, user=request.user, note=note)
            messages.success(
                request,
                _("L'accord est retiré : le nom de %(company)s n'apparaît plus sur le site public.")
                % {"company": company.name},
            )
        else:
            record_agreement(company=company, user=request.user, note=note)
            messages.success(
                request,
                _("L'accord est enregistré : le nom de %(company)s apparaît sur le site public.")
                % {"company": company.name},
            )
    except DomainError as error:
        messages.error(request, error.text)
    return redirect("festival:organizer_company", pk=company.pk)


@organizer_required
@require_POST
def company_contact_add(request, pk):
    company = get_company_for_organizer(request.user, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = add_contact(company=company, user=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.text)
        else:
            messages.success(
                request, _("%(name)s est ajouté aux contacts.") % {"name": contact.name}
            )
    else:
        for field, errors in form.errors.items():
            for text in errors:
                messages.error(request, f"{form.fields[field].label} : {text}")
    return redirect(f"{_company_url(company)}#contacts")


@organizer_required
@require_POST
def company_contact_delete(request, pk, contact_pk):
    contact = get_contact_for_organizer(request.user, pk, contact_pk)
    remove_contact(contact=contact, user=request.user)
    messages.success(request, _("%(name)s est retiré des contacts.") % {"name": contact.name})
    return redirect(f"{_company_url(contact.company)}#contacts")


@organizer_required
def volunteer_create(request):
    user = request.user
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # A company added with the entry is not kept when the entry is refused.
            with transaction.atomic():
                company = (
                    register_company(user=user, **form.new_company_data())
                    if form.adds_company
                    else form.cleaned_data["company"]
                )
                entry = save_volunteer(
                    festival=user.festival, company=company, user=user, **form.entry_data()
                )
        except DomainError as error:
            form.add_error("new_company_siret" if form.adds_company else "company", error)
        else:
            messages.success(
                request,
                _("%(company)s est dans la liste des entreprises volontaires.")
                % {"company": entry.company.name},
            )
            return redirect("festival:organizer_companies")
    return render(
        request, "festival/organizer/companies/volunteer_form.html", {"form": form, "entry": None}
    )


@organizer_required
def volunteer_edit(request, pk):
    user = request.user
    entry = get_volunteer_for_organizer(user, pk)
    form = VolunteerForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            save_volunteer(
                festival=entry.festival,
                company=entry.company,
                user=user,
                entry=entry,
                **form.entry_data(),
            )
        except DomainError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("L'entrée de %(company)s est enregistrée.") % {"company": entry.company.name},
            )
            return redirect("festival:organizer_company", pk=entry.company_id)
    return render(
        request, "festival/organizer/companies/volunteer_form.html", {"form": form, "entry": entry}
    )


@organizer_required
@require_POST
def volunteer_delete(request, pk):
    entry = get_volunteer_for_organizer(request.user, pk)
    remove_volunteer(entry=entry, user=request.user)
    messages.success(
        request,
        _("%(company)s est retirée de la liste des entreprises volontaires.")
        % {"company": entry.company.name},
    )
    return redirect("festival:organizer_companies")

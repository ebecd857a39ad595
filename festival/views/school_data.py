"""The organizers' pages about a school's data (RGPD): what the festival holds, its export and
its erasure. A school is reached only through the organizer's festival (festival.rules)."""

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from festival.domain import DomainError
from festival.domain.school_erasure import erase_school_data
from festival.domain.school_export import export_school_data, safe_part
from festival.forms.school_data import ErasureRequestForm
from festival.models import Festival
from festival.rules import get_school_for_organizer, organizer_required, schools_for_organizer
from festival.school_data import erasure_plan, load_holdings, schools_with_counts

SCHOOLS_PER_PAGE = 50


@organizer_required
def school_list(request):
    festival_id = request.user.festival_id
    schools = schools_with_counts(
        schools_for_organizer(request.user), festival_id=festival_id
    ).order_by("name", "pk")
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "festival/organizer/schools/school_list.html",
        {"page_obj": page, "schools": page.object_list},
    )


@organizer_required
def school_detail(request, pk):
    school = get_school_for_organizer(request.user, pk)
    holdings = load_holdings(school=school, festival_id=request.user.festival_id)
    return render(
        request,
        "festival/organizer/schools/school_detail.html",
        {"school": school, "holdings": holdings},
    )


@organizer_required
@require_POST
def school_export(request, pk):
    """The school's archive, built in a temporary file (deleted once sent)."""
    school = get_school_for_organizer(request.user, pk)
    festival = Festival.objects.get(pk=request.user.festival_id)
    out = tempfile.TemporaryFile()
    try:
        export_school_data(school=school, festival=festival, organizer=request.user, out=out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    filename = (
        f"donnees-{safe_part(school.name, fallback='etablissement')}-"
        f"{timezone.localdate():%Y-%m-%d}.zip"
    )
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")


def _render_form(request, school, form, status=200):
    return render(
        request,
        "festival/organizer/schools/erasure_form.html",
        {"school": school, "form": form},
        status=status,
    )


@organizer_required
def school_erasure(request, pk):
    """The erasure request (GET: the form); a valid POST shows the check-your-answers page,
    whose button posts to `school_erase`."""
    school = get_school_for_organizer(request.user, pk)
    if request.method != "POST":
        return _render_form(request, school, ErasureRequestForm())
    if request.POST.get("change"):
        # "Modifier" on the check page: the form again, filled with the answers.
        return _render_form(request, school, ErasureRequestForm(initial=request.POST.dict()))
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return _render_form(request, school, form, status=400)
    plan = erasure_plan(
        school=school,
        festival_id=request.user.festival_id,
        keep_published=form.cleaned_data["keep_published"],
    )
    return render(
        request,
        "festival/organizer/schools/erasure_check.html",
        {"school": school, "form": form, "plan": plan},
    )


@organizer_required
@require_POST
def school_erase(request, pk):
    school = get_school_for_organizer(request.user, pk)
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return _render_form(request, school, form, status=400)
    try:
        erase_school_data(
            school=school,
            festival=Festival.objects.get(pk=request.user.festival_id),
            organizer=request.user,
            asked_by=form.cleaned_data["asked_by"],
            asked_on=form.cleaned_data["asked_on"],
            keep_published=form.cleaned_data["keep_published"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _(
                "Les données de %(school)s sont effacées. Les enseignants en ont été informés "
                "par e-mail."
            )
            % {"school": school.name},
        )
    return redirect("festival:organizer_school", pk=school.pk)

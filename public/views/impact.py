"""The impact report's pages: a festival's, for its organizers, and the installation's, for the
platform's operators (superusers). Organizer pages, in the public app since they read every
layer (public.impact)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from festival.models import Festival
from festival.rules import organizer_required
from festival.spreadsheets import csv_text
from public.impact import FIGURES, impact_report
from public.impact_charts import report_charts
from public.impact_pdf import impact_pdf


def operator_required(view):
    """The platform's operators only: a 404 for everyone else signed in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_superuser):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _festival_report(request):
    festival = get_object_or_404(Festival, pk=request.user.festival_id)
    return impact_report(festival=festival)


def _values(row) -> list[int]:
    return [getattr(row, name) for name, _label in FIGURES]


def _page(request, report, *, csv_url, pdf_url):
    context = {
        "report": report,
        "figures": FIGURES,
        "table": [(row, _values(row)) for row in report.rows],
        # The installation's report: each festival's latest edition, then its editions.
        "latest": [(impact, _values(impact.latest)) for impact in report.festivals],
        "festivals": [
            (impact, [(row, _values(row)) for row in impact.newest_first])
            for impact in report.festivals
        ],
        "charts": report_charts(report, FIGURES),
        "csv_url": csv_url,
        "pdf_url": pdf_url,
    }
    return render(request, "public/organizer/impact.html", context)


def _csv(report) -> HttpResponse:
    labels = [label for _name, label in FIGURES]
    if report.festival is not None:
        header = [_("Édition"), *labels]
        rows = [[row.label, *_values(row)] for row in report.rows]
    else:
        # The installation's: every festival's total per year, then each festival's editions.
        header = [_("Festival"), _("Année"), *labels]
        everyone = _("Tous les festivals")
        rows = [[everyone, row.label, *_values(row)] for row in report.rows]
        rows += [
            [impact.festival.name, row.label, *_values(row)]
            for impact in report.festivals
            for row in impact.rows
        ]
    response = HttpResponse(
        csv_text(header, rows, bom=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


def _pdf(report) -> HttpResponse:
    response = HttpResponse(impact_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


def _filename(report, extension: str) -> str:
    who = report.festival.slug if report.festival else "plateforme"
    return f"bilan-{who}-{timezone.localdate():%Y-%m-%d}.{extension}"


@organizer_required
def festival_report(request):
    return _page(
        request,
        _festival_report(request),
        csv_url=reverse("public:impact_csv"),
        pdf_url=reverse("public:impact_pdf"),
    )


@organizer_required
def festival_csv(request):
    return _csv(_festival_report(request))


@organizer_required
def festival_pdf(request):
    return _pdf(_festival_report(request))


@operator_required
def platform_report(request):
    return _page(
        request,
        impact_report(),
        csv_url=reverse("public:platform_impact_csv"),
        pdf_url=reverse("public:platform_impact_pdf"),
    )


@operator_required
def platform_csv(request):
    return _csv(impact_report())


@operator_required
def platform_pdf(request):
    return _pdf(impact_report())

"""Demo data of a school's data requests: one export, as an organizer made it for a school."""

from datetime import timedelta

from django.utils import timezone

from festival.models import ConsentForm, SchoolDataRequest, SchoolDataRequestKind
from festival.school_data import school_films, school_teachers


def create_demo_school_data(*, festival, films, organizer) -> SchoolDataRequest:
    """The school of the edition's first film asked for its data three days ago."""
    school = films[0].school
    school_film_ids = school_films(school=school, festival_id=festival.pk)
    counts = {
        "films": school_film_ids.count(),
        "consents": ConsentForm.objects.filter(film__in=school_film_ids).count(),
        "missing_consent_files": 0,
    }
    return SchoolDataRequest.objects.create(
        school=school,
        festival=festival,
        kind=SchoolDataRequestKind.EXPORT,
        made_by=organizer,
        made_at=timezone.now() - timedelta(days=3),
        film_count=counts["films"],
        consent_count=counts["consents"],
        teacher_count=school_teachers(school=school, festival_id=festival.pk).count(),
        details=counts,
    )

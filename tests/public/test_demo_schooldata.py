"""The demo's school data: one export, recorded for the school of the edition's first film."""

from festival.models import SchoolDataRequest
from public import demo


def test_the_demo_has_one_export_of_a_schools_data(db):
    created = demo.load(with_videos=False)

    record = SchoolDataRequest.objects.get()
    film = created["films"][0]
    assert (record.kind, record.school, record.festival) == (
        "export",
        film.school,
        created["festival"],
    )
    assert record.film_count >= 1
    assert record.details["films"] == record.film_count

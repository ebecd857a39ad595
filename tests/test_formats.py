"""Dates in sentences: English times must not end on "p.m.", which doubles a sentence's period."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

PARIS = ZoneInfo("Europe/Paris")
# Morning, afternoon, noon and midnight: Django's own "P" writes "a.m.", "p.m.", "noon", "midnight".
MOMENTS = [
    dt.datetime(2026, 12, 4, 9, 5, tzinfo=PARIS),
    dt.datetime(2026, 12, 4, 14, 29, tzinfo=PARIS),
    dt.datetime(2026, 12, 4, 12, 0, tzinfo=PARIS),
    dt.datetime(2026, 12, 4, 0, 0, tzinfo=PARIS),
]
SENTENCE = Template(
    "Closes on {{ moment|date:'DATETIME_FORMAT' }}. "
    "Sent on {{ moment|date:'SHORT_DATETIME_FORMAT' }}. "
    "At {{ moment|time:'TIME_FORMAT' }}. "
    "On {{ moment|date:'DATE_FORMAT' }}."
)


def render(moment, language):
    with translation.override(language):
        return SENTENCE.render(Context({"moment": moment}))


@pytest.mark.parametrize("moment", MOMENTS)
def test_english_dates_never_double_a_sentences_period(moment):
    assert ".." not in render(moment, "en")


def test_english_afternoon_in_every_format():
    assert render(MOMENTS[1], "en") == (
        "Closes on Dec. 4, 2026, 2:29 PM. Sent on 12/04/2026 2:29 PM. At 2:29 PM. On Dec. 4, 2026."
    )


def test_french_formats_are_django_s():
    assert render(MOMENTS[1], "fr") == (
        "Closes on 4 décembre 2026 14:29. Sent on 04/12/2026 14:29. At 14:29. On 4 décembre 2026."
    )

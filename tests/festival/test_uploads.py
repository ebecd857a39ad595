"""Checks on sent files that live in the core: the sender's file name, shown, never used."""

import pytest

from festival.uploads import clean_filename


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("montage final.mp4", "montage final.mp4"),
        ("C:\\Users\\prof\\Vidéos\\film.mov", "film.mov"),
        ("../../etc/passwd", "passwd"),
        ("film\x00\x1b[31m.mp4", "film[31m.mp4"),
        (None, ""),
    ],
)
def test_a_sent_file_name_is_cleaned_once_for_videos_and_consents(sent, shown):
    assert clean_filename(sent) == shown

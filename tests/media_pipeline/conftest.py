from pathlib import Path

import pytest

from tests.media_pipeline import clips


@pytest.fixture
def clip(tmp_path) -> Path:
    """A tiny film that every check accepts."""
    return clips.compliant_mp4(tmp_path, size="160x90", duration=1)

"""Models of the media pipeline: one module per concept."""

from media_pipeline.models.processing import LadderStatus, VideoStatus, VideoVersion
from media_pipeline.models.retention import RetentionRun

__all__ = ["LadderStatus", "RetentionRun", "VideoStatus", "VideoVersion"]

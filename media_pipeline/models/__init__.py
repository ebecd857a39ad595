"""Models of the media pipeline: one module per concept."""

from media_pipeline.models.processing import LadderStatus, VideoStatus, VideoVersion

__all__ = ["LadderStatus", "VideoStatus", "VideoVersion"]

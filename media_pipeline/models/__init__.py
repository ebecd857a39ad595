"""Models of the media pipeline: one module per concept."""

from media_pipeline.models.processing import VideoStatus, VideoVersion

__all__ = ["VideoStatus", "VideoVersion"]

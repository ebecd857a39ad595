"""Models of the media pipeline: one module per concept."""

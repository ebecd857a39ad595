from festival.rules import current_edition


def festival(request):
    """The current edition, for the header and footer of every page."""
    return {"current_edition": current_edition()}

"""What a request wrote to the database, read from a CaptureQueriesContext."""

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(captured) -> list[str]:
    """The statements that changed data, the session's excepted."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in query["sql"]
    ]

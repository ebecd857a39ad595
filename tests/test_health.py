"""/healthz: the load balancer's probe answers without touching the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_ok_without_a_query(client, db):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert captured.captured_queries == []

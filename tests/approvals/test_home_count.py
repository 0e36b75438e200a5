"""Seed 002: approval-pending counts surface on the home page of every approver."""

from __future__ import annotations

from django.test import Client


def _home(username: str) -> str:
    client = Client()
    assert client.login(username=username, password=username)
    return client.get("/").content.decode()


def test_home_shows_how_many_documents_wait_for_the_approver(levels, make_doc, submit):
    submit(make_doc("800"))
    submit(make_doc("900"))
    html = _home("gerente")
    assert 'id="pending-approvals-link">2</a></p>' in html
    assert "2 documentos esperan su decisión." in html


def test_no_card_for_a_user_with_nothing_to_approve(levels, make_doc, submit):
    submit(make_doc("800"))
    assert 'data-field="pending-approvals"' not in _home("contador")

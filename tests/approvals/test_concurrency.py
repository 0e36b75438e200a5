"""Two approvers of an ALL level deciding at the same instant (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cuadra.approvals import services
from cuadra.approvals.models import ApprovalRequest
from cuadra.documents.lifecycle import transition


def approve_together(company, users, document_id) -> list[BaseException]:
    """Each user approves in their own thread and connection, released at once."""
    from tests.docapp.models import TestDocument

    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def approve(user):
        try:
            document = TestDocument.objects.get(pk=document_id)
            barrier.wait()
            services.approval_approve(company=company, actor=user, document=document)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_of_an_all_level_both_count(demo, owner, manager, compras,
                                                           make_doc):
    services.approval_config_create(company=demo, actor=owner, document_type="TEST_DOCUMENT",
                                    threshold="1", approver_user_ids=[manager.pk, owner.pk],
                                    approval_mode="ALL")
    for _ in range(5):
        doc = make_doc("100")
        transition(document=doc, action="submit", actor=compras)
        assert approve_together(demo, [manager, owner], doc.pk) == []
        assert ApprovalRequest.objects.get(document_id=doc.pk).status == "APPROVED"

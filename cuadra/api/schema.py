"""The GraphQL schema, composed from api/<domain>/."""

from __future__ import annotations

import strawberry
from django.conf import settings
from strawberry.extensions import QueryDepthLimiter
from strawberry_django.optimizer import DjangoOptimizerExtension

from cuadra.api.access.schema import AccessMutation, AccessQuery
from cuadra.api.approvals.schema import ApprovalsMutation, ApprovalsQuery
from cuadra.api.base import SCHEMA_CONFIG, CuadraSchema, DomainErrorExtension
from cuadra.api.catalog.schema import CatalogMutation, CatalogQuery
from cuadra.api.contacts.schema import ContactsMutation, ContactsQuery
from cuadra.api.core.schema import CoreQuery
from cuadra.api.documents.schema import DocumentsMutation, DocumentsQuery
from cuadra.api.inventory.schema import InventoryMutation, InventoryQuery
from cuadra.api.ledger.operations import LedgerOperationsMutation, LedgerOperationsQuery
from cuadra.api.ledger.reports import LedgerReportsQuery
from cuadra.api.ledger.schema import LedgerMutation, LedgerQuery
from cuadra.api.purchasing.schema import PurchasingMutation, PurchasingQuery
from cuadra.api.sales.schema import SalesMutation, SalesQuery
from cuadra.api.sequences.schema import SequencesMutation, SequencesQuery


@strawberry.type
class Query(AccessQuery, CoreQuery, SequencesQuery, DocumentsQuery, ApprovalsQuery,
            LedgerQuery, LedgerReportsQuery, LedgerOperationsQuery, CatalogQuery, ContactsQuery,
            SalesQuery, PurchasingQuery, InventoryQuery):
    pass


@strawberry.type
class Mutation(AccessMutation, SequencesMutation, DocumentsMutation, ApprovalsMutation,
               LedgerMutation, LedgerOperationsMutation, CatalogMutation, ContactsMutation,
               SalesMutation, PurchasingMutation, InventoryMutation):
    pass


schema = CuadraSchema(
    query=Query,
    mutation=Mutation,
    config=SCHEMA_CONFIG,
    # factories, not instances: an extension keeps per-request state (execution_context),
    # so a shared instance would mix up concurrent requests
    extensions=[
        lambda: QueryDepthLimiter(max_depth=settings.GRAPHQL_MAX_DEPTH),
        DjangoOptimizerExtension,
        lambda: DomainErrorExtension(debug=settings.DEBUG),
    ],
)

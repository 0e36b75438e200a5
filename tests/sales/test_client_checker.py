"""SalesConfig.ready() registers the client checker: client prices refuse unknown or
foreign clients."""

import pytest

from cuadra.catalog import services as catalog
from cuadra.contacts.models import Client
from cuadra.core.errors import ValidationError


def test_client_prices_refuse_unknown_and_foreign_clients(demo, otra, owner, galletas,
                                                          client):
    foreign = Client.objects.create(company=otra, code="C-O", legal_name="Otra")
    for client_id in (987654, foreign.pk):
        with pytest.raises(ValidationError) as exc:
            catalog.client_price_set(company=demo, actor=owner, client_id=client_id,
                                     item=galletas, price="1")
        assert exc.value.field == "clientId"
    row = catalog.client_price_set(company=demo, actor=owner, client_id=client.pk,
                                   item=galletas, price="1")
    assert row.client_id == client.pk

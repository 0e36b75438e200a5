"""Column configurations per user and view, the published default, custom fields with
typed values, and role-based field visibility; refusals write nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from cuadra.core.errors import ValidationError
from cuadra.documents import columns as cols
from cuadra.documents import custom_fields as cf
from cuadra.documents.models import ColumnConfig
from tests.conftest import row_counts
from tests.documents.registry_helpers import make_record

pytestmark = pytest.mark.usefixtures("english")
User = get_user_model()


def keys(columns):
    return [(c.key, c.label, c.pinned) for c in columns]


def test_default_columns_differ_per_view(demo, owner):
    assert [c.key for c in cols.column_config_get(company=demo, user=owner,
                                                  view="moved")] == [
        "number", "kind", "date", "party", "amount", "tax", "paid", "company"]
    assert [c.key for c in cols.column_config_get(company=demo, user=owner,
                                                  view="did_not_pass")][-2:] == [
        "balance", "payment_state"]


def test_save_reorders_renames_pins_and_mixes_custom(demo, owner):
    cf.custom_field_definition_create(company=demo, actor=owner, key="proyecto",
                                      label="Proyecto", field_type="text")
    saved = cols.column_config_save(company=demo, actor=owner, view="everything", columns=[
        {"key": "amount", "label": "Monto"}, {"key": "cf:proyecto"},
        {"key": "number", "pinned": True}])
    assert keys(saved) == [("number", "Number", True), ("amount", "Monto", False),
                           ("cf:proyecto", "Proyecto", False)]
    # each view keeps its own configuration
    assert keys(cols.column_config_get(company=demo, user=owner, view="moved"))[0] == (
        "number", "Number", False)
    other = User.objects.get(username="contador")
    assert len(cols.column_config_get(company=demo, user=other, view="everything")) == 8


def test_publish_default_and_reset(demo, owner):
    contador = User.objects.get(username="contador")
    cols.column_config_publish(company=demo, actor=owner, view="everything",
                               columns=[{"key": "party", "label": "Cliente"},
                                        {"key": "amount"}])
    assert keys(cols.column_config_get(company=demo, user=contador, view="everything")) == [
        ("party", "Cliente", False), ("amount", "Amount", False)]
    cols.column_config_save(company=demo, actor=contador, view="everything",
                            columns=[{"key": "number"}])
    assert keys(cols.column_config_get(company=demo, user=contador,
                                       view="everything")) == [("number", "Number", False)]
    reset = cols.column_config_reset(company=demo, actor=contador, view="everything")
    assert keys(reset) == [("party", "Cliente", False), ("amount", "Amount", False)]
    assert ColumnConfig.objects.filter(company=demo).count() == 1


@pytest.mark.parametrize("columns, fields", [
    ([], ["columns"]),
    ([{"key": "number"}, {"key": "nope"}], ["columns[1].key"]),
    ([{"key": "number"}, {"key": "number"}], ["columns[1].key"]),
    ([{"key": "number", "label": "x" * 101}], ["columns[0].label"]),
])
def test_bad_configurations_write_nothing(demo, owner, columns, fields):
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        cols.column_config_save(company=demo, actor=owner, view="everything",
                                columns=columns)
    assert [e.field for e in err.value.errors] == fields
    assert row_counts() == before


def test_hidden_fields_are_not_offered_to_the_sales_role(demo, owner):
    cf.custom_field_definition_create(company=demo, actor=owner, key="cost",
                                      label="Costo", field_type="money")
    ventas = User.objects.get(username="ventas")
    assert "cf:cost" in cols.available_columns(company=demo, user=owner)
    assert "cf:cost" not in cols.available_columns(company=demo, user=ventas)
    cols.column_config_publish(company=demo, actor=owner, view="everything",
                               columns=[{"key": "number"}, {"key": "cf:cost"}])
    assert [c.key for c in cols.column_config_get(company=demo, user=ventas,
                                                  view="everything")] == ["number"]
    with pytest.raises(ValidationError):
        cols.column_config_save(company=demo, actor=ventas, view="everything",
                                columns=[{"key": "cf:cost"}])


def test_custom_values_are_validated_by_type(demo, owner):
    for key, kind, choices in (("proyecto", "text", None), ("horas", "number", None),
                               ("costo", "money", None), ("entrega", "date", None),
                               ("zona", "choice", ["Norte", "Sur"]),
                               ("revisor", "user", None)):
        cf.custom_field_definition_create(company=demo, actor=owner, key=key,
                                          label=key.title(), field_type=kind,
                                          choices=choices)
    rec = make_record(demo, number="F-9")
    contador = User.objects.get(username="contador")
    cf.document_custom_fields_set(company=demo, actor=owner, record_id=rec.pk, values={
        "proyecto": "Canal", "horas": "7.5", "costo": "1234.5678",
        "entrega": "2025-04-01", "zona": "Sur", "revisor": str(contador.pk)})
    rec.refresh_from_db()
    assert rec.custom == {"proyecto": "Canal", "horas": "7.5", "costo": "1234.5678",
                          "entrega": "2025-04-01", "zona": "Sur", "revisor": contador.pk}
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        cf.document_custom_fields_set(company=demo, actor=owner, record_id=rec.pk, values={
            "costo": 1.5, "entrega": "mañana", "zona": "Este",
            "revisor": str(User.objects.get(username="otra").pk), "nada": "x"})
    assert [e.field for e in err.value.errors] == [
        "values.costo", "values.entrega", "values.zona", "values.revisor", "values.nada"]
    assert row_counts() == before
    cf.document_custom_fields_set(company=demo, actor=owner, record_id=rec.pk,
                                  values={"proyecto": None})
    rec.refresh_from_db()
    assert "proyecto" not in rec.custom


def test_definition_refusals(demo, owner):
    cf.custom_field_definition_create(company=demo, actor=owner, key="zona", label="Zona",
                                      field_type="choice", choices=["N"])
    before = row_counts()
    for kwargs, field in ((dict(key="zona", label="Z", field_type="text"), "key"),
                          (dict(key="amount", label="A", field_type="text"), "key"),
                          (dict(key="Mal Key", label="A", field_type="text"), "key"),
                          (dict(key="ok", label="A", field_type="float"), "fieldType"),
                          (dict(key="ok", label="A", field_type="choice"), "choices")):
        with pytest.raises(ValidationError) as err:
            cf.custom_field_definition_create(company=demo, actor=owner, **kwargs)
        assert [e.field for e in err.value.errors] == [field]
    assert row_counts() == before


def test_annotate_tags_folder_and_sharing(demo, otra, owner):
    rec = make_record(demo, number="F-7")
    ventas = User.objects.get(username="ventas")
    cf.document_record_annotate(company=demo, actor=owner, record_id=rec.pk,
                                tags=["vip", "norte", "vip"], folder="2025/Q1",
                                shared_with=[ventas.pk])
    rec.refresh_from_db()
    assert (rec.tag_list, rec.folder, rec.shared_with_ids) == (
        ["vip", "norte"], "2025/Q1", [ventas.pk])
    before = row_counts()
    with pytest.raises(ValidationError):
        cf.document_record_annotate(company=demo, actor=owner, record_id=rec.pk,
                                    shared_with=[User.objects.get(username="otra").pk])
    with pytest.raises(ValidationError):
        cf.document_record_annotate(company=demo, actor=owner, record_id=rec.pk,
                                    tags=["a,b"])
    assert row_counts() == before

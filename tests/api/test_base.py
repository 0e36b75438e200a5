"""The API's shared machinery: error codes, refusal logging, depth limit, pagination."""

import logging

from tests.conftest import error_codes


def test_a_refusal_is_not_logged_as_a_server_error(as_demo, caplog):
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        result = as_demo.execute("{ roles { key } }", company="OTRA")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert [r for r in caplog.records if r.name == "strawberry.execution"] == []


def test_a_bad_query_is_graphql_validation(as_demo):
    result = as_demo.execute("{ nope }")
    assert error_codes(result) == ["GRAPHQL_VALIDATION"]


def test_validation_errors_list_every_field(as_demo, demo):
    result = as_demo.execute(
        'mutation { createUser(username: "", password: "x", roleIds: []) { id } }')
    assert error_codes(result) == ["VALIDATION"]
    ext = result["errors"][0]["extensions"]
    assert ext["field"] == "username"
    assert [e["field"] for e in ext["errors"]] == ["username", "password"]


def test_the_query_depth_is_limited(as_demo, settings):
    query = "{ me { company { branches { code } } } }"  # depth 3: code sits 3 levels below me
    assert "errors" not in as_demo.execute(query)
    settings.GRAPHQL_MAX_DEPTH = 2  # read per request: extensions are built per request
    result = as_demo.execute(query)
    assert result["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 2"


def test_pagination_convention(as_demo):
    result = as_demo.execute("""{ users(pagination: {offset: 1, limit: 2}) {
        totalCount pageInfo { offset limit } results { username } } }""")
    assert result["data"]["users"] == {
        "totalCount": 6, "pageInfo": {"offset": 1, "limit": 2},
        "results": [{"username": "bodega"}, {"username": "compras"}]}


def test_a_bad_enum_in_variables_is_graphql_validation_not_internal(as_demo):
    result = as_demo.execute(
        "query($t: DocumentType!) { previewNextNumber(documentType: $t) }", {"t": "NOPE"})
    assert error_codes(result) == ["GRAPHQL_VALIDATION"]


CREATE_TAX = """mutation($rate: Decimal!) {
  createTax(code: "EX", name: "Exacto", rate: $rate) { rate } }"""


def test_a_json_number_is_refused_as_money_and_writes_nothing(as_demo, demo):
    from cuadra.catalog.models import Tax

    before = Tax.objects.filter(company=demo).count()
    result = as_demo.execute(CREATE_TAX, {"rate": 0.07})
    assert error_codes(result) == ["GRAPHQL_VALIDATION"]
    assert "strings" in result["errors"][0]["message"]
    assert Tax.objects.filter(company=demo).count() == before


def test_a_decimal_string_keeps_every_digit(as_demo):
    result = as_demo.execute(CREATE_TAX, {"rate": "0.0712345678901234567890123"})
    assert result["data"]["createTax"]["rate"] == "0.0712345678901234567890123"

"""The contract says what the API really answers (issue 9 item 10): the platform's error shape on every error
status a route can answer, a bearer security scheme, and /docs from local files (no CDN)."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def spec(shared_app):
    return shared_app.openapi()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_422_is_the_platforms_error_shape_not_fastapis(spec, client, login):
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ValidationErrorResponse"]["required"] == ["error", "detail"]
    assert schemas["FieldErrorDetail"]["required"] == ["field", "msg_zh", "msg_en"]
    for path, method, op in operations(spec):
        assert op["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ValidationErrorResponse"}, (method, path)
    # and it is what a 422 is
    body = client.post("/api/incidents", json={"street": 1}, headers=login("duty")).json()
    assert set(body) == {"error", "detail"} and set(body["detail"][0]) == {"field", "msg_zh", "msg_en"}
    assert set(body["error"]) == {"status", "msg_zh", "msg_en"}


def test_routes_declare_their_errors_and_the_bearer_scheme(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    assert schemes["HTTPBearer"] == {"type": "http", "scheme": "bearer", "description": schemes["HTTPBearer"]["description"]}
    create = spec["paths"]["/api/incidents"]["post"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(create["responses"])
    assert create["security"] == [{"OAuth2PasswordBearer": []}, {"HTTPBearer": []}]
    assert create["responses"]["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"}
    assert "429" in spec["paths"]["/api/auth/token"]["post"]["responses"]
    public = spec["paths"]["/api/public/warnings"]["get"]
    assert "401" not in public["responses"] and "security" not in public
    authed = [op for _, _, op in operations(spec) if "security" in op]
    assert len(authed) > 100 and all("401" in op["responses"] or {} in op["security"] for op in authed)


def test_docs_load_swagger_ui_from_the_platform(client):
    page = client.get("/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") for a in assets)
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 100, asset
    assert 'data-openapi="/openapi.json"' in page


def test_a_body_that_cannot_be_parsed_is_a_422_naming_the_body(client, login):
    """Found by the contract test: a JSON body that is not UTF-8 was FastAPI's undocumented 400."""
    r = client.post("/api/warnings/1/change-level", content=b"\x80\x14f",
                    headers={**login("duty"), "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"] == [
        {"field": "body", "msg_zh": r.json()["detail"][0]["msg_zh"], "msg_en": "There was an error parsing the body"}]

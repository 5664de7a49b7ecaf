"""/openapi.json describes every answer: a model for each success and for each error."""

from __future__ import annotations

MINE = ("/health", "/plans", "/tasks", "/agencies", "/industries", "/regions", "/indicators",
        "/views", "/graph")  # fmt: skip


def test_every_operation_documents_its_answers(embedded_client):
    spec = embedded_client.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        if not path.startswith(MINE):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            content = responses["200"]["content"]
            if path.endswith(".xlsx"):  # a file (the ledger): its media type, binary
                xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                assert content[xlsx]["schema"]["format"] == "binary", path
            else:
                ok = content["application/json"]["schema"]
                assert "$ref" in ok or ok.get("anyOf"), (method, path)
            for status in ("500", "503"):
                error = responses[status]["content"]["application/json"]["schema"]
                assert error["$ref"].rsplit("/", 1)[-1] in {"ErrorBody", "Health"}, (path, status)
            if operation.get("parameters"):
                # Our 422 body, not FastAPI's default HTTPValidationError.
                assert responses["422"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorBody"
                }, path
            checked += 1
    assert checked >= 20  # 13 views + the resources


def test_each_view_route_declares_its_header_parameters(embedded_client):
    spec = embedded_client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/views/neighbourhood"]["get"]["parameters"]}
    assert params["id"]["required"] is True
    depth = params["depth"]["schema"]["anyOf"][0]
    assert (depth["minimum"], depth["maximum"]) == (1, 3)
    assert "text/csv" in spec["paths"]["/views/neighbourhood"]["get"]["responses"]["200"]["content"]

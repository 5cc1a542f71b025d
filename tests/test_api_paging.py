"""The incident list at scale: the source, dataset and confidence filters, and paging by
cursor beside offset, every sort in both directions, across the incidents whose sort key
is unknown."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Desk

SORTS = ("event_date", "-event_date", "killed", "-killed", "id", "-id")


@pytest.fixture
def client(desk: Desk) -> TestClient:
    return desk.app()


def _ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["data"]]


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_pages_walk_the_same_order_as_offsets(client: TestClient, sort: str):
    whole = _ids(client.get("/api/incidents", params={"sort": sort}))
    by_offset = [i for n in range(len(whole)) for i in
                 _ids(client.get("/api/incidents", params={"sort": sort, "limit": 1,
                                                           "offset": n}))]
    by_cursor: list[int] = []
    cursor = None
    for _ in range(len(whole) + 1):
        params: dict[str, Any] = {"sort": sort, "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/incidents", params=params).json()
        assert page["count"] == len(whole)
        by_cursor += [item["id"] for item in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert by_offset == by_cursor == whole
    assert len(whole) == 3
    two = client.get("/api/incidents", params={"sort": sort, "limit": 2}).json()
    rest = client.get("/api/incidents", params={"sort": sort, "limit": 2,
                                                "cursor": two["next_cursor"]}).json()
    assert [i["id"] for i in two["data"] + rest["data"]] == whole
    assert rest["next_cursor"] is None


def test_an_offset_past_the_end_is_an_empty_page(client: TestClient):
    page = client.get("/api/incidents", params={"offset": 10, "sort": "-killed"}).json()
    assert (page["data"], page["count"], page["next_cursor"]) == ([], 3, None)


@pytest.mark.parametrize(("params", "problem"), [
    ({"cursor": "bm90LWEtY3Vyc29y"}, "not one this server made"),
    ({"cursor": "!!"}, "cursor"),
])
def test_bad_cursors_say_what_to_do(client: TestClient, params: dict[str, Any],
                                    problem: str):
    answer = client.get("/api/incidents", params=params)
    assert answer.status_code in (400, 422), answer.text
    assert problem in answer.json()["error"]["message"]


def test_a_cursor_is_bound_to_its_sort_and_excludes_an_offset(client: TestClient):
    cursor = client.get("/api/incidents?limit=1&sort=killed").json()["next_cursor"]
    other = client.get("/api/incidents", params={"cursor": cursor, "sort": "-killed"})
    assert other.status_code == 400
    assert other.json()["error"]["code"] == "bad_cursor"
    assert "sort=killed" in other.json()["error"]["message"]
    both = client.get("/api/incidents", params={"cursor": cursor, "sort": "killed",
                                                "offset": 1})
    assert both.status_code == 422
    assert "cursor or an offset" in both.json()["error"]["message"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"source": "medical"}, ["douma"]),  # a cited source, in part, any case
    ({"source": ["ACTIVISTS", "medical source"]}, ["douma", "raqqa"]),
    ({"source": "reuters"}, ["daraa", "douma", "raqqa"]),  # the reports' outlet
    ({"source": "Agence"}, []),
    ({"dataset": "reports"}, ["daraa", "douma", "raqqa"]),
    ({"dataset": ["acled", "gdelt"]}, []),
    ({"confidence": "weak"}, ["daraa", "douma", "raqqa"]),
    ({"confidence": ["fair", "confirmed"]}, []),
    ({"min_confidence": "weak"}, ["daraa", "douma", "raqqa"]),
    ({"min_confidence": "fair"}, []),
    ({"actor": "syrian-government", "source": "medical"}, ["douma"]),
])
def test_source_dataset_and_confidence_filters(client: TestClient, desk: Desk,
                                               params: dict[str, Any], expected: list[str]):
    names = {desk.douma: "douma", desk.daraa: "daraa", desk.raqqa: "raqqa"}
    answer = client.get("/api/incidents", params=params)
    assert [names[i] for i in _ids(answer)] == expected
    assert answer.json()["count"] == len(expected)


@pytest.mark.parametrize(("params", "field"), [
    ({"dataset": "wikipedia"}, "dataset"),
    ({"confidence": "certain"}, "confidence"),
    ({"min_confidence": "sure"}, "min_confidence"),
    ({"source": ""}, "source"),
])
def test_bad_new_filters_are_422(client: TestClient, params: dict[str, Any], field: str):
    answer = client.get("/api/incidents", params=params)
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["error"]["message"]


def test_the_openapi_document_lists_the_filters_and_the_cursor(client: TestClient):
    operation = client.get("/openapi.json").json()["paths"]["/api/incidents"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"q", "actor", "source", "dataset", "confidence", "min_confidence", "sort",
            "cursor", "offset", "limit"} <= names
    assert "400" in operation["responses"]

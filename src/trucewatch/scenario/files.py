"""Reading a scenario folder's files: text, YAML and JSON, each unreadable file one
ScenarioError naming its line."""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from trucewatch.errors import ScenarioError

SCENARIO_FILE = "scenario.yaml"
ZONES_FILE = "zones.geojson"


def builtin_root() -> Path:
    return Path(__file__).parent.parent / "scenarios"


def read_text(path: Path) -> str:
    if path.exists() and not path.is_file():  # a FIFO would block, a device never end
        raise ScenarioError(str(path), "not a regular file: a scenario folder holds "
                            f"{SCENARIO_FILE} and {ZONES_FILE}")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(str(path), "file missing: a scenario folder holds "
                            f"{SCENARIO_FILE} and {ZONES_FILE}") from None
    except OSError as error:
        raise ScenarioError(str(path), f"cannot read the file: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(str(path), f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                            "save the file as UTF-8", where=line) from None


class _YamlLoader(yaml.SafeLoader):
    """Safe loading that keeps dates as text (so a bad date is reported on its
    entry, not as a crash) and notes keys given twice (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.repeated.append((key_node.value, key_node.start_mark.line + 1))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)

    def construct_timestamp_as_text(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            _YamlLoader.construct_timestamp_as_text)


def read_yaml(path: Path) -> tuple[Any, list[tuple[str, int]]]:
    text = read_text(path)
    try:
        loader = _YamlLoader(text)  # refuses a NUL or another control character here
    except yaml.reader.ReaderError as error:
        raise ScenarioError(str(path), f"not valid YAML: character U+{error.character:04X} "
                            "is not allowed", where=text[:error.position].count("\n") + 1
                            ) from None
    try:
        return loader.get_single_data(), loader.repeated
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = ", ".join(str(p) for p in (error.context, error.problem) if p)
        column = f" (column {mark.column + 1})" if mark else ""
        raise ScenarioError(str(path), f"not valid YAML: {what}{column}",
                            where=mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise ScenarioError(str(path), f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(str(path), f"not valid JSON: {error.msg} (column {error.colno})",
                            where=error.lineno) from None
    except (ValueError, RecursionError) as error:
        raise ScenarioError(str(path), f"not valid JSON: {error}") from None


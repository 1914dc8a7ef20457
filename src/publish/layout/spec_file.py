"""Style files: a TOML mapping merged over a ``LayoutSpec``, then checked (``spec_check``).

Unknown keys and wrong types are ``SpecError`` naming the key and, for an unknown key, the allowed ones.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from publish.errors import SpecError
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_check import check_spec
from publish.patterns import Lazy

MAX_STYLE_BYTES = 1024 * 1024  # a style file is a few dozen lines; anything this large is a wrong path


def load_spec(path: str | Path, base: LayoutSpec | None = None) -> LayoutSpec:
    """Return ``base`` (the defaults when None) with the TOML file at ``path`` merged over it."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # /dev/zero, a FIFO, a folder: never read it
            raise SpecError("style file is not a regular file", path)
        with path.open("rb") as handle:
            raw = handle.read(MAX_STYLE_BYTES + 1)
        if len(raw) > MAX_STYLE_BYTES:
            raise SpecError(f"style file larger than {MAX_STYLE_BYTES // 1024} KiB", path)
        data = tomllib.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise SpecError(f"cannot read style file: {exc.strerror}", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"not valid TOML: {exc}", path) from None
    try:
        return merge_spec(base or default_spec(), data, str(path))
    except SpecError as exc:
        line = key_line(raw.decode("utf-8"), exc.key) if exc.key else 0
        if not line:
            raise
        raise SpecError(exc.message, path, line, exc.key) from None


def key_line(text: str, key: str) -> int:
    """Return the 1-based line of ``text`` (TOML) that sets the dotted ``key`` or opens its table, else the
    line of its nearest enclosing table or key; 0 when none is there (a line inside a multi-line value that
    looks like ``k = v`` may be taken for a key: the line is a pointer, not a parse)."""
    table: list[str] = []
    best, best_depth = 0, 0
    wanted = key.split(".")
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = _HEADER.fullmatch(line)
        if header:
            path = table = _dotted(header.group(1))
        elif "=" in line and not line.startswith("#"):
            path = table + _dotted(line.split("=", 1)[0])
        else:
            continue
        if path == wanted:
            return number
        if len(path) > best_depth and wanted[: len(path)] == path:
            best, best_depth = number, len(path)
    return best


_HEADER = Lazy(r"\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?")


def _dotted(text: str) -> list[str]:
    """Return the parts of a TOML dotted key (bare or quoted parts)."""
    return [part.strip().strip("\"'") for part in text.split(".")]


def merge_spec(spec: LayoutSpec, data: dict[str, Any], origin: str = "") -> LayoutSpec:
    """Return ``spec`` with the nested mapping ``data`` merged over it; raise SpecError on unknown keys."""
    merged: LayoutSpec = _merge(spec, data, "", origin)
    return check_spec(merged, origin)


def _merge(obj: Any, data: dict[str, Any], prefix: str, origin: str) -> Any:
    if not isinstance(data, dict):
        raise SpecError(f"{prefix.rstrip('.') or 'style'} must be a table", origin, key=prefix.rstrip("."))
    if isinstance(obj, dict):
        out = dict(obj)
        for key, value in data.items():
            if key not in obj:
                allowed = ", ".join(sorted(obj))
                raise SpecError(
                    f"unknown key {prefix}{key} (allowed: {allowed})", origin, key=f"{prefix}{key}"
                )
            current = obj[key]
            out[key] = (
                _merge(current, value, f"{prefix}{key}.", origin)
                if is_dataclass(current) or isinstance(current, dict)
                else _convert(current, value, f"{prefix}{key}", origin)
            )
        return out
    names = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            allowed = ", ".join(sorted(names))
            raise SpecError(f"unknown key {prefix}{key} (allowed: {allowed})", origin, key=f"{prefix}{key}")
        current = getattr(obj, key)
        if is_dataclass(current) or isinstance(current, dict):
            changes[key] = _merge(current, value, f"{prefix}{key}.", origin)
        else:
            changes[key] = _convert(current, value, f"{prefix}{key}", origin)
    return replace(obj, **changes)


def _convert(current: Any, value: Any, key: str, origin: str) -> Any:
    if isinstance(current, bool):
        ok = isinstance(value, bool)
    elif isinstance(current, (int, float)):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(current, int) and not isinstance(current, bool) and isinstance(value, float):
            ok = value.is_integer()
        if ok:
            value = type(current)(value)
    elif isinstance(current, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        raise SpecError(
            f"{key} must be {type(current).__name__}, not {type(value).__name__}", origin, key=key
        )
    return value

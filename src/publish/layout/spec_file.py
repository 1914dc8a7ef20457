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
    return merge_spec(base or default_spec(), data, str(path))


def merge_spec(spec: LayoutSpec, data: dict[str, Any], origin: str = "") -> LayoutSpec:
    """Return ``spec`` with the nested mapping ``data`` merged over it; raise SpecError on unknown keys."""
    merged: LayoutSpec = _merge(spec, data, "", origin)
    return check_spec(merged, origin)


def _merge(obj: Any, data: dict[str, Any], prefix: str, origin: str) -> Any:
    if not isinstance(data, dict):
        raise SpecError(f"{prefix.rstrip('.') or 'style'} must be a table", origin)
    if isinstance(obj, dict):
        out = dict(obj)
        for key, value in data.items():
            if key not in obj:
                raise SpecError(f"unknown key {prefix}{key} (allowed: {', '.join(sorted(obj))})", origin)
            current = obj[key]
            out[key] = (
                _merge(current, value, f"{prefix}{key}.", origin)
                if is_dataclass(current)
                else _convert(current, value, f"{prefix}{key}", origin)
            )
        return out
    names = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            raise SpecError(f"unknown key {prefix}{key} (allowed: {', '.join(sorted(names))})", origin)
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
        raise SpecError(f"{key} must be {type(current).__name__}, not {type(value).__name__}", origin)
    return value

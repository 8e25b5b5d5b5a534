"""Pydantic's error records rewritten in plain words, with "did you mean" hints.

Pydantic's own wording ("Input should be 'a', 'b' or 'c'", "Extra inputs are
not permitted") talks about Python; users edit YAML. Each error type maps to
a sentence about their file.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel

from briefgen.loading.positions import DataPath
from briefgen.validation.references import did_you_mean

ErrorRecord = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ErrorSite:
    """One Pydantic error with the model it came from and its cleaned data path."""

    error: ErrorRecord
    root: type[BaseModel]
    path: DataPath

    @property
    def ctx(self) -> Mapping[str, Any]:
        """Pydantic's context values for the error (bounds, expected values...)."""
        return cast(Mapping[str, Any], self.error.get("ctx", {}))


Rewrite = Callable[[ErrorSite], str]


def plain_message(error: ErrorRecord, root: type[BaseModel], path: DataPath) -> str:
    """Return the message for one Pydantic error at the (cleaned) data ``path``."""
    rewrite = _REWRITES.get(error["type"])
    if rewrite is not None:
        return rewrite(ErrorSite(error, root, path))
    return str(error["msg"])


def _missing(site: ErrorSite) -> str:
    return f"required key {site.path[-1]!r} is missing" if site.path else "required key is missing"


def _extra(site: ErrorSite) -> str:
    key = str(site.path[-1]) if site.path else "?"
    allowed = allowed_keys(site.root, site.path[:-1])
    hint = did_you_mean(key, allowed)
    if not hint and allowed:
        hint = f" (allowed here: {', '.join(allowed)})"
    return f"unknown key {key!r}{hint}"


def _literal(site: ErrorSite) -> str:
    expected = re.findall(r"'([^']*)'", str(site.ctx.get("expected", "")))
    value = site.error.get("input")
    if site.path == ("schema_version",):
        return f"this briefgen reads schema_version 1, not {value!r}"
    if not expected:
        return f"{value!r} is not allowed here; expected {site.ctx.get('expected')}"
    hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
    return f"{value!r} is not one of: {', '.join(expected)}{hint}"


def _value_error(site: ErrorSite) -> str:
    return str(site.error["msg"]).removeprefix("Value error, ")


def _too_short(site: ErrorSite) -> str:
    if isinstance(site.error.get("input"), str):
        return "must not be empty"
    return f"needs at least {site.ctx.get('min_length')} item(s)"


def _too_long(site: ErrorSite) -> str:
    return (
        f"has {site.ctx.get('actual_length')} items; at most {site.ctx.get('max_length')} allowed"
    )


def _bound(word: str, relation: str) -> Rewrite:
    def rewrite(site: ErrorSite) -> str:
        limit = site.ctx[_CTX[relation]]
        return f"{site.error.get('input')!r} is too {word}: must be {relation} {limit}"

    return rewrite


def _type_named(kind: str) -> Rewrite:
    def rewrite(site: ErrorSite) -> str:
        return f"expected {kind} but got {_describe(site.error.get('input'))}"

    return rewrite


_CTX = {"at least": "ge", "at most": "le", "more than": "gt", "less than": "lt"}


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return f"{type(value).__name__} {value!r}"


_REWRITES: dict[str, Rewrite] = {
    "missing": _missing,
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "value_error": _value_error,
    "too_short": _too_short,
    "too_long": _too_long,
    "greater_than_equal": _bound("small", "at least"),
    "less_than_equal": _bound("large", "at most"),
    "greater_than": _bound("small", "more than"),
    "less_than": _bound("large", "less than"),
    "int_parsing": _type_named("a whole number"),
    "int_type": _type_named("a whole number"),
    "int_from_float": _type_named("a whole number"),
    "string_type": _type_named("text"),
    "list_type": _type_named("a list (lines starting with '- ')"),
    "model_type": _type_named("a mapping (key: value lines)"),
    "model_attributes_type": _type_named("a mapping (key: value lines)"),
    "dict_type": _type_named("a mapping (key: value lines)"),
}


def allowed_keys(root: type[BaseModel], path: DataPath) -> tuple[str, ...]:
    """The keys the schema allows in the mapping at ``path`` (empty when unknown)."""
    model: type[BaseModel] | None = root
    for part in path:
        if model is None:
            return ()
        if isinstance(part, int):
            continue
        field = _fields_by_key(model).get(part)
        model = _model_in(field.annotation) if field else None
    return tuple(_fields_by_key(model)) if model else ()


def _fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    """The model's fields under the keys written in YAML (``from``, not ``from_``)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model class inside ``list[X]``, ``X | None`` or ``Annotated[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None

"""Source positions of keys and values, looked up by their path in the data."""

from __future__ import annotations

from dataclasses import dataclass, field

PathPart = str | int
DataPath = tuple[PathPart, ...]


def format_path(path: DataPath) -> str:
    """Render ``("participants", 0, "role")`` as ``participants[0].role``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass(slots=True)
class PositionIndex:
    """1-based (line, column) of every mapping key and every value, by data path.

    A value's position is where the value starts (for a list item, the item);
    a key's position is where the key is written. Lookups fall back to the
    nearest enclosing path so every problem gets a location.
    """

    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, path: DataPath) -> tuple[int, int]:
        """Where the value at ``path`` starts, else where its nearest ancestor does."""
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def of_key(self, path: DataPath) -> tuple[int, int]:
        """Where the key of ``path`` is written, else its value, else an ancestor."""
        if path in self.keys:
            return self.keys[path]
        return self.of_value(path)

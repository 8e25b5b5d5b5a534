"""Table and heat-map geometry: column counts and widths, square sizes, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.document.nodes import Column, HeatMap, Table


@dataclass(frozen=True, slots=True)
class TableGeometry:
    """A table's columns, one per cell of its widest row, and their share of the width."""

    columns: tuple[Column, ...]
    fractions: tuple[float, ...]
    """Each column's share of the text width; they add up to 1."""

    def widths(self, total: float) -> list[float]:
        """The columns' widths when the table spans ``total`` (any unit)."""
        return [total * fraction for fraction in self.fractions]


def table_geometry(block: Table) -> TableGeometry:
    """Normalise ``block``'s columns: a row wider than the declared columns gets default
    columns for the rest (its cells are never dropped), and non-positive weights make
    equal columns."""
    count = max([len(block.columns), len(block.header), *(len(row) for row in block.rows)])
    columns = (*block.columns, *[Column()] * (count - len(block.columns)))
    weights = [max(column.weight, 0.0) for column in columns]
    total = sum(weights)
    if total <= 0:
        weights, total = [1.0] * len(columns), float(len(columns))
    return TableGeometry(columns, tuple(weight / total for weight in weights))


@dataclass(frozen=True, slots=True)
class HeatMapGeometry:
    """How a heat map's grid is sized, in millimetres and fractions of the text width.

    Squares are at most ``max_cell_mm`` wide and at least ``ratio`` of their width
    tall; the row labels take at most ``max_label`` of the width (longer ones wrap);
    the squares are parted by white rules ``rule_pt`` thick.
    """

    max_cell_mm: float = 26.0
    ratio: float = 0.6
    max_label: float = 0.25
    gap_pt: float = 4.0
    pad_pt: float = 3.0
    rule_pt: float = 1.5
    rule_colour: str = "#FFFFFF"

    def cell_width_mm(self, block: HeatMap, room_mm: float) -> float:
        """The width of a square when the squares share ``room_mm``."""
        return min(self.max_cell_mm, room_mm / max(columns(block), 1))


def columns(block: HeatMap) -> int:
    """The number of columns of the heat map's widest row."""
    return max((len(row) for row in block.rows), default=0)


HEAT_MAP = HeatMapGeometry()
"""The heat-map geometry every writer uses."""

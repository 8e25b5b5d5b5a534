"""Table geometry: one column per cell of the widest row, widths by weight."""

from __future__ import annotations

import pytest

from briefgen.document.nodes import Cell, Column, HeatCell, HeatMap, Table, Text
from briefgen.presentation import table_geometry
from briefgen.presentation.tables import HEAT_MAP


def _cell(text: str) -> Cell:
    return Cell(((Text(text),),))


def test_a_row_wider_than_its_columns_gets_default_columns() -> None:
    table = Table((Column(2.0, "right"),), (_cell("a"),), ((_cell("1"), _cell("2"), _cell("3")),))
    geometry = table_geometry(table)
    assert [column.align for column in geometry.columns] == ["right", "left", "left"]
    assert geometry.fractions == pytest.approx((0.5, 0.25, 0.25))
    assert sum(geometry.widths(166)) == pytest.approx(166)


def test_non_positive_weights_make_equal_columns() -> None:
    table = Table((Column(0.0), Column(-1.0)), (), ((_cell("1"), _cell("2")),))
    assert table_geometry(table).fractions == pytest.approx((0.5, 0.5))


def test_heat_map_squares_share_the_room_up_to_their_size() -> None:
    heat_map = HeatMap(((HeatCell("low"),) * 5,), ("1",), tuple("12345"), "x", "y")
    assert HEAT_MAP.cell_width_mm(heat_map, 200) == HEAT_MAP.max_cell_mm
    assert HEAT_MAP.cell_width_mm(heat_map, 100) == pytest.approx(20)

"""Word tables as accessible HTML tables: header rows, ``colspan`` and ``rowspan``.

Rows marked "Repeat as header row" (``w:tblHeader``) form ``<thead>``; when none is
marked, the first row does (a table of one row has none). Header cells are
``<th scope="col">``. ``w:gridSpan`` becomes ``colspan``; a ``w:vMerge`` restart becomes
``rowspan`` over the cells that continue it below, within the same ``thead``/``tbody``.
"""

from __future__ import annotations

from collections.abc import Callable

from scorm_builder.readers.docx.intermediate import Block, Cell, Row, Table

CellRenderer = Callable[[tuple[Block, ...]], str]


def render_table(table: Table, caption: str, render_cell: CellRenderer) -> str:
    """The ``<table>`` markup; ``caption`` is already HTML (empty for none)."""
    rows = list(table.rows)
    header_count = 0
    while header_count < len(rows) and rows[header_count].header:
        header_count += 1
    if header_count == 0 and len(rows) > 1:
        header_count = 1
    if header_count == len(rows) and len(rows) > 1:
        header_count = 1
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{caption}</caption>")
    if header_count:
        parts.append("<thead>")
        parts.extend(_rows(rows[:header_count], render_cell, header=True))
        parts.append("</thead>")
    if rows[header_count:]:
        parts.append("<tbody>")
        parts.extend(_rows(rows[header_count:], render_cell, header=False))
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _positions(rows: list[Row]) -> list[list[tuple[int, Cell]]]:
    """Each row's cells with the grid column they start in."""
    placed: list[list[tuple[int, Cell]]] = []
    for row in rows:
        column = row.skipped_columns
        cells: list[tuple[int, Cell]] = []
        for cell in row.cells:
            cells.append((column, cell))
            column += cell.colspan
        placed.append(cells)
    return placed


def _rows(rows: list[Row], render_cell: CellRenderer, *, header: bool) -> list[str]:
    placed = _positions(rows)
    starts = [{column: cell for column, cell in row} for row in placed]
    out: list[str] = []
    for index, row in enumerate(placed):
        cells: list[str] = []
        for column, cell in row:
            above = starts[index - 1].get(column) if index else None
            if cell.merge == "continue" and above is not None and above.merge:
                continue
            rowspan = 1
            if cell.merge == "restart":
                below = index + 1
                while below < len(starts):
                    following = starts[below].get(column)
                    if following is None or following.merge != "continue":
                        break
                    rowspan += 1
                    below += 1
            cells.append(_cell(cell, render_cell, header=header, rowspan=rowspan))
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out


def _cell(cell: Cell, render_cell: CellRenderer, *, header: bool, rowspan: int) -> str:
    tag = "th" if header else "td"
    attributes = ' scope="col"' if header else ""
    if cell.colspan > 1:
        attributes += f' colspan="{cell.colspan}"'
    if rowspan > 1:
        attributes += f' rowspan="{rowspan}"'
    return f"<{tag}{attributes}>{render_cell(cell.blocks)}</{tag}>"

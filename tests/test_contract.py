"""Issue 12 item 1: the workbook contract, and the one cache of what a form compiles to."""

from __future__ import annotations

from dataclasses import replace

from workbook_tools.contract.compiled import compiled, index_of, layout_for, map_index
from workbook_tools.contract.layout import SHEET_FIGURES, build_layout
from workbook_tools.contract.meta import code_map
from workbook_tools.form import get_form


def test_a_form_is_compiled_once_per_definition() -> None:
    form = get_form("dvcq")
    again = get_form("dvcq")  # loaded anew: another object, the same definition
    assert again is not form and again.fingerprint == form.fingerprint
    assert compiled(again) is compiled(form)
    assert layout_for(again) is compiled(form).layout


def test_another_definition_is_compiled_apart() -> None:
    form = get_form("dvcq")
    renamed = replace(form, title=form.title + " (sửa)")
    assert renamed.fingerprint != form.fingerprint
    assert compiled(renamed) is not compiled(form)


def test_the_compiled_map_is_the_map_every_workbook_carries() -> None:
    form = get_form("dvcq")
    built = compiled(form)
    assert built.code_map == code_map(build_layout(form))
    assert built.index == index_of(built.code_map)
    assert [s.placement for s in form.sections[:2]] == ["unit", "figures"]
    first = form.sections[1].indicators[0]  # the figures sheet's first indicator
    entry = built.index.by_code[first.code]
    assert (entry.sheet, entry.cell) == (
        SHEET_FIGURES,
        "D7",
    )  # heading on row 6, the indicator below, column D


def test_a_map_read_from_a_file_is_indexed_alike_and_the_forms_own_is_not_rebuilt() -> None:
    built = compiled(get_form("dvcq"))
    assert map_index(built.code_map) is built.index
    read = list(built.code_map)  # the same entries, as parsed from another file
    assert map_index(read) == built.index and map_index(read) is not built.index
    assert map_index(read) is map_index(read)

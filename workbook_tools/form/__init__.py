"""Form definitions: the model, the loader and the one expression language."""

from workbook_tools.form.loader import get_form, load_form, parse_form, shipped_forms
from workbook_tools.form.model import Column, Field, Form, Indicator, Kind, Rule, Section, Table

__all__ = [
    "Column",
    "Field",
    "Form",
    "Indicator",
    "Kind",
    "Rule",
    "Section",
    "Table",
    "get_form",
    "load_form",
    "parse_form",
    "shipped_forms",
]

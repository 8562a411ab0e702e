"""The demo: the whole reporting loop on the shipped samples."""

from workbook_tools.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]

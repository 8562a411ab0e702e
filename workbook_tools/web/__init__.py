"""The web portal (``workbook-tools serve``): the web layer on top of the library, like ``cli``.

It parses a request, calls :mod:`workbook_tools.portal` and :mod:`workbook_tools.registry`,
and renders a page; it holds no logic of its own beyond its guards (:mod:`.security`).
"""

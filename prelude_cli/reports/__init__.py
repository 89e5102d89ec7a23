"""Case and programme reports: plain values built from the casebook, then rendered.

`case.py` and `programme.py` build the content as dataclasses (figures in `figures.py`);
`render_md.py`, `render_html.py` and `render_json.py` write the same content as Markdown, a
self-contained HTML page or JSON; `charts.py` draws the star and bar charts as SVG. Nothing
here prints, and Jinja2 is imported only when HTML or SVG is rendered.
"""

from __future__ import annotations

FORMATS = ("md", "html", "json")

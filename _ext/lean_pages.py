"""Sphinx extension: leaner, error-free pages.

- Drops repeated <script> entries. Jupyter Book 1.x registers sphinx-thebe's inline
  configuration twice, which makes browsers log "Identifier 'THEBE_JS_URL' has already been
  declared" on every page. The first copy of each script (same file, inline body and
  attributes, whatever its priority) is kept.
- Drops pydata-sphinx-theme's fontawesome.js (half a megabyte, gzipped), which redraws the
  icons as SVG: the theme's Font Awesome stylesheet and web fonts already draw them. The
  theme writes that <script> tag in its layout, so it is removed from the written pages.
"""
import re
from pathlib import Path

FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        filename = str(getattr(js, "filename", js) or "")  # inline scripts: None or ""
        key = (filename, repr(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    scripts[:] = kept  # in place: later handlers (e.g. MathJax) still append to this list


def _drop_fontawesome_js(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        lean = FONTAWESOME_JS.sub("", text)
        if lean != text:
            page.write_text(lean, encoding="utf-8")


def setup(app):
    # Early: a later handler may return a template name, which ends the event for the rest.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("build-finished", _drop_fontawesome_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Sphinx extension: drop repeated <script> entries from every page.

Jupyter Book 1.x registers sphinx-thebe's inline configuration script twice, which makes
browsers log "Identifier 'THEBE_JS_URL' has already been declared" on every page. This
keeps the first copy of each script (same file, inline body and attributes, whatever
its priority).
"""


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        key = (getattr(js, "filename", str(js)) or "",  # inline scripts: None or ""
               repr(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    scripts[:] = kept  # in place: later handlers (e.g. MathJax) still append to this list


def setup(app):
    # Early: a later handler may return a template name, which ends the event for the rest.
    app.connect("html-page-context", _dedupe, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

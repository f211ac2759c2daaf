"""The course's maintenance tools, one entry point: ``python -m tools COMMAND``.

    python -m tools refresh [NOTEBOOK ...]     re-execute chapters, store their outputs
    python -m tools sweep NOTEBOOK -p SEED 0 1 2   run a chapter per value, write its record
    python -m tools benchmark [...]            time chapters, the book build, the suite
    python -m tools page-weight                bytes each built page transfers
    python -m tools normalize [NOTEBOOK ...]   rewrite setup cells and metadata only
    python -m tools build [--path-output DIR]  the strict book build (any warning fails)

Library modules (imported by the tests): :mod:`tools.settings` (environment, conditions of
each run, Chromium's path), :mod:`tools.nbtools` (the repository setting, notebook
structure, compared outputs, glued values), :mod:`tools.execute` (run a notebook),
:mod:`tools.browser` (serve the built book, launch Chromium), :mod:`tools.records` (sweep
records), :mod:`tools.build` (the strict build command).
"""

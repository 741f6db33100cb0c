"""fsdocs' built-in templates, shipped inside the wheel as the package ``fsdocs.templates``.

This folder holds no Python: the file only makes it a regular package, which both a wheel and an
editable install can locate (pyproject.toml maps ``fsdocs.templates`` to this folder).
"""

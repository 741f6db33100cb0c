"""web stage: ``fsdocs servir``, the web application over a project folder.

One more front end over the library the CLI calls (reading, validation, the YAML editor, the
warm build, the version store, the comparisons): nothing is validated or written here in a
second way. What is its own lives in one SQLite database inside the project,
``.fsdocs/serveur.sqlite``: accounts, sessions, login attempts, drafts and proposals, and the
audit log (database.py).
"""

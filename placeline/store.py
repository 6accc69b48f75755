"""SQLite persistence: projects, their articles, and the corrections made to them.

One database file (``Settings.resolved_db_path`` unless a path is given) in WAL mode, so the app
and the CLI can read while another session writes. Every write is its own ``BEGIN IMMEDIATE``
transaction committed before the call returns: killing the app loses at most the write in
flight. Writers wait for each other up to ``busy_timeout`` seconds instead of failing.

The schema is versioned with ``PRAGMA user_version`` and upgraded by ``MIGRATIONS`` (one entry
per version). A file that is not a placeline database, is damaged, or comes from a newer
placeline is refused with a ``StoreError`` and never written to.

Corrections are keyed to the document hash (sha256 of the text), not to a project, so the same
article corrected in one project shows the fixes in another, and removing an article keeps its
corrections for when it is added again.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

from placeline.corrections import (
    Correction,
    correction_from_dict,
    correction_to_dict,
    document_hash,
)
from placeline.errors import InputError, StoreError
from placeline.model import Document
from placeline.settings import Settings

# "PLIN": marks the file as ours, so a foreign SQLite database is told apart from an empty one.
APPLICATION_ID = 0x504C494E
EXPORT_FORMAT = "placeline.project"
EXPORT_VERSION = 1
_SQLITE_HEADER = b"SQLite format 3\x00"


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not ``executescript``: it commits first, which would split a migration over several
    # transactions and leave a half-migrated file if the process died in between.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE documents (
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            title TEXT,
            lang TEXT NOT NULL,
            published TEXT,
            published_granularity TEXT,
            published_source TEXT,
            url TEXT,
            added TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (project_id, id)
        );
        CREATE INDEX documents_by_sha256 ON documents(sha256);
        CREATE TABLE corrections (
            id TEXT PRIMARY KEY,
            doc_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT,
            payload TEXT NOT NULL
        );
        CREATE INDEX corrections_by_doc_hash ON corrections(doc_hash, created_at);
        """,
    )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    # Earlier texts of an edited article, so its corrections (keyed to the old hash) are found
    # and re-anchored in the new text.
    _run_script(
        conn,
        """
        CREATE TABLE document_versions (
            project_id INTEGER NOT NULL,
            doc_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            replaced TEXT NOT NULL,
            PRIMARY KEY (project_id, doc_id, sha256),
            FOREIGN KEY (project_id, doc_id) REFERENCES documents(project_id, id)
                ON DELETE CASCADE
        );
        """,
    )


# MIGRATIONS[n] upgrades a database from version n to n + 1; append, never edit.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_to_1, _migrate_to_2)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Project:
    """A named set of articles."""

    name: str
    created: dt.datetime


@dataclass(frozen=True)
class StoredDocument:
    """An article as stored in a project: the document, its text hash and when it was added."""

    document: Document
    sha256: str
    added: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _check_file(path: Path) -> None:
    """Refuse, without writing, a file that exists and is not an SQLite database."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a placeline database")
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if header != _SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a placeline database (not an SQLite file); it was left untouched"
        )


def _inspect_read_only(path: Path) -> tuple[int, int, int]:
    """(user_version, application_id, number of tables), read without writing to the file."""
    if not path.exists() or path.stat().st_size == 0:
        return 0, 0, 0
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be opened: {exc}") from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is not a placeline database or is damaged ({exc}); it was left untouched"
        ) from exc
    finally:
        conn.close()
    if check != "ok":
        raise StoreError(f"{path} is damaged ({check}); it was left untouched")
    return version, app_id, tables


class Store:
    """A placeline database. Open with ``Store.open``; safe to share between threads (calls
    are serialised) and between processes (SQLite locking, WAL)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        settings: Settings | None = None,
        busy_timeout: float = 10.0,
    ) -> Store:
        """Open (creating if needed) the database at ``path``, or at
        ``settings.resolved_db_path`` (``Settings.from_env()`` when no settings are given).

        Upgrades an older schema. Raises ``StoreError`` for a file that is not a placeline
        database, is damaged, or has a newer schema; such a file is never written to.
        ``busy_timeout`` is how long a write waits for another session's write to finish.
        """
        if path is None:
            path = (settings or Settings.from_env()).resolved_db_path
        path = Path(path)
        _check_file(path)
        version, app_id, tables = _inspect_read_only(path)
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
            raise StoreError(
                f"{path} is not a placeline database (an SQLite file of another program); "
                "it was left untouched"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer placeline (schema {version}, this one reads up "
                f"to {SCHEMA_VERSION}); update placeline to open it. The file was left untouched"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
        store = cls(conn, path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{path} cannot be put in WAL mode (it is in {mode} mode)")
            # FULL: a commit is on disk before the call returns, even across a power cut.
            conn.execute("PRAGMA synchronous = FULL")
            store._migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def _migrate(self) -> None:
        with self._write() as conn:
            # Read again inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer placeline (schema {version}); "
                    "update placeline to open it"
                )
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for migration in MIGRATIONS[version:]:
                migration(conn)
            if version != SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection; everything was already committed."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the open database (``SCHEMA_VERSION`` once opened)."""
        return self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])

    # --- transactions ------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead
        # of one failing with "database is locked" when it upgrades a read to a write.
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"the database {self.path} cannot be written: {exc}") from exc
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise StoreError(f"the change could not be saved in {self.path}: {exc}") from exc

    def _read(self, query: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._lock:
            try:
                return query(self._conn)
            except sqlite3.Error as exc:
                raise StoreError(f"the database {self.path} cannot be read: {exc}") from exc

    def _project_id(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT id FROM projects WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise StoreError(f"there is no project called {name!r}")
        return row[0]

    # --- projects ----------------------------------------------------------------------------

    def create_project(self, name: str) -> Project:
        """Create an empty project; ``StoreError`` if the name is taken."""
        name = name.strip()
        if not name:
            raise InputError("a project needs a name")
        created = _now()
        with self._write() as conn:
            try:
                conn.execute(
                    "INSERT INTO projects (name, created) VALUES (?, ?)", (name, _iso(created))
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"a project called {name!r} already exists") from exc
        return Project(name=name, created=created)

    def list_projects(self) -> list[Project]:
        """All projects, by name."""
        rows = self._read(
            lambda c: c.execute("SELECT name, created FROM projects ORDER BY name").fetchall()
        )
        return [Project(name, dt.datetime.fromisoformat(created)) for name, created in rows]

    def delete_project(self, name: str) -> None:
        """Delete a project and its articles (their corrections stay, keyed to the text)."""
        with self._write() as conn:
            conn.execute("DELETE FROM projects WHERE id = ?", (self._project_id(conn, name),))

    # --- documents ---------------------------------------------------------------------------

    def add_document(self, project: str, document: Document) -> StoredDocument:
        """Add an article to ``project``. Adding the same text again is a no-op; another text
        under an existing id raises ``StoreError`` (use ``update_document``)."""
        sha = document_hash(document.text)
        added = _now()
        with self._write() as conn:
            project_id = self._project_id(conn, project)
            row = conn.execute(
                "SELECT sha256, added FROM documents WHERE project_id = ? AND id = ?",
                (project_id, document.id),
            ).fetchone()
            if row is not None:
                if row[0] != sha:
                    raise StoreError(
                        f"project {project!r} already has another text under the id "
                        f"{document.id!r}; edit it instead of adding it again"
                    )
                return StoredDocument(document, sha, dt.datetime.fromisoformat(row[1]))
            position = conn.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM documents WHERE project_id = ?",
                (project_id,),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO documents (project_id, id, text, sha256, title, lang, published, "
                "published_granularity, published_source, url, added, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project_id,) + _document_values(document, sha, added, position),
            )
        return StoredDocument(document, sha, added)

    def update_document(self, project: str, document: Document) -> StoredDocument:
        """Replace the text and metadata of the article with ``document.id``. The old text's
        hash is remembered, so ``corrections_for_document`` still finds its corrections."""
        sha = document_hash(document.text)
        with self._write() as conn:
            project_id = self._project_id(conn, project)
            row = conn.execute(
                "SELECT sha256, added FROM documents WHERE project_id = ? AND id = ?",
                (project_id, document.id),
            ).fetchone()
            if row is None:
                raise StoreError(f"project {project!r} has no article {document.id!r}")
            old_sha, added = row[0], dt.datetime.fromisoformat(row[1])
            conn.execute(
                "UPDATE documents SET text = ?, sha256 = ?, title = ?, lang = ?, published = ?, "
                "published_granularity = ?, published_source = ?, url = ? "
                "WHERE project_id = ? AND id = ?",
                (*_content_values(document, sha), project_id, document.id),
            )
            if old_sha != sha:
                conn.execute(
                    "INSERT OR IGNORE INTO document_versions (project_id, doc_id, sha256, "
                    "replaced) VALUES (?, ?, ?, ?)",
                    (project_id, document.id, old_sha, _iso(_now())),
                )
        return StoredDocument(document, sha, added)

    def documents(self, project: str) -> list[StoredDocument]:
        """The articles of ``project`` in the order they were added."""

        def query(conn: sqlite3.Connection) -> list[tuple]:
            project_id = self._project_id(conn, project)
            return conn.execute(
                "SELECT id, text, title, lang, published, published_granularity, "
                "published_source, url, sha256, added FROM documents WHERE project_id = ? "
                "ORDER BY position",
                (project_id,),
            ).fetchall()

        return [_stored_document(row) for row in self._read(query)]

    def document(self, project: str, doc_id: str) -> StoredDocument:
        """One article of ``project``; ``StoreError`` when it is not there."""
        found = [d for d in self.documents(project) if d.document.id == doc_id]
        if not found:
            raise StoreError(f"project {project!r} has no article {doc_id!r}")
        return found[0]

    def remove_document(self, project: str, doc_id: str) -> None:
        """Remove an article from ``project``. Its corrections are kept (keyed to the text)
        and come back if the same text is added again."""
        with self._write() as conn:
            project_id = self._project_id(conn, project)
            deleted = conn.execute(
                "DELETE FROM documents WHERE project_id = ? AND id = ?", (project_id, doc_id)
            ).rowcount
            if not deleted:
                raise StoreError(f"project {project!r} has no article {doc_id!r}")

    # --- corrections -------------------------------------------------------------------------

    def add_correction(self, correction: Correction) -> Correction:
        """Save a correction, committed before this returns."""
        payload = correction_to_dict(replace(correction, undone_at=None))
        with self._write() as conn:
            try:
                conn.execute(
                    "INSERT INTO corrections (id, doc_hash, kind, created_at, undone_at, payload) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        correction.id,
                        correction.doc_hash,
                        correction.kind,
                        _iso(correction.created_at),
                        _iso(correction.undone_at),
                        json.dumps(payload, ensure_ascii=False),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"a correction with id {correction.id!r} already exists") from exc
        return correction

    def undo_correction(self, correction_id: str) -> Correction:
        """Mark a correction as undone (it stays listed, with when it was undone)."""
        return self._set_undone(correction_id, _now())

    def redo_correction(self, correction_id: str) -> Correction:
        """Make an undone correction apply again."""
        return self._set_undone(correction_id, None)

    def _set_undone(self, correction_id: str, when: dt.datetime | None) -> Correction:
        with self._write() as conn:
            row = conn.execute(
                "SELECT payload, undone_at FROM corrections WHERE id = ?", (correction_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"there is no correction {correction_id!r}")
            if when is not None and row[1] is not None:
                when = dt.datetime.fromisoformat(row[1])  # undoing twice keeps the first time
            conn.execute(
                "UPDATE corrections SET undone_at = ? WHERE id = ?", (_iso(when), correction_id)
            )
        return replace(_correction(row[0], None), undone_at=when)

    def correction(self, correction_id: str) -> Correction:
        """One correction by id; ``StoreError`` when there is none."""
        row = self._read(
            lambda c: c.execute(
                "SELECT payload, undone_at FROM corrections WHERE id = ?", (correction_id,)
            ).fetchone()
        )
        if row is None:
            raise StoreError(f"there is no correction {correction_id!r}")
        return _correction(*row)

    def corrections(self, doc_hash: str, *, include_undone: bool = False) -> list[Correction]:
        """The corrections made to the text with sha256 ``doc_hash``, oldest first."""
        return self._corrections((doc_hash,), include_undone=include_undone)

    def corrections_for_document(
        self, project: str, doc_id: str, *, include_undone: bool = False
    ) -> list[Correction]:
        """The corrections of an article, including those made to its earlier texts (before an
        ``update_document``), oldest first. Feed them to ``apply_corrections``."""

        def hashes(conn: sqlite3.Connection) -> tuple[str, ...]:
            project_id = self._project_id(conn, project)
            rows = conn.execute(
                "SELECT sha256 FROM documents WHERE project_id = ? AND id = ? UNION "
                "SELECT sha256 FROM document_versions WHERE project_id = ? AND doc_id = ?",
                (project_id, doc_id, project_id, doc_id),
            ).fetchall()
            return tuple(r[0] for r in rows)

        found = self._read(hashes)
        if not found:
            raise StoreError(f"project {project!r} has no article {doc_id!r}")
        return self._corrections(found, include_undone=include_undone)

    def _corrections(self, hashes: tuple[str, ...], *, include_undone: bool) -> list[Correction]:
        marks = ", ".join("?" * len(hashes))
        undone = "" if include_undone else " AND undone_at IS NULL"
        rows = self._read(
            lambda c: c.execute(
                f"SELECT payload, undone_at FROM corrections WHERE doc_hash IN ({marks}){undone} "
                "ORDER BY created_at, id",
                hashes,
            ).fetchall()
        )
        return [_correction(*row) for row in rows]

    # --- export / import ---------------------------------------------------------------------

    def export_project(self, name: str) -> dict[str, Any]:
        """The project as one JSON-ready dict: articles with metadata and text, earlier text
        hashes, and every correction (undone ones too, with when)."""

        def query(conn: sqlite3.Connection) -> tuple:
            project_id = self._project_id(conn, name)
            created = conn.execute(
                "SELECT created FROM projects WHERE id = ?", (project_id,)
            ).fetchone()[0]
            versions = conn.execute(
                "SELECT doc_id, sha256 FROM document_versions WHERE project_id = ? "
                "ORDER BY replaced",
                (project_id,),
            ).fetchall()
            return created, versions

        created, versions = self._read(query)
        documents = self.documents(name)
        earlier: dict[str, list[str]] = {}
        for doc_id, sha in versions:
            earlier.setdefault(doc_id, []).append(sha)
        hashes = {d.sha256 for d in documents} | {sha for _, sha in versions}
        corrections = (
            self._corrections(tuple(sorted(hashes)), include_undone=True) if hashes else []
        )
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "project": {"name": name, "created": created},
            "documents": [
                {**_document_to_dict(d), "earlier_sha256": earlier.get(d.document.id, [])}
                for d in documents
            ],
            "corrections": [
                {**correction_to_dict(c), "undone_at": _iso(c.undone_at)} for c in corrections
            ],
        }

    def import_project(self, data: dict[str, Any], *, name: str | None = None) -> Project:
        """Import an ``export_project`` dict as a new project (named ``name``, or as exported).

        All or nothing, in one transaction. Corrections already in the database (same id) are
        kept as they are. ``StoreError`` for a name that is taken or a file that is not a
        placeline project export.
        """
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise StoreError("the file is not a placeline project export")
        if not isinstance(data.get("version"), int) or data["version"] > EXPORT_VERSION:
            raise StoreError(
                f"the project export has version {data.get('version')!r}; this placeline reads "
                f"up to version {EXPORT_VERSION}"
            )
        try:
            project_name = (name or data["project"]["name"]).strip()
            created = dt.datetime.fromisoformat(data["project"]["created"])
            documents = [_document_from_dict(d) for d in data["documents"]]
            corrections = [
                (
                    correction_from_dict(c),
                    dt.datetime.fromisoformat(c["undone_at"]) if c.get("undone_at") else None,
                )
                for c in data["corrections"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"the project export is incomplete or damaged: {exc!r}") from exc
        if not project_name:
            raise InputError("a project needs a name")
        with self._write() as conn:
            try:
                project_id = conn.execute(
                    "INSERT INTO projects (name, created) VALUES (?, ?)",
                    (project_name, _iso(created)),
                ).lastrowid
            except sqlite3.IntegrityError as exc:
                raise StoreError(
                    f"a project called {project_name!r} already exists; import it under "
                    "another name"
                ) from exc
            for position, (stored, earlier) in enumerate(documents, start=1):
                conn.execute(
                    "INSERT INTO documents (project_id, id, text, sha256, title, lang, "
                    "published, published_granularity, published_source, url, added, position) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (project_id,)
                    + _document_values(stored.document, stored.sha256, stored.added, position),
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO document_versions (project_id, doc_id, sha256, "
                    "replaced) VALUES (?, ?, ?, ?)",
                    [(project_id, stored.document.id, sha, _iso(_now())) for sha in earlier],
                )
            for correction, undone_at in corrections:
                conn.execute(
                    "INSERT OR IGNORE INTO corrections (id, doc_hash, kind, created_at, "
                    "undone_at, payload) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        correction.id,
                        correction.doc_hash,
                        correction.kind,
                        _iso(correction.created_at),
                        _iso(undone_at),
                        json.dumps(
                            correction_to_dict(replace(correction, undone_at=None)),
                            ensure_ascii=False,
                        ),
                    ),
                )
        return Project(name=project_name, created=created)


def _content_values(document: Document, sha: str) -> tuple[Any, ...]:
    """text, sha256, title, lang, published, published_granularity, published_source, url."""
    return (
        document.text,
        sha,
        document.title,
        document.lang,
        document.published.isoformat() if document.published else None,
        document.published_granularity,
        document.published_source,
        document.url,
    )


def _document_values(
    document: Document, sha: str, added: dt.datetime, position: int
) -> tuple[Any, ...]:
    return (document.id, *_content_values(document, sha), _iso(added), position)


def _stored_document(row: tuple) -> StoredDocument:
    doc_id, text, title, lang, published, granularity, source, url, sha, added = row
    document = Document(
        id=doc_id,
        text=text,
        title=title,
        lang=lang,
        published=dt.date.fromisoformat(published) if published else None,
        published_granularity=granularity,
        published_source=source,
        url=url,
    )
    return StoredDocument(document, sha, dt.datetime.fromisoformat(added))


def _document_to_dict(stored: StoredDocument) -> dict[str, Any]:
    document = stored.document
    return {
        "id": document.id,
        "text": document.text,
        "sha256": stored.sha256,
        "title": document.title,
        "lang": document.lang,
        "published": document.published.isoformat() if document.published else None,
        "published_granularity": document.published_granularity,
        "published_source": document.published_source,
        "url": document.url,
        "added": _iso(stored.added),
    }


def _document_from_dict(data: dict[str, Any]) -> tuple[StoredDocument, list[str]]:
    stored = _stored_document(
        (
            data["id"],
            data["text"],
            data.get("title"),
            data.get("lang") or "de",
            data.get("published"),
            data.get("published_granularity"),
            data.get("published_source"),
            data.get("url"),
            data["sha256"],
            data["added"],
        )
    )
    if document_hash(stored.document.text) != stored.sha256:
        raise ValueError(f"the text of article {stored.document.id!r} does not match its sha256")
    return stored, list(data.get("earlier_sha256", []))


def _correction(payload: str, undone_at: str | None) -> Correction:
    correction = correction_from_dict(json.loads(payload))
    return replace(
        correction, undone_at=dt.datetime.fromisoformat(undone_at) if undone_at else None
    )

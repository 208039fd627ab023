-- fastsession schema for SQLite. ${table_prefix} is fastsession.jdbc.table-prefix.
-- Times are epoch milliseconds; id is the SHA-256 of the session id (never the id itself).
-- Foreign keys are enforced on every connection fastsession opens (PRAGMA foreign_keys).
CREATE TABLE ${table_prefix}sessions (
    id                 TEXT    NOT NULL PRIMARY KEY,
    created_at         INTEGER NOT NULL,
    last_access_at     INTEGER NOT NULL,
    max_idle_ms        INTEGER NOT NULL,
    absolute_expiry_at INTEGER,
    expires_at         INTEGER NOT NULL
);

CREATE INDEX ${table_prefix}sessions_expires_at ON ${table_prefix}sessions (expires_at);

CREATE TABLE ${table_prefix}session_attributes (
    session_id TEXT NOT NULL REFERENCES ${table_prefix}sessions (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      BLOB NOT NULL,
    PRIMARY KEY (session_id, name)
) WITHOUT ROWID;

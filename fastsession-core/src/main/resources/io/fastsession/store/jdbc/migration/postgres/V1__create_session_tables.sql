-- fastsession schema for PostgreSQL. ${table_prefix} is fastsession.jdbc.table-prefix.
-- Times are epoch milliseconds; id is the SHA-256 of the session id (never the id itself).
CREATE TABLE ${table_prefix}sessions (
    id                 VARCHAR(43) NOT NULL PRIMARY KEY,
    created_at         BIGINT      NOT NULL,
    last_access_at     BIGINT      NOT NULL,
    max_idle_ms        BIGINT      NOT NULL,
    absolute_expiry_at BIGINT,
    expires_at         BIGINT      NOT NULL
);

CREATE INDEX ${table_prefix}sessions_expires_at ON ${table_prefix}sessions (expires_at);

CREATE TABLE ${table_prefix}session_attributes (
    session_id VARCHAR(43)  NOT NULL REFERENCES ${table_prefix}sessions (id) ON DELETE CASCADE,
    name       VARCHAR(200) NOT NULL,
    value      BYTEA        NOT NULL,
    PRIMARY KEY (session_id, name)
);

-- fastsession schema for MySQL 8 and MariaDB 10.6+. ${table_prefix} is
-- fastsession.jdbc.table-prefix. InnoDB for transactions and foreign keys; binary collations
-- so that keys and attribute names compare exactly. Times are epoch milliseconds; id is the
-- SHA-256 of the session id (never the id itself).
CREATE TABLE ${table_prefix}sessions (
    id                 CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    created_at         BIGINT NOT NULL,
    last_access_at     BIGINT NOT NULL,
    max_idle_ms        BIGINT NOT NULL,
    absolute_expiry_at BIGINT NULL,
    expires_at         BIGINT NOT NULL,
    INDEX ${table_prefix}sessions_expires_at (expires_at)
) ENGINE = InnoDB;

CREATE TABLE ${table_prefix}session_attributes (
    session_id CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name       VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    value      LONGBLOB NOT NULL,
    PRIMARY KEY (session_id, name),
    CONSTRAINT ${table_prefix}session_attributes_session FOREIGN KEY (session_id)
        REFERENCES ${table_prefix}sessions (id) ON DELETE CASCADE
) ENGINE = InnoDB;

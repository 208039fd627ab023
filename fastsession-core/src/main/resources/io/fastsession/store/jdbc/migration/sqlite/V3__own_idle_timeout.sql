-- A session's own idle timeout (Session.setMaxIdleTime) is kept when a request that did not
-- set it writes the session, and is not replaced by a changed configured timeout: 1 when
-- max_idle_ms is the session's own, 0 when it is the configured default at the last write.
ALTER TABLE ${table_prefix}sessions ADD COLUMN max_idle_own INTEGER NOT NULL DEFAULT 0;

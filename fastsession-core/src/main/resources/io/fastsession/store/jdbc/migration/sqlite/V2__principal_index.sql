-- Principal index: find and revoke a user's sessions ("log out everywhere").
ALTER TABLE ${table_prefix}sessions ADD COLUMN principal_name TEXT;

CREATE INDEX ${table_prefix}sessions_principal_name ON ${table_prefix}sessions (principal_name);

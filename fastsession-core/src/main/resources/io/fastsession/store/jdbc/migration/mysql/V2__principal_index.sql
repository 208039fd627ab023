-- Principal index: find and revoke a user's sessions ("log out everywhere").
ALTER TABLE ${table_prefix}sessions
    ADD COLUMN principal_name VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD INDEX ${table_prefix}sessions_principal_name (principal_name);

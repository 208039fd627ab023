-- An application's own Flyway migration, to prove fastsession's migrations coexist with it.
CREATE TABLE app_orders (
    id    BIGINT       NOT NULL PRIMARY KEY,
    label VARCHAR(100) NOT NULL
);

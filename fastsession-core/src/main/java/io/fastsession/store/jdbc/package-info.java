/**
 * The SQL providers (postgres, mysql, sqlite): a session table and an attribute table, on
 * spring-jdbc with Flyway migrations, run on a bounded scheduler.
 */
@NullMarked
package io.fastsession.store.jdbc;

import org.jspecify.annotations.NullMarked;

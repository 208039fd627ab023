package io.fastsession.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * Wraps a real data source and records every statement executed and every commit, to hold
 * a store to a number of statements per request.
 */
public final class CountingDataSource {

	private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
			"executeBatch", "executeLargeBatch");

	/** Statements executed, as their SQL (a batch counts once). */
	public final List<String> statements = new CopyOnWriteArrayList<>();

	/**
	 * Commits, that is transactions (explicit or auto-committed statements are not
	 * counted).
	 */
	public final AtomicInteger commits = new AtomicInteger();

	private final DataSource dataSource;

	public CountingDataSource(DataSource delegate) {
		this.dataSource = proxy(DataSource.class, delegate, (target, method, args) -> {
			Object result = invoke(target, method, args);
			return (result instanceof Connection connection) ? connection(connection) : result;
		});
	}

	public DataSource getDataSource() {
		return this.dataSource;
	}

	public void reset() {
		this.statements.clear();
		this.commits.set(0);
	}

	private Connection connection(Connection connection) {
		return proxy(Connection.class, connection, (target, method, args) -> {
			if (method.getName().equals("commit")) {
				this.commits.incrementAndGet();
			}
			Object result = invoke(target, method, args);
			if (result instanceof Statement statement && method.getName().startsWith("prepare")) {
				return statement(statement, (String) args[0], method.getReturnType());
			}
			return result;
		});
	}

	private Object statement(Statement statement, String sql, Class<?> type) {
		return proxy(type, statement, (target, method, args) -> {
			if (EXECUTE.contains(method.getName())) {
				this.statements.add(sql);
			}
			return invoke(target, method, args);
		});
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Object target, Handler handler) {
		InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
		return (T) Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] { type },
				invocation);
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	@FunctionalInterface
	private interface Handler {

		Object handle(Object target, Method method, Object[] args) throws Throwable;

	}

}

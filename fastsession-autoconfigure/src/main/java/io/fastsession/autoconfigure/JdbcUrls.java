package io.fastsession.autoconfigure;

/**
 * Describes a JDBC URL for logs and failure reports without what must not be shown: user
 * information before {@code @} and every parameter (which may carry a password) are left
 * out.
 */
final class JdbcUrls {

	private JdbcUrls() {
	}

	/**
	 * Return where a JDBC URL leads, as {@code host:port/database}.
	 * @param url the URL, such as {@code jdbc:postgresql://db:5432/app?password=secret}
	 * @return the description, such as {@code db:5432/app}
	 */
	static String describe(String url) {
		String rest = url;
		int slashes = rest.indexOf("//");
		if (slashes >= 0) {
			rest = rest.substring(slashes + 2);
		}
		else {
			// jdbc:postgresql:app: a database on the default host
			int colon = rest.lastIndexOf(':');
			rest = rest.substring(colon + 1);
		}
		int end = indexOfAny(rest, "?;");
		if (end >= 0) {
			rest = rest.substring(0, end);
		}
		int slash = rest.indexOf('/');
		int at = rest.lastIndexOf('@', (slash >= 0) ? slash : rest.length());
		if (at >= 0) {
			rest = rest.substring(at + 1);
		}
		return rest.isEmpty() ? "(default host)" : rest;
	}

	private static int indexOfAny(String value, String characters) {
		for (int i = 0; i < value.length(); i++) {
			if (characters.indexOf(value.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

}

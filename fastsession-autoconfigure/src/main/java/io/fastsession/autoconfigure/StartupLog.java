package io.fastsession.autoconfigure;

import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The line fastsession logs at start-up, once its store is ready: which provider and
 * where it keeps sessions (a host and port, a directory or a file; never a password), so
 * that an operator sees at once that sessions go where they should.
 */
final class StartupLog {

	private static final Log logger = LogFactory.getLog(FastSessionAutoConfiguration.class);

	private StartupLog() {
	}

	static void storeReady(Provider provider, String where) {
		if (logger.isInfoEnabled()) {
			logger.info("fastsession: sessions are kept by the " + provider.id() + " provider, in " + where);
		}
	}

}

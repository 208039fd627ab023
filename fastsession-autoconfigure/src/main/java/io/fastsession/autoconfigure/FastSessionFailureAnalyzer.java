package io.fastsession.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link FastSessionStartupException}: what is wrong and what to do.
 *
 * @author fastsession authors
 */
class FastSessionFailureAnalyzer extends AbstractFailureAnalyzer<FastSessionStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FastSessionStartupException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}

package io.fastsession.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fastsession.autoconfigure.FastSessionProperties.Provider;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnSessionProvider}.
 */
class OnSessionProviderCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnSessionProvider.class.getName());
		List<Provider> accepted = Arrays.asList((Provider[]) attributes.get("value"));
		ProviderSetup setup = ProviderSetup.of(context.getEnvironment());
		if (setup == null || !accepted.contains(setup.provider())) {
			return ConditionOutcome.noMatch("fastsession.provider is not one of " + accepted);
		}
		List<ProviderSetup.Library> missing = setup.missing(context.getClassLoader());
		if (!missing.isEmpty()) {
			return ConditionOutcome.noMatch(setup.description() + ", missing " + missing);
		}
		return ConditionOutcome.match(setup.description() + ", with every library it needs");
	}

}

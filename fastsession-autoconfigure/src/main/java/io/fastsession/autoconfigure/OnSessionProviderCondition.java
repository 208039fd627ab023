package io.fastsession.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
		List<SessionProvider> accepted = Arrays.asList((SessionProvider[]) attributes.get("value"));
		String name = context.getEnvironment().getProperty("fastsession.provider", "memory");
		Optional<SessionProvider> provider = SessionProvider.of(name);
		if (provider.isEmpty() || !accepted.contains(provider.get())) {
			return ConditionOutcome.noMatch("fastsession.provider is '" + name + "', not one of " + accepted);
		}
		List<SessionProvider.Requirement> missing = provider.get().missing(context.getClassLoader());
		if (!missing.isEmpty()) {
			return ConditionOutcome.noMatch("provider " + name + " is missing " + missing);
		}
		return ConditionOutcome.match("provider " + name + " with its libraries");
	}

}

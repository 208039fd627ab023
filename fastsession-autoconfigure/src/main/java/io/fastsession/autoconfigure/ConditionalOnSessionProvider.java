package io.fastsession.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code fastsession.provider} names one of the given providers (memory when
 * unset) and every library that provider needs is on the classpath.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnSessionProviderCondition.class)
@interface ConditionalOnSessionProvider {

	FastSessionProperties.Provider[] value();

}

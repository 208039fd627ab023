package io.fastsession.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@link javax.sql.DataSource} the SQL providers use when the application has
 * several and {@code fastsession.jdbc.url} is not set:
 *
 * <pre class="code">
 * &#64;Bean
 * &#64;FastSessionDataSource
 * DataSource sessionDataSource() { ... }
 * </pre>
 *
 * @author fastsession authors
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface FastSessionDataSource {

}

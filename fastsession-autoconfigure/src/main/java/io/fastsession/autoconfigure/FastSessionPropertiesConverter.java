package io.fastsession.autoconfigure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fastsession.autoconfigure.FastSessionProperties.Provider;
import io.fastsession.web.CookieSessionIdResolver.SecureMode;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Binds the values of {@code fastsession.*} that Spring Boot's own enum conversion would
 * refuse: fasthttpsession's provider names ({@code memcache}, {@code sqlite3}) and the
 * booleans a fasthttpsession or Spring Boot user writes for {@code cookie.secure}
 * ({@code true}: Secure when the request came over TLS, fasthttpsession's meaning;
 * {@code false}: never). Anything else it cannot read fails binding with the accepted
 * values, as Boot reports a bad enum value.
 */
final class FastSessionPropertiesConverter implements GenericConverter {

	private static final String PROVIDER_ALIASES = "memcache (memcached) and sqlite3 (sqlite)";

	@Override
	public Set<ConvertiblePair> getConvertibleTypes() {
		return Set.of(new ConvertiblePair(String.class, Provider.class),
				new ConvertiblePair(String.class, SecureMode.class),
				new ConvertiblePair(Boolean.class, SecureMode.class));
	}

	@Override
	public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
		if (source == null) {
			return null;
		}
		if (source instanceof Boolean secure) {
			return secure ? SecureMode.AUTO : SecureMode.NEVER;
		}
		String value = source.toString();
		if (value.isBlank()) {
			return null;
		}
		if (targetType.getType() == Provider.class) {
			return provider(value)
				.orElseThrow(() -> new IllegalArgumentException("'" + value + "' is not a session provider; use one of "
						+ providerNames() + " (aliases " + PROVIDER_ALIASES + ")"));
		}
		return secureMode(value).orElseThrow(() -> new IllegalArgumentException(
				"'" + value + "' is not a Secure mode; use auto, always or never (true means auto, false never)"));
	}

	/**
	 * Read a provider name as the binder does: case-insensitive, ignoring dashes and
	 * underscores, with fasthttpsession's names as aliases.
	 * @param name the name
	 * @return the provider, if the name is one
	 */
	static Optional<Provider> provider(String name) {
		String normalized = normalize(name);
		return switch (normalized) {
			case "memcache" -> Optional.of(Provider.MEMCACHED);
			case "sqlite3" -> Optional.of(Provider.SQLITE);
			default ->
				Arrays.stream(Provider.values()).filter((provider) -> provider.id().equals(normalized)).findFirst();
		};
	}

	static String providerNames() {
		return Arrays.stream(Provider.values()).map(Provider::id).collect(Collectors.joining(", "));
	}

	private static Optional<SecureMode> secureMode(String value) {
		String normalized = normalize(value);
		return switch (normalized) {
			case "true" -> Optional.of(SecureMode.AUTO);
			case "false" -> Optional.of(SecureMode.NEVER);
			default -> Arrays.stream(SecureMode.values())
				.filter((mode) -> mode.name().toLowerCase(Locale.ROOT).equals(normalized))
				.findFirst();
		};
	}

	private static String normalize(String value) {
		return value.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

}

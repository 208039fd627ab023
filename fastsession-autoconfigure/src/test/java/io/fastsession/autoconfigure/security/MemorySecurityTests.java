package io.fastsession.autoconfigure.security;

class MemorySecurityTests extends AbstractSecurityTests {

	@Override
	String[] providerProperties() {
		return new String[] { NO_DATASOURCE, "fastsession.provider=memory" };
	}

	@Override
	boolean persistent() {
		return false;
	}

}

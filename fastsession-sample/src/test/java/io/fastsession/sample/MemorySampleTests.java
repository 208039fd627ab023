package io.fastsession.sample;

import io.fastsession.store.memory.CaffeineSessionStore;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class MemorySampleTests extends SampleContractTests {

	@Autowired
	ApplicationContext context;

	@Test
	void runsOnTheMemoryProviderByDefault() {
		assertThat(this.context.getBeansOfType(CaffeineSessionStore.class)).hasSize(1);
	}

}

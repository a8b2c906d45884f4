package io.agentservesim;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class SmokeTest { @Test void ok(){ assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);} }

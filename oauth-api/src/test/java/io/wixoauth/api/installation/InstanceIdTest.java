package io.wixoauth.api.installation;

import io.wixoauth.api.error.InvalidIdentifierException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceIdTest {

    @Test
    void acceptsCanonicalUuidAndNormalizesCase() {
        assertThat(InstanceId.of("3FA85F64-5717-4562-B3FC-2C963F66AFA6").value())
                .isEqualTo("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    }

    @Test
    void equalIdsInDifferentCaseAreEqual() {
        assertThat(InstanceId.of("3FA85F64-5717-4562-B3FC-2C963F66AFA6"))
                .isEqualTo(InstanceId.of("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"not-a-uuid", "3fa85f64571745 62b3fc2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa6x",
            "1fa85f64-5717-4562-b3fc-2c963f66af1", "../../etc/passwd", "' OR 1=1 --", "3fa85f64-5717-4562-b3fc-2c963f66afaG",
            "３fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64-5717-4562-b3fc-2c963f66afa6\n"})
    void refusesAnythingElseWithoutEchoingIt(String raw) {
        assertThatThrownBy(() -> InstanceId.of(raw))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageStartingWith("instance id")
                .satisfies(e -> {
                    if (raw != null && !raw.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(raw);
                    }
                });
    }

    @Test
    void appIdNamesItselfInErrors() {
        assertThatThrownBy(() -> AppId.of("x")).hasMessageStartingWith("app id");
    }
}

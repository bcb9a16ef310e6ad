package io.wixoauth.api.app;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An app's new secret, as Wix's dashboard shows it after it was regenerated, and why it changed. */
public record SecretChange(
        @NotBlank @Size(max = 500) @Pattern(regexp = "\\S+", message = "must be the secret alone, without spaces")
        String secret,
        @NotBlank @Size(max = 400) String reason) {

    @Override
    public String toString() {
        return "SecretChange[secret=redacted]";
    }
}

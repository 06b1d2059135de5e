package io.sluice.engine.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A sealed key opens only under its secrets key, for its own row, unaltered; a malformed secrets key is refused. */
class KeySealerTest {
    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private final KeySealer sealer = KeySealer.fromBase64(newKey());

    @Test
    void aSealedKeyOpensForItsRowAndEachSealDiffers() {
        String sealed = sealer.seal("sk-proj-abc123", "openai/openai-rt-1a2b");
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-proj-abc123");
        assertThat(sealer.open(sealed, "openai/openai-rt-1a2b")).isEqualTo("sk-proj-abc123");
        assertThat(sealer.seal("sk-proj-abc123", "openai/openai-rt-1a2b")).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void anotherSecretsKeyAnotherRowOrAnAlteredValueOpensNothing() {
        String sealed = sealer.seal("sk-proj-abc123", "openai/openai-rt-1a2b");
        assertThatThrownBy(() -> KeySealer.fromBase64(newKey()).open(sealed, "openai/openai-rt-1a2b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.open(sealed, "anthropic/anthropic-rt-1a2b")).isInstanceOf(IllegalArgumentException.class);
        char[] chars = sealed.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> sealer.open(new String(chars), "openai/openai-rt-1a2b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.open("v1:%%%", "openai/openai-rt-1a2b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.open("plain-text", "openai/openai-rt-1a2b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretsKeyMustBe32BytesOfBase64() {
        assertThatThrownBy(() -> KeySealer.fromBase64("not base64!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> KeySealer.fromBase64(Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32 bytes");
    }
}

package io.tessera.customer;

import io.tessera.core.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jooq.DSLContext;

/**
 * Keyed pseudonyms of customer ids: {@code anon-} and 32 hex digits of HMAC-SHA256(project key, id). The same id
 * always gives the same pseudonym within a project, so what an erased customer took from limits and budgets still
 * adds up; without the project's key the pseudonym cannot be computed from a guessed id.
 */
public final class Pseudonyms {
    private Pseudonyms() {
    }

    /** The pseudonym of {@code customerId} in the project, creating the project's key on first use. */
    public static String of(DSLContext tx, String projectId, String customerId) {
        String key = read(tx, projectId);
        if (key == null) {
            tx.execute("update projects set pseudonym_key = ? where id = ? and pseudonym_key is null",
                    Keys.newSecret("psk_"), projectId);
            key = read(tx, projectId); // ours, or the one a concurrent transaction stored first
        }
        return hmac(key, customerId);
    }

    /** The pseudonym, if the project has a key yet (before its first one, nothing is stored under pseudonyms). */
    static java.util.Optional<String> existing(DSLContext dsl, String projectId, String customerId) {
        String key = read(dsl, projectId);
        return key == null ? java.util.Optional.empty() : java.util.Optional.of(hmac(key, customerId));
    }

    private static String read(DSLContext dsl, String projectId) {
        return dsl.fetchValue("select pseudonym_key from projects where id = ?", projectId) instanceof String k ? k : null;
    }

    private static String hmac(String key, String customerId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8));
            return "anon-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

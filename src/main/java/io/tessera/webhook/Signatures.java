package io.tessera.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature headers of a delivery: Tessera's own {@code Tessera-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
 * "t.body">} (keyed with the secret's UTF-8 bytes, as given) and the Standard Webhooks headers {@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">} (keyed with the
 * base64-decoded rest of a {@code whsec_} secret, else the secret's UTF-8 bytes).
 */
final class Signatures {
    static final String STANDARD_PREFIX = "whsec_";

    private Signatures() {
    }

    /** The headers for {@code body} of event {@code eventId}, signed at {@code unixSeconds}. */
    static Map<String, String> headers(String secret, String eventId, String body, long unixSeconds) {
        Map<String, String> h = new LinkedHashMap<>();
        String t = Long.toString(unixSeconds);
        byte[] own = hmac(secret.getBytes(StandardCharsets.UTF_8), t + "." + body);
        h.put("Tessera-Signature", "t=" + t + ",v1=" + HexFormat.of().formatHex(own));
        h.put("webhook-id", eventId);
        h.put("webhook-timestamp", t);
        byte[] standard = hmac(standardKey(secret), eventId + "." + t + "." + body);
        h.put("webhook-signature", "v1," + Base64.getEncoder().encodeToString(standard));
        return h;
    }

    /** The Standard Webhooks key of {@code secret}; a {@code whsec_} secret must hold valid base64 (checked at save). */
    static byte[] standardKey(String secret) {
        if (secret.startsWith(STANDARD_PREFIX))
            return Base64.getDecoder().decode(secret.substring(STANDARD_PREFIX.length()));
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

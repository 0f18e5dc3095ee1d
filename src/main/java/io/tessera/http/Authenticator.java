package io.tessera.http;

import io.javalin.http.Context;
import io.tessera.core.Keys;
import io.tessera.core.Principal;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Principal}. Project keys are looked up by hash and kept
 * for a few seconds so a checkout costs no key query; a deleted key stops working within that time.
 */
public final class Authenticator {
    private static final long CACHE_MILLIS = 5_000;
    private final Function<String, Optional<Principal>> keys;
    private final byte[] rootHash;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Principal> principal, long until) {
    }

    /** {@code keys} finds the project key with a given hash. */
    public Authenticator(Function<String, Optional<Principal>> keys, String rootKeyHash) {
        this.keys = keys;
        this.rootHash = rootKeyHash.getBytes(StandardCharsets.US_ASCII);
    }

    public Principal authenticate(Context ctx) {
        Principal principal = principal(ctx);
        RequestLog.identify(ctx, principal);
        return principal;
    }

    private Principal principal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw new HttpProblem(401, "unauthorized", "missing API key: send Authorization: Bearer <key>");
        }
        String hash = Keys.hash(header.substring(7).trim());
        if (MessageDigest.isEqual(rootHash, hash.getBytes(StandardCharsets.US_ASCII))) return Principal.ROOT;
        long now = System.currentTimeMillis();
        Cached c = cache.get(hash);
        if (c == null || c.until < now) {
            if (cache.size() > 10_000) cache.clear();
            c = new Cached(keys.apply(hash), now + CACHE_MILLIS);
            cache.put(hash, c);
        }
        return c.principal.orElseThrow(() -> new HttpProblem(401, "unauthorized", "unknown API key"));
    }

    /** Forgets cached keys, e.g. after a key was deleted or project settings changed on this node. */
    public void invalidate() {
        cache.clear();
    }
}

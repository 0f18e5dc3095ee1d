package io.tessera.user;

import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Ids;
import io.tessera.core.Keys;
import io.tessera.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admin users and their sessions: creating users and changing roles (logged in the users' change log), signing in
 * with throttling per email and per address, and the sessions behind the admin UI's cookie.
 */
public final class UserService {
    /** A session lasts this long from sign-in, then the user signs in again. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    /** Failed sign-ins are counted over this window ... */
    public static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    /** ... and refused beyond this many for one email ... */
    public static final int MAX_FAILURES_PER_EMAIL = 5;
    /** ... or this many from one address (many emails tried from one place). */
    public static final int MAX_FAILURES_PER_IP = 30;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database db;
    private final UserStore store;

    public UserService(Database db, UserStore store) {
        this.db = db;
        this.store = store;
    }

    /** A new user; the email (case-insensitive) must be free, the password at least 10 characters. */
    public User create(Actor actor, String email, Role role, String password, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        String normalized = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
        if (normalized == null || !EMAIL.matcher(normalized).matches())
            errors.add(new FieldError("email", "must be an email address"));
        if (role == null) errors.add(new FieldError("role", "must be owner, marketer, support or viewer"));
        String weak = Passwords.problem(password);
        if (weak != null) errors.add(new FieldError("password", weak));
        if (!errors.isEmpty()) throw Failure.invalid(errors);
        User user = new User(Ids.next("usr"), normalized, role, now);
        String hash = Passwords.hash(password);
        try {
            db.transaction(tx -> {
                store.insert(tx, user, hash);
                store.log(tx, actor, "user.created", normalized, role, now);
                return null;
            });
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) throw e;
            throw Failure.conflict("email_taken", "a user with this email exists",
                    List.of(new FieldError("email", "already a user")));
        }
        return user;
    }

    /** Changes a user's role; the last owner keeps theirs. Their sessions end, so the new role holds at once. */
    public User changeRole(Actor actor, String email, Role role, Instant now) {
        if (role == null) throw Failure.invalid("role", "must be owner, marketer, support or viewer");
        return db.transaction(tx -> {
            User user = store.byEmail(tx, email).orElseThrow(() -> Failure.notFound("user " + email));
            if (user.role() == role) return user;
            if (user.role() == Role.OWNER && store.owners(tx) <= 1)
                throw Failure.conflict("last_owner", "the last owner cannot lose the owner role",
                        List.of(new FieldError("role", "the last owner stays owner")));
            store.updateRole(tx, user.id(), role);
            store.deleteSessions(tx, user.id());
            store.log(tx, actor, "user.role_changed", email, role, now);
            return new User(user.id(), user.email(), role, user.createdAt());
        });
    }

    public List<User> list() {
        return store.list();
    }

    public List<UserStore.LogEntry> log(int limit) {
        return store.log(limit);
    }

    /** A new session: the secret for the cookie (shown to nobody else, stored only as a hash). */
    public record SignedIn(User user, String secret) {
    }

    /**
     * Checks the password and opens a session in {@code projectId} (may be null). Refused alike for an unknown email
     * and a wrong password; throttled (429) after too many failures for the email or from the address.
     */
    public SignedIn signIn(String email, String password, String ip, String projectId, Instant now) {
        String normalized = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        Instant since = now.minus(THROTTLE_WINDOW);
        if (store.failuresByEmail(normalized, since) >= MAX_FAILURES_PER_EMAIL
                || store.failuresByIp(ip, since) >= MAX_FAILURES_PER_IP) {
            throw Failure.throttled("sign_in_throttled", "too many failed sign-ins; try again in "
                    + THROTTLE_WINDOW.toMinutes() + " minutes", THROTTLE_WINDOW.toSeconds());
        }
        Optional<UserStore.WithHash> found = normalized.isEmpty() ? Optional.empty() : store.byEmail(normalized);
        boolean ok = Passwords.matches(password == null ? "" : password, found.map(UserStore.WithHash::hash).orElse(null));
        if (!ok || found.isEmpty()) {
            store.failure(normalized, ip, now);
            throw Failure.refused("sign_in_failed", "wrong email or password");
        }
        store.forgetFailures(normalized);
        store.deleteFailuresBefore(since);
        store.deleteExpired(now);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // Databases keep microseconds: the expiry is compared exactly as stored.
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        store.insertSession(Keys.hash(secret), found.get().user().id(), projectId, at, at.plus(SESSION_LIFETIME));
        return new SignedIn(found.get().user(), secret);
    }

    /** The live session for a cookie's secret. */
    public Optional<Session> session(String secret, Instant now) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) return Optional.empty();
        return store.session(Keys.hash(secret), now.truncatedTo(ChronoUnit.MICROS));
    }

    public void switchProject(Session session, String projectId) {
        store.switchProject(session.idHash(), projectId);
    }

    public void signOut(Session session) {
        store.deleteSession(session.idHash());
    }

    /**
     * The session's CSRF token: derived from the cookie's secret (so nothing more is stored, and the stored hash does
     * not reveal it).
     */
    public static String csrfToken(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("csrf|" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a submitted CSRF token with the session's. */
    public static boolean csrfMatches(String secret, String submitted) {
        if (submitted == null) return false;
        return MessageDigest.isEqual(csrfToken(secret).getBytes(StandardCharsets.UTF_8),
                submitted.getBytes(StandardCharsets.UTF_8));
    }
}

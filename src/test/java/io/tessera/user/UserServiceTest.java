package io.tessera.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.testing.ServerPerDatabase;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users and sessions on both databases: creation, role changes, session lifetime, the CSRF token. */
class UserServiceTest extends ServerPerDatabase {
    private static final String PASSWORD = "a long enough password";
    private static final Actor TEST = new Actor.System("test");
    private UserService users;
    private String email;

    @BeforeEach
    void service() {
        users = new UserService(server.app().database(), new UserStore(server.app().database()));
        email = "u-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void emailsAreStoredLowerCaseAndSignInIgnoresCase() {
        users.create(TEST, email.toUpperCase(), Role.VIEWER, PASSWORD, Instant.now());
        assertThat(users.signIn(email.toUpperCase(), PASSWORD, "10.0.0.1", null, Instant.now()).user().email())
                .isEqualTo(email);
    }

    @Test
    void aSecondUserWithTheSameEmailIsAConflict() {
        users.create(TEST, email, Role.VIEWER, PASSWORD, Instant.now());
        assertThatThrownBy(() -> users.create(TEST, email, Role.OWNER, PASSWORD, Instant.now()))
                .isInstanceOf(Failure.Conflict.class);
    }

    @Test
    void aShortPasswordIsRefusedNamingTheField() {
        assertThatThrownBy(() -> users.create(TEST, email, Role.VIEWER, "short", Instant.now()))
                .isInstanceOfSatisfying(Failure.Invalid.class,
                        f -> assertThat(f.errors()).extracting("field").containsExactly("password"));
    }

    @Test
    void creatingAUserIsLoggedWithItsActor() {
        users.create(TEST, email, Role.SUPPORT, PASSWORD, Instant.now());
        assertThat(users.log(1000)).anySatisfy(e -> {
            assertThat(e.email()).isEqualTo(email);
            assertThat(e.action()).isEqualTo("user.created");
            assertThat(e.actor()).isEqualTo("test");
        });
    }

    @Test
    void aRoleChangeEndsTheUsersSessions() {
        users.create(TEST, email, Role.MARKETER, PASSWORD, Instant.now());
        String secret = users.signIn(email, PASSWORD, "10.0.0.2", null, Instant.now()).secret();
        users.changeRole(TEST, email, Role.VIEWER, Instant.now());
        assertThat(users.session(secret, Instant.now())).isEmpty();
    }

    @Test
    void aSessionEndsAfterItsLifetime() {
        users.create(TEST, email, Role.VIEWER, PASSWORD, Instant.now());
        Instant at = Instant.now();
        String secret = users.signIn(email, PASSWORD, "10.0.0.3", null, at).secret();
        assertThat(users.session(secret, at.plus(UserService.SESSION_LIFETIME).minusSeconds(1))).isPresent();
        assertThat(users.session(secret, at.plus(UserService.SESSION_LIFETIME))).isEmpty();
    }

    @Test
    void theCsrfTokenMatchesOnlyItsOwnSession() {
        String token = UserService.csrfToken("secret-one");
        assertThat(UserService.csrfMatches("secret-one", token)).isTrue();
        assertThat(UserService.csrfMatches("secret-two", token)).isFalse();
    }
}

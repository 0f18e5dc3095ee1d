package io.tessera.user;

import io.tessera.core.Actor;
import java.time.Instant;

/** An admin user of this installation: an email, one role. The password hash never leaves {@link UserStore}. */
public record User(String id, String email, Role role, Instant createdAt) {
    /** The user as the audit log names them. */
    public Actor actor() {
        return new Actor.User(id, email);
    }

    public boolean may(Role.Permission permission) {
        return role.may(permission);
    }
}

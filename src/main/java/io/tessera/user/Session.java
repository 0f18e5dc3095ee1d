package io.tessera.user;

/** A signed-in session: its stored hash, the user, and the project they are looking at (null: none chosen yet). */
public record Session(String idHash, User user, String projectId) {
}

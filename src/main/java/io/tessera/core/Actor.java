package io.tessera.core;

/**
 * Who makes a change, as the audit log records it: an API key, a signed-in admin user, or the server itself (a
 * scheduled task, an automation).
 */
public sealed interface Actor {
    String type();

    String id();

    String name();

    record Key(String id, String name) implements Actor {
        public String type() {
            return "key";
        }
    }

    record User(String id, String name) implements Actor {
        public String type() {
            return "user";
        }
    }

    record System(String name) implements Actor {
        public String type() {
            return "system";
        }

        public String id() {
            return name;
        }
    }
}

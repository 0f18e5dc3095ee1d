package io.tessera.user;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** An admin user's one role, and what it may change. Every role may read everything. */
public enum Role {
    /** Everything, users included. */
    OWNER(EnumSet.allOf(Permission.class)),
    MARKETER(EnumSet.of(Permission.CAMPAIGNS, Permission.CODES, Permission.LOYALTY, Permission.AUTOMATIONS)),
    SUPPORT(EnumSet.of(Permission.CUSTOMERS, Permission.CODES, Permission.REDEMPTIONS, Permission.POINTS)),
    /** Read only. */
    VIEWER(EnumSet.noneOf(Permission.class));

    /** What a role may change. */
    public enum Permission {
        CAMPAIGNS, CODES, LOYALTY, AUTOMATIONS, CUSTOMERS, REDEMPTIONS, POINTS, WEBHOOKS, USERS, APPROVALS,
        /** The project's settings (its approval policy). */
        PROJECT
    }

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean may(Permission permission) {
        return permissions.contains(permission);
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (owner, marketer, support, viewer, any case), or null. */
    public static Role parse(String text) {
        if (text == null) return null;
        for (Role r : values()) if (r.name().equalsIgnoreCase(text.trim())) return r;
        return null;
    }
}

package io.tessera.admin;

import io.tessera.user.Role;
import io.tessera.user.User;
import java.util.List;

/**
 * What every signed-in page shows around its content: the navigation (with {@code section} marked current), the
 * project select, the signed-in user and the CSRF token every form and htmx request carries.
 */
public record Frame(String title, String section, User user, List<Option> projects, String project, String csrf) {
    /** An option of a select. */
    public record Option(String value, String label) {
    }

    /** A navigation link. */
    public record Link(String href, String label, String section) {
    }

    public static final List<Link> NAVIGATION = List.of(
            new Link("/admin/dashboard", "Dashboard", "dashboard"),
            new Link("/admin/campaigns", "Campaigns", "campaigns"),
            new Link("/admin/codes", "Codes", "codes"),
            new Link("/admin/customers", "Customers", "customers"),
            new Link("/admin/redemptions", "Redemptions", "redemptions"),
            new Link("/admin/loyalty", "Loyalty", "loyalty"),
            new Link("/admin/automations", "Automations", "automations"),
            new Link("/admin/webhooks", "Webhooks", "webhooks"),
            new Link("/admin/audit", "Audit log", "audit"),
            new Link("/admin/approvals", "Approvals", "approvals"),
            new Link("/admin/users", "Users", "users"),
            new Link("/admin/settings", "Settings", "settings"));

    public List<Link> navigation() {
        return NAVIGATION;
    }

    public boolean may(Role.Permission permission) {
        return user.may(permission);
    }

    /** The frame of another page (same user, project and token). */
    public Frame page(String title, String section) {
        return new Frame(title, section, user, projects, project, csrf);
    }
}

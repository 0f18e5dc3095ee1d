package io.tessera.project;

import io.tessera.core.Checks;
import io.tessera.core.Input;
import java.time.ZoneId;
import java.util.Set;

/**
 * A change of a project's settings ({@code PATCH /v1/project}, a project import): each setting that is null stays as
 * it is; {@code clearLocale} removes the default locale, {@code clearRateLimit} the keys' default rate limit, and
 * {@link ApprovalPolicy#NONE} turns approvals off.
 */
public record SettingsChange(ZoneId timezone, Integer maxDiscountsPerOrder, String locale, boolean clearLocale,
                             Integer rateLimit, boolean clearRateLimit, ApprovalPolicy approvals) {
    private static final Set<String> FIELDS = Set.of("timezone", "maxDiscountsPerOrder", "locale", "rateLimit",
            "approvals");

    /**
     * The change a body asks for: a member left out is no change, a JSON null removes the locale, the rate limit or
     * the approval policy. Bad members are failed on {@code in}; the caller's {@code in.check()} reports them.
     */
    public static SettingsChange read(Input in) {
        in.allow(FIELDS);
        ZoneId zone = Checks.zone(in, "timezone");
        Long max = in.integer("maxDiscountsPerOrder", false, 1, 100);
        boolean clearLocale = in.isNull("locale");
        String locale = clearLocale ? null : in.string("locale", false, Checks.LOCALE, Checks.LOCALE_RULE);
        boolean clearRateLimit = in.isNull("rateLimit");
        Integer rateLimit = ProjectRoutes.rateLimit(in);
        ApprovalPolicy approvals = in.isNull("approvals") ? ApprovalPolicy.NONE : ApprovalPolicy.read(in, "approvals");
        return new SettingsChange(zone, max == null ? null : max.intValue(), locale, clearLocale, rateLimit,
                clearRateLimit, approvals);
    }
}

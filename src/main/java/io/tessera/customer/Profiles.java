package io.tessera.customer;

import io.tessera.db.Database;
import io.tessera.db.ProjectCache;
import io.tessera.discount.Activations;
import io.tessera.discount.Shopper;
import io.tessera.rule.Activation;
import io.tessera.rule.Condition;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToLongBiFunction;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Shopper} the engine sees: stored attributes, order statistics and customer data (orders.lastAt,
 * redeemed, events: all on the customer row, so no read beyond it), static segment memberships,
 * and the dynamic segments whose condition holds now (compiled once per project, cached). {@code customer.loyalty} is
 * read (one query) only when a campaign or a dynamic segment of the project may read it.
 */
public final class Profiles {
    private static final Logger LOG = LoggerFactory.getLogger(Profiles.class);
    private final CustomerStore customers;
    private final SegmentStore segments;
    private final Rules rules;
    private final ProjectCache<Segments> dynamic;
    private final LoyaltyAccounts loyalty;
    private final BiPredicate<DSLContext, String> campaignsReadLoyalty;
    private final Database db;

    record DynamicSegment(String name, Condition condition) {
    }

    /** A project's segments as a checkout needs them: the dynamic ones compiled, and whether any static one exists. */
    record Segments(List<DynamicSegment> dynamic, boolean anyStatic) {
    }

    /**
     * {@code campaignsReadLoyalty}: whether a campaign of the project may read {@code customer.loyalty} (read through
     * the context given).
     */
    public Profiles(Database db, CustomerStore customers, SegmentStore segments, Rules rules,
                    ToLongBiFunction<DSLContext, String> version, long refreshMillis, LoyaltyAccounts loyalty,
                    BiPredicate<DSLContext, String> campaignsReadLoyalty) {
        this.db = db;
        this.loyalty = loyalty;
        this.campaignsReadLoyalty = campaignsReadLoyalty;
        this.customers = customers;
        this.segments = segments;
        this.rules = rules;
        this.dynamic = new ProjectCache<>(db, this::loadDynamic, version, refreshMillis);
    }

    public void invalidate(String projectId) {
        dynamic.invalidate(projectId);
    }

    /** Publishes the cache's hit rate as {@code tessera_cache_requests_total{cache="segments"}}. */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        dynamic.bindTo(registry, "segments");
    }

    /** The shopper for a stored (or just upserted) customer row; {@code row == null} means a customer not stored yet. */
    public Shopper shopper(String projectId, String customerId, CustomerRow row, Instant now) {
        return shopper(null, projectId, customerId, row, now);
    }

    /**
     * {@link #shopper(String, String, CustomerRow, Instant)} for a caller holding the transaction {@code tx}: every
     * read goes through it ({@code null}: no transaction, each read on a connection of its own).
     */
    public Shopper shopper(DSLContext tx, String projectId, String customerId, CustomerRow row, Instant now) {
        if (customerId == null) return Shopper.ANONYMOUS;
        DSLContext dsl = tx == null ? db.dsl() : tx;
        Map<String, Object> attrs = row == null ? Map.of() : row.attributes();
        Segments segs = dynamic.get(tx, projectId);
        List<DynamicSegment> dyn = segs.dynamic();
        boolean readsLoyalty = campaignsReadLoyalty.test(tx, projectId)
                || dyn.stream().anyMatch(d -> d.condition.readsCustomerLoyalty());
        Map<String, Activation.LoyaltyAccount> accounts = readsLoyalty ? loyalty.of(dsl, projectId, customerId, now)
                : Map.of();
        Shopper base = row == null ? new Shopper(customerId, attrs, List.of(), now, 0, 0, accounts)
                : new Shopper(customerId, attrs, List.of(), row.createdAt(), row.ordersCount(), row.ordersTotal(),
                accounts, row.lastOrderAt(), row.redeemed(), row.events());
        // Memberships are read only where they can exist: a stored customer, in a project with static segments.
        List<String> names = new ArrayList<>(row == null || !segs.anyStatic() ? List.of()
                : segments.staticSegmentsOf(dsl, projectId, customerId));
        if (!dyn.isEmpty()) {
            Activation a = Activations.of(base, null, Map.of(), now);
            for (DynamicSegment d : dyn) if (!names.contains(d.name) && d.condition.test(a)) names.add(d.name);
        }
        return base.withSegments(List.copyOf(names));
    }

    public Shopper shopper(String projectId, String customerId, Instant now) {
        if (customerId == null) return Shopper.ANONYMOUS;
        return shopper(projectId, customerId, customers.find(projectId, customerId).orElse(null), now);
    }

    private Segments loadDynamic(DSLContext dsl, String projectId) {
        List<DynamicSegment> out = new ArrayList<>();
        boolean anyStatic = false;
        for (SegmentStore.Segment s : segments.all(dsl, projectId)) {
            if (!s.dynamic()) {
                anyStatic = true;
                continue;
            }
            try {
                out.add(new DynamicSegment(s.name(), rules.condition(s.condition())));
            } catch (RuleException e) {
                LOG.error("segment {} no longer compiles and is skipped: {}", s.name(), e.getMessage());
            }
        }
        return new Segments(List.copyOf(out), anyStatic);
    }
}

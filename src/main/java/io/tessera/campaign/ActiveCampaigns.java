package io.tessera.campaign;

import io.tessera.db.Database;
import io.tessera.db.ProjectCache;
import io.tessera.discount.Promotion;
import io.tessera.discount.PromotionKind;
import io.tessera.core.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongBiFunction;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's campaigns compiled once and held in memory, so a checkout never re-reads a definition or re-parses
 * an expression. Reloaded when the project's config version changes (see {@link ProjectCache}).
 */
public final class ActiveCampaigns {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveCampaigns.class);
    private final CampaignStore store;
    private final CampaignParser parser;
    private final ProjectCache<Snapshot> cache;

    /**
     * Every campaign by id, unarchived ones by name, and the active automatic ones in creation order;
     * {@code readsCustomerLoyalty} when an unarchived one may read {@code customer.loyalty}; the storefront texts of
     * the campaigns that have them, by campaign id (see {@link Display}).
     */
    public record Snapshot(Map<String, Promotion> byId, Map<String, Promotion> byName, List<Promotion> automatic,
                           boolean readsCustomerLoyalty, Map<String, Map<String, Map<String, String>>> display) {

        /** The campaign's texts for {@code locale} (then {@code fallback}, then its first locale); null: none. */
        public Map<String, String> display(String campaignId, String locale, String fallback) {
            return Display.pick(display.get(campaignId), locale, fallback);
        }
    }

    public ActiveCampaigns(Database db, CampaignStore store, CampaignParser parser,
                           ToLongBiFunction<DSLContext, String> version, long refreshMillis) {
        this.store = store;
        this.parser = parser;
        this.cache = new ProjectCache<>(db, this::load, version, refreshMillis);
    }

    public Snapshot get(String projectId) {
        return cache.get(projectId);
    }

    /** {@link #get(String)} for a caller holding a transaction: a miss is read within {@code tx} (null: none). */
    public Snapshot get(DSLContext tx, String projectId) {
        return cache.get(tx, projectId);
    }

    public void invalidate(String projectId) {
        cache.invalidate(projectId);
    }

    /** Publishes the cache's hit rate as {@code tessera_cache_requests_total{cache="campaigns"}}. */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        cache.bindTo(registry, "campaigns");
    }

    private Snapshot load(DSLContext dsl, String projectId) {
        Map<String, Promotion> byId = new HashMap<>();
        Map<String, Promotion> byName = new HashMap<>();
        List<Promotion> automatic = new ArrayList<>();
        Map<String, Map<String, Map<String, String>>> display = new HashMap<>();
        for (StoredCampaign c : store.all(dsl, projectId)) {
            Promotion p = compile(c);
            if (p == null) continue;
            Map<String, Map<String, String>> texts = Display.read(Input.of(c.definition()));
            if (texts != null) display.put(p.id(), texts);
            // Archived campaigns stay known by id so their codes are refused as campaign_inactive, not unknown.
            byId.put(p.id(), p);
            if (c.archived()) continue;
            byName.put(p.name(), p);
            if (p.kind() == PromotionKind.AUTO && p.active()) automatic.add(p);
        }
        boolean loyalty = byName.values().stream().anyMatch(Promotion::readsCustomerLoyalty);
        return new Snapshot(Map.copyOf(byId), Map.copyOf(byName), List.copyOf(automatic), loyalty, Map.copyOf(display));
    }

    public Promotion compile(StoredCampaign c) {
        Input in = Input.of(c.definition());
        CampaignParser.Parsed parsed = parser.parse(in, c.id(), c.sequence());
        if (parsed == null) {
            // Saved definitions were validated; this only happens if a rule changed incompatibly between versions.
            LOG.error("campaign {} no longer compiles and is skipped", c.name());
            return null;
        }
        return parsed.promotion();
    }
}

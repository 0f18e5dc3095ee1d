package io.tessera.customer;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import io.tessera.audit.AuditLog;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Customers and segments. Changes are audited; customer entries name the attributes that changed but never hold their
 * values, so that erasing a customer leaves no personal data behind in the (append-only) audit log.
 */
public final class CustomerService {
    private final Database db;
    private final CustomerStore customers;
    private final SegmentStore segments;
    private final Profiles profiles;
    private final Rules rules;
    private final CustomerExport export;
    private final AuditLog audit;
    private final List<PersonalData> personalData;

    /** {@code personalData}: what features above customers hold about one, exported and erased with the rest. */
    public CustomerService(Database db, CustomerStore customers, SegmentStore segments, Profiles profiles, Rules rules,
                           CustomerExport export, AuditLog audit, List<PersonalData> personalData) {
        this.personalData = List.copyOf(personalData);
        this.db = db;
        this.customers = customers;
        this.segments = segments;
        this.profiles = profiles;
        this.rules = rules;
        this.export = export;
        this.audit = audit;
    }

    /** Creates or updates a customer: attributes merge (a null value removes one), consents merge. */
    public CustomerView put(ProjectContext p, Actor actor, String id, Map<String, Object> attributes,
                            Map<String, Object> consents, Instant now) {
        CustomerRow row = db.transaction(tx -> {
            CustomerRow before = customers.find(tx, p.id(), id).orElse(null);
            CustomerRow after = customers.upsert(tx, p.id(), id, attributes, consents, now);
            String pseudonym = Pseudonyms.of(tx, p.id(), id);
            audit.record(tx, p, actor, before == null ? "customer.created" : "customer.updated", resource(pseudonym),
                    before == null ? null : redacted(before, pseudonym), redacted(after, pseudonym), now);
            return after;
        });
        return view(p, row, now);
    }

    public CustomerView get(ProjectContext p, String id, Instant now) {
        return view(p, customers.find(p.id(), id).orElseThrow(() -> Failure.notFound("customer " + id)), now);
    }

    public Page<CustomerView> list(ProjectContext p, Page.Request page, Instant now) {
        return Page.of(customers.list(p.id(), page.cursor(), page.limit() + 1), page.limit(),
                row -> view(p, row, now), CustomerRow::id);
    }

    /** Erases personal data (attributes, consents); counts, orders and redemptions stay for limits and budgets. */
    public void erase(ProjectContext p, Actor actor, String id, Instant now) {
        db.transaction(tx -> {
            CustomerRow before = customers.find(tx, p.id(), id).orElseThrow(() -> Failure.notFound("customer " + id));
            String pseudonym = Pseudonyms.of(tx, p.id(), id);
            customers.erase(tx, p.id(), id, pseudonym, now);
            for (PersonalData d : personalData) d.erase(tx, p.id(), id, pseudonym, now);
            audit.record(tx, p, actor, "customer.deleted", resource(pseudonym), redacted(before, pseudonym), null, now);
            return null;
        });
        profiles.invalidate(p.id());
    }

    /** All data held about a customer (GDPR export): the profile, orders, redemptions, codes, static segments. */
    public record Export(CustomerView customer, List<CustomerExport.Order> orders,
                         List<CustomerExport.Redemption> redemptions, List<CustomerExport.Code> codes,
                         List<CustomerExport.Event> events, List<CustomerExport.PointsEntry> loyalty,
                         List<String> staticSegments,
                         @JsonAnyGetter Map<String, Object> more) {
    }

    public Export export(ProjectContext p, String id, Instant now) {
        CustomerView customer = get(p, id, now);
        Map<String, Object> more = new LinkedHashMap<>();
        for (PersonalData d : personalData) more.put(d.section(), d.export(p.id(), id));
        return new Export(customer, export.orders(p.id(), id), export.redemptions(p.id(), id), export.codes(p.id(), id),
                export.events(p.id(), id), export.points(p.id(), id), export.staticSegments(p.id(), id), more);
    }

    /** A dynamic segment ({@code condition}) or a static one ({@code members}). */
    public SegmentView createSegment(ProjectContext p, Actor actor, String name, String condition, List<String> members,
                                     Instant now) {
        if (condition != null) {
            try {
                rules.condition(condition);
            } catch (RuleException e) {
                throw Failure.invalid("condition", e.getMessage());
            }
        }
        if (segments.find(p.id(), name).isPresent()) throw segmentTaken(name);
        SegmentView created;
        try {
            created = db.transaction(tx -> {
                segments.insert(tx, p.id(), name, condition, now);
                if (members != null) {
                    for (String c : members) customers.ensure(tx, p.id(), c, now);
                    segments.addMembers(tx, p.id(), name, members);
                }
                SegmentView v = new SegmentView(name, condition == null ? "STATIC" : "DYNAMIC", condition, now);
                audit.record(tx, p, actor, "segment.created", segmentResource(name), null,
                        withMembers(v, members == null ? null : pseudonyms(tx, p, members)), now);
                return v;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw segmentTaken(name);
            throw e;
        }
        profiles.invalidate(p.id());
        return getSegment(p, created.name());
    }

    public SegmentView getSegment(ProjectContext p, String name) {
        return SegmentView.of(segment(p, name));
    }

    public Page<SegmentView> segments(ProjectContext p, Page.Request page) {
        return Page.of(segments.page(p.id(), page.cursor(), page.limit() + 1), page.limit(), SegmentView::of,
                SegmentStore.Segment::name);
    }

    public void deleteSegment(ProjectContext p, Actor actor, String name, Instant now) {
        SegmentView before = getSegment(p, name);
        db.transaction(tx -> {
            if (!segments.delete(tx, p.id(), name)) throw Failure.notFound("segment " + name);
            audit.record(tx, p, actor, "segment.deleted", segmentResource(name), before, null, now);
            return null;
        });
        profiles.invalidate(p.id());
    }

    /** Adds customers to a static segment (creating unknown customers). */
    public SegmentView addMembers(ProjectContext p, Actor actor, String name, List<String> members, Instant now) {
        SegmentStore.Segment s = segment(p, name);
        if (s.dynamic()) throw Failure.invalid("customers", "segment " + name + " is dynamic: its members follow its condition");
        db.transaction(tx -> {
            for (String c : members) customers.ensure(tx, p.id(), c, now);
            segments.addMembers(tx, p.id(), name, members);
            audit.record(tx, p, actor, "segment.updated", segmentResource(name), null,
                    Map.of("added", pseudonyms(tx, p, members)), now);
            return null;
        });
        return SegmentView.of(s);
    }

    public Page<String> members(ProjectContext p, String name, Page.Request page) {
        SegmentStore.Segment s = segment(p, name);
        return Page.of(segments.members(p.id(), s.name(), page.cursor(), page.limit() + 1), page.limit(), m -> m, m -> m);
    }

    public void removeMember(ProjectContext p, Actor actor, String name, String customer, Instant now) {
        SegmentStore.Segment s = segment(p, name);
        db.transaction(tx -> {
            if (!segments.removeMember(tx, p.id(), s.name(), customer)) throw Failure.notFound("member " + customer);
            audit.record(tx, p, actor, "segment.updated", segmentResource(name), null,
                    Map.of("removed", Pseudonyms.of(tx, p.id(), customer)), now);
            return null;
        });
    }

    private SegmentStore.Segment segment(ProjectContext p, String name) {
        return segments.find(p.id(), name).orElseThrow(() -> Failure.notFound("segment " + name));
    }

    private CustomerView view(ProjectContext p, CustomerRow row, Instant now) {
        return CustomerView.of(row, profiles.shopper(p.id(), row.id(), row, now));
    }

    /**
     * What the (append-only) audit log keeps of a customer: its pseudonym, which attributes it has — never their
     * values — and its consents. So an erased customer leaves no personal data in it.
     */
    private static Redacted redacted(CustomerRow row, String pseudonym) {
        return new Redacted(pseudonym, new TreeSet<>(row.attributes().keySet()), row.consents());
    }

    private record Redacted(String id, java.util.SortedSet<String> attributes, Map<String, Object> consents) {
    }

    /** A segment as its audit entries show it: static members by pseudonym. */
    private record SegmentState(String name, String type, String condition, List<String> customers) {
    }

    /** Customers as the audit log names them. */
    private static List<String> pseudonyms(org.jooq.DSLContext tx, ProjectContext p, List<String> ids) {
        return ids.stream().map(id -> Pseudonyms.of(tx, p.id(), id)).toList();
    }

    private static SegmentState withMembers(SegmentView v, List<String> members) {
        return new SegmentState(v.name(), v.type(), v.condition(), members);
    }

    private static String resource(String pseudonym) {
        return "customer/" + pseudonym;
    }

    /**
     * The audit resource to look for: entries name customers by pseudonym, so a filter by {@code customer/<id>}
     * becomes {@code customer/<pseudonym>} (the id itself is never stored there); other resources stay as they are.
     */
    public String auditResource(ProjectContext p, String resource) {
        if (!resource.startsWith("customer/") || resource.startsWith("customer/anon-")) return resource;
        return Pseudonyms.existing(db.dsl(), p.id(), resource.substring("customer/".length()))
                .map(CustomerService::resource).orElse(resource);
    }

    private static String segmentResource(String name) {
        return "segment/" + name;
    }

    private static Failure segmentTaken(String name) {
        return Failure.conflict("name_taken", "a segment named '" + name + "' exists");
    }
}

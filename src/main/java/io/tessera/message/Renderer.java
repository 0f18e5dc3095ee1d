package io.tessera.message;

import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.campaign.CodePattern;
import io.tessera.code.Publications;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.LoyaltyAccounts;
import io.tessera.rule.Activation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Fills templates for one customer, all or nothing: every placeholder is resolved (and every campaign it names
 * checked) before the first code is published, and a placeholder without a value fails the whole render.
 */
final class Renderer {
    private final CampaignService campaigns;
    private final Publications publications;
    private final LoyaltyAccounts loyalty;

    Renderer(CampaignService campaigns, Publications publications, LoyaltyAccounts loyalty) {
        this.campaigns = campaigns;
        this.publications = publications;
        this.loyalty = loyalty;
    }

    /**
     * The texts of {@code templates}, in order, for {@code customer}, inside {@code tx}. Throws
     * {@link Failure.Invalid} naming each template's field and placeholder that has no value; codes are published
     * (or the customer's unused one reused) only after every other placeholder resolved, within {@code tx}, so a
     * failure that rolls {@code tx} back leaves nothing published.
     */
    List<String> render(DSLContext tx, ProjectContext p, CustomerRow customer, Map<String, Object> variables,
                        List<Template> templates, Instant now) {
        Lookup lookup = new Lookup(tx, p, customer, variables, now);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Campaign> codeCampaigns = new LinkedHashMap<>();
        for (Template t : templates) {
            for (Template.Part part : t.parts()) {
                if (!(part instanceof Template.Placeholder ph)) continue;
                String problem;
                if (ph.root().equals("campaigns")) {
                    String name = ph.rest(1, 1);
                    Campaign c = codeCampaigns.containsKey(name) ? codeCampaigns.get(name)
                            : campaigns.find(tx, p, name).orElse(null);
                    problem = codeProblem(c, name);
                    if (problem == null) codeCampaigns.put(name, c);
                } else {
                    problem = lookup.problem(ph);
                }
                if (problem != null) errors.add(new FieldError(t.field(), ph.source() + " " + problem));
            }
        }
        if (!errors.isEmpty()) throw Failure.invalid(errors);
        Map<String, String> codes = new LinkedHashMap<>();
        codeCampaigns.forEach((name, c) -> codes.put(name, code(tx, p, c, customer.id(), now)));
        List<String> out = new ArrayList<>(templates.size());
        for (Template t : templates) {
            StringBuilder text = new StringBuilder();
            for (Template.Part part : t.parts()) {
                switch (part) {
                    case Template.Text literal -> text.append(literal.text());
                    case Template.Placeholder ph -> text.append(ph.root().equals("campaigns")
                            ? codes.get(ph.rest(1, 1)) : lookup.text(ph));
                }
            }
            out.add(text.toString());
        }
        return out;
    }

    private static String codeProblem(Campaign c, String name) {
        if (c == null) return "names no campaign of this project (" + name + ")";
        if (c.archived()) return "names campaign " + name + ", which is archived: its codes are not handed out";
        if (c.codes() == null) return "names campaign " + name + ", which has no codes";
        return null;
    }

    /** The customer's code of the campaign: its universal code, or a unique one published (or reused) now. */
    private String code(DSLContext tx, ProjectContext p, Campaign c, String customerId, Instant now) {
        CampaignParser.CodeSetup setup = c.codes();
        if (!setup.unique()) return setup.code();
        return publications.publish(tx, p.id(), c.id(), c.name(), CodePattern.of(setup.pattern(), setup.charset()),
                customerId, true, c.codeLimit(), now).code();
    }

    /** Values of the placeholders other than codes; the loyalty accounts are read once, when a placeholder needs them. */
    private final class Lookup {
        private final DSLContext tx;
        private final ProjectContext p;
        private final CustomerRow customer;
        private final Map<String, Object> variables;
        private final Instant now;
        private Map<String, Activation.LoyaltyAccount> accounts;

        Lookup(DSLContext tx, ProjectContext p, CustomerRow customer, Map<String, Object> variables, Instant now) {
            this.tx = tx;
            this.p = p;
            this.customer = customer;
            this.variables = variables;
            this.now = now;
        }

        /** Why the placeholder has no text for this customer, or null when it has one. */
        String problem(Template.Placeholder ph) {
            Object v = value(ph);
            if (v instanceof Map<?, ?>) return "is an object, not a value: name one of its keys";
            if (v instanceof List<?>) return "is a list, not a value";
            String text = format(v);
            if (text == null || text.isBlank()) return "has no value for customer " + customer.id();
            return null;
        }

        String text(Template.Placeholder ph) {
            return format(value(ph));
        }

        private Object value(Template.Placeholder ph) {
            List<String> path = ph.path();
            if (!ph.root().equals("customer")) return lookup(plain(variables.get(ph.root())), path.subList(1, path.size()));
            return switch (path.get(1)) {
                case "id" -> customer.id();
                case "attributes" -> lookup(customer.attributes(), path.subList(2, path.size()));
                case "orders" -> path.get(2).equals("count") ? customer.ordersCount() : customer.ordersTotal();
                case "loyalty" -> {
                    if (accounts == null) accounts = loyalty.of(tx, p.id(), customer.id(), now);
                    Activation.LoyaltyAccount a = accounts.get(ph.rest(2, 1));
                    yield a == null ? null : path.getLast().equals("balance") ? (Object) a.balance() : a.tier();
                }
                default -> throw new IllegalStateException("unparsed placeholder " + ph.source());
            };
        }
    }

    /** A variable as maps, lists and scalars (a caller may pass records, e.g. an order's view). */
    private static Object plain(Object v) {
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?> || v instanceof String || v instanceof Number
                || v instanceof Boolean) return v;
        return Json.MAPPER.convertValue(v, Object.class);
    }

    /**
     * The value at {@code keys} below {@code node}. A key that itself contains dots ({@code "address.city"}) is taken
     * whole before reaching into nested objects.
     */
    static Object lookup(Object node, List<String> keys) {
        if (keys.isEmpty()) return node;
        if (!(node instanceof Map<?, ?> map)) return null;
        for (int end = keys.size(); end >= 1; end--) {
            String key = String.join(".", keys.subList(0, end));
            if (map.containsKey(key)) {
                Object v = lookup(map.get(key), keys.subList(end, keys.size()));
                if (v != null) return v;
            }
        }
        return null;
    }

    /** A scalar as text: numbers without exponent or trailing zeros, anything else as its string. */
    static String format(Object v) {
        return switch (v) {
            case null -> null;
            case Double d when d.isNaN() || d.isInfinite() -> d.toString();
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Float f -> BigDecimal.valueOf(f).stripTrailingZeros().toPlainString();
            case BigDecimal b -> b.stripTrailingZeros().toPlainString();
            case BigInteger b -> b.toString();
            default -> v.toString();
        };
    }
}

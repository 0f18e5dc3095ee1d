package io.tessera.automation;

import io.tessera.message.Draft;
import io.tessera.message.Template;
import io.tessera.message.MessageService;
import io.tessera.core.FieldError;
import io.tessera.core.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.rule.Condition;
import io.tessera.rule.Formula;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates an automation's definition and compiles its expressions, at save time: every problem is a 422 naming its
 * field. Definitions read back from the database are compiled again without the reference checks (a campaign deleted
 * since is the run's failure, not the list's).
 */
final class AutomationParser {
    static final Set<String> FIELDS = Set.of("name", "on", "condition", "delay", "limit", "notifyDaysBefore", "actions",
            "active");
    static final Duration MAX_DELAY = Duration.ofDays(3650);
    static final int MAX_ACTIONS = 20;
    private final Rules rules;

    AutomationParser(Rules rules) {
        this.rules = rules;
    }

    /** What the names in a definition refer to; each answers why a name does not fit, or null when it does. */
    interface References {
        String campaign(String name);

        String program(String name);

        String webhook(String name);

        String segment(String name);
    }

    /** The definition validated and compiled, not stored yet ({@code id}, times unset). */
    Automation parse(JsonNode body, References refs) {
        Input in = Input.of(body);
        in.allow(FIELDS);
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        Automation.Trigger on = trigger(in, refs);
        Rules.TriggerData data = on == null ? Rules.TriggerData.NONE : on.type().data;
        Condition condition = null;
        String source = in.string("condition", false);
        if (source != null) {
            try {
                condition = rules.automationCondition(data, source);
            } catch (RuleException e) {
                in.fail("condition", e.getMessage());
            }
        }
        Duration delay = delay(in);
        Integer perCustomer = null;
        Input limit = in.object("limit", false);
        if (limit != null) {
            limit.allow(Set.of("perCustomer"));
            Long n = limit.integer("perCustomer", false, 1, 1_000_000);
            perCustomer = n == null ? null : n.intValue();
        }
        Integer notify = null;
        if (on != null && on.type() == Automation.Trigger.Type.POINTS_EXPIRING) {
            Long n = in.integer("notifyDaysBefore", true, 0, 3650);
            notify = n == null ? null : n.intValue();
        } else if (in.has("notifyDaysBefore")) {
            in.fail("notifyDaysBefore", "applies only to automations on points_expiring");
        }
        List<Automation.Action> actions = actions(in, data, refs);
        Boolean active = in.bool("active", false);
        in.check();
        ObjectNode definition = ((ObjectNode) body).deepCopy();
        definition.remove("active");
        return new Automation(null, name, on, condition, delay, perCustomer, notify, actions,
                active == null || active, definition, Instant.EPOCH, Instant.EPOCH);
    }

    private static Automation.Trigger trigger(Input in, References refs) {
        String on = in.string("on", true);
        if (on == null) return null;
        for (Automation.Trigger.Type t : Automation.Trigger.Type.values()) {
            if (t.text.endsWith(":")) {
                if (!on.startsWith(t.text)) continue;
                String arg = on.substring(t.text.length());
                if (t == Automation.Trigger.Type.EVENT && !Checks.EVENT_TYPE.matcher(arg).matches()) {
                    in.fail("on", "event:<type> needs an event type of " + Checks.EVENT_TYPE_RULE);
                    return null;
                }
                if (t == Automation.Trigger.Type.SEGMENT_ENTERED) {
                    String problem = refs == null ? null : refs.segment(arg);
                    if (problem != null) {
                        in.fail("on", problem);
                        return null;
                    }
                }
                return new Automation.Trigger(t, arg);
            }
            if (t.text.equals(on)) return new Automation.Trigger(t, null);
        }
        in.fail("on", "must be order_paid, customer_created, event:<type>, birthday, tier_changed, points_expiring or "
                + "segment_entered:<segment>");
        return null;
    }

    private static Duration delay(Input in) {
        String text = in.string("delay", false);
        if (text == null) return Duration.ZERO;
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeException e) {
            try {
                Period p = Period.parse(text);
                if (p.getYears() != 0 || p.getMonths() != 0) {
                    in.fail("delay", "months and years have no fixed length: give days, e.g. P30D");
                    return Duration.ZERO;
                }
                d = Duration.ofDays(p.getDays());
            } catch (DateTimeException notAPeriod) {
                in.fail("delay", "must be an ISO-8601 duration like PT1H, P1D or P2W");
                return Duration.ZERO;
            }
        }
        if (d.isNegative()) in.fail("delay", "must not be negative");
        else if (d.compareTo(MAX_DELAY) > 0) in.fail("delay", "must be at most 3650 days");
        return d;
    }

    private List<Automation.Action> actions(Input in, Rules.TriggerData data, References refs) {
        if (in.has("actions") && in.raw("actions").isArray() && in.raw("actions").isEmpty()) {
            in.fail("actions", "must hold at least one action");
            return List.of();
        }
        List<Input> list = in.objects("actions", true);
        if (list.size() > MAX_ACTIONS) in.fail("actions", "at most " + MAX_ACTIONS + " actions are allowed");
        List<Automation.Action> out = new ArrayList<>();
        for (Input a : list) {
            String type = a.string("type", true);
            if (type == null) continue;
            switch (type) {
                case "PUBLISH_CODE" -> {
                    a.allow(Set.of("type", "campaign"));
                    String campaign = a.string("campaign", true);
                    String problem = campaign == null || refs == null ? null : refs.campaign(campaign);
                    if (problem != null) a.fail("campaign", problem);
                    out.add(new Automation.PublishCode(campaign));
                }
                case "ADD_POINTS" -> {
                    a.allow(Set.of("type", "program", "points"));
                    String program = a.string("program", true);
                    String problem = program == null || refs == null ? null : refs.program(program);
                    if (problem != null) a.fail("program", problem);
                    out.add(points(a, program, data));
                }
                case "WEBHOOK" -> {
                    a.allow(Set.of("type", "webhook"));
                    String webhook = a.string("webhook", true, Checks.NAME, Checks.NAME_RULE);
                    String problem = webhook == null || refs == null ? null : refs.webhook(webhook);
                    if (problem != null) a.fail("webhook", problem);
                    out.add(new Automation.Webhook(webhook));
                }
                case "MESSAGE" -> out.add(message(a, data));
                default -> a.fail("type", "must be PUBLISH_CODE, ADD_POINTS, WEBHOOK or MESSAGE");
            }
        }
        return List.copyOf(out);
    }

    /**
     * A message: a channel, and templates checked now (an unknown placeholder is refused at save time, naming the
     * field); the trigger's data ({@code order}, {@code event}, {@code tier}, {@code points}) may be read by name.
     */
    private static Automation.SendMessage message(Input a, Rules.TriggerData data) {
        a.allow(Set.of("type", "channel", "to", "subject", "template"));
        String channel = a.string("channel", true, MessageService.CHANNEL, MessageService.CHANNEL_RULE);
        String to = a.string("to", false);
        String subject = a.string("subject", false);
        String template = a.string("template", true);
        if ("email".equals(channel) && to == null) a.fail("to", "is required for an email");
        Set<String> variables = triggerVariables(data);
        for (String[] field : new String[][]{{"to", to}, {"subject", subject}, {"template", template}}) {
            if (field[1] == null) continue;
            try {
                Template.parse(field[0], field[1], variables);
            } catch (Failure.Invalid e) {
                for (FieldError error : e.errors()) a.fail(error.field(), error.message());
            }
        }
        return new Automation.SendMessage(new Draft(channel, to, subject, template));
    }

    /** The names under which a trigger's data is readable in conditions and message templates. */
    static Set<String> triggerVariables(Rules.TriggerData data) {
        return switch (data) {
            case NONE -> Set.of();
            case ORDER -> Set.of("order");
            case EVENT -> Set.of("event");
            case TIER -> Set.of("tier");
            case POINTS -> Set.of("points");
        };
    }

    /** A positive whole number, or a CEL expression (a string) giving a number over the run's variables. */
    private Automation.AddPoints points(Input a, String program, Rules.TriggerData data) {
        JsonNode p = a.raw("points");
        if (p == null) {
            a.fail("points", "is required");
            return new Automation.AddPoints(program, null, null);
        }
        if (p.isTextual()) {
            try {
                Formula f = rules.automationPoints(data, p.textValue());
                return new Automation.AddPoints(program, null, f);
            } catch (RuleException e) {
                a.fail("points", e.getMessage());
                return new Automation.AddPoints(program, null, null);
            }
        }
        Long n = a.integer("points", true, 1, 1_000_000_000);
        return new Automation.AddPoints(program, n, null);
    }
}

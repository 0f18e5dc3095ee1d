package io.tessera.automation;

import io.tessera.message.Draft;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.rule.Condition;
import io.tessera.rule.Formula;
import io.tessera.rule.Rules;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An automation as stored and compiled: {@code on} its trigger, {@code condition} (null: always), {@code delay} before
 * the actions (zero: at once), {@code perCustomer} (null: no limit), {@code notifyDaysBefore} (points_expiring only),
 * the actions in order, and whether it is {@code active} (a paused one starts no runs and skips those due).
 */
record Automation(String id, String name, Trigger on, Condition condition, Duration delay, Integer perCustomer,
                  Integer notifyDaysBefore, List<Action> actions, boolean active, ObjectNode definition,
                  Instant createdAt, Instant updatedAt) {

    /** What fires an automation; {@code argument} is the event type or the segment name. */
    record Trigger(Type type, String argument) {
        enum Type {
            ORDER_PAID("order_paid", Rules.TriggerData.ORDER),
            CUSTOMER_CREATED("customer_created", Rules.TriggerData.NONE),
            EVENT("event:", Rules.TriggerData.EVENT),
            BIRTHDAY("birthday", Rules.TriggerData.NONE),
            TIER_CHANGED("tier_changed", Rules.TriggerData.TIER),
            POINTS_EXPIRING("points_expiring", Rules.TriggerData.POINTS),
            SEGMENT_ENTERED("segment_entered:", Rules.TriggerData.NONE);

            final String text;
            final Rules.TriggerData data;

            Type(String text, Rules.TriggerData data) {
                this.text = text;
                this.data = data;
            }
        }

        /** The trigger as written in {@code on}, e.g. {@code event:cart_abandoned}. */
        String text() {
            return argument == null ? type.text : type.text + argument;
        }
    }

    /** One action of a run, done in the run's transaction. */
    sealed interface Action {
        String type();
    }

    /** Publishes a code of a campaign with unique codes to the customer. */
    record PublishCode(String campaign) implements Action {
        public String type() {
            return "PUBLISH_CODE";
        }
    }

    /** Credits points in a loyalty program: {@code fixed}, or {@code formula} over the run's variables. */
    record AddPoints(String program, Long fixed, Formula formula) implements Action {
        public String type() {
            return "ADD_POINTS";
        }
    }

    /**
     * Renders and queues a message to the customer (see {@code message.MessageService#queue}): {@code to},
     * {@code subject} and {@code template} are templates over the customer, the campaigns' codes and the trigger's data.
     */
    record SendMessage(Draft draft) implements Action {
        public String type() {
            return "MESSAGE";
        }
    }

    /** Sends {@code automation.fired} to one webhook, with what the earlier actions produced. */
    record Webhook(String webhook) implements Action {
        public String type() {
            return "WEBHOOK";
        }
    }

    /** The automation as the API shows it: its definition, {@code active}, and when it was made and changed. */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        definition.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue()));
        m.put("active", active);
        m.put("createdAt", createdAt);
        m.put("updatedAt", updatedAt);
        return m;
    }
}

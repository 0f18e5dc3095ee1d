package io.tessera.automation;

import io.tessera.message.MessageService;
import io.tessera.message.Message;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.campaign.CodePattern;
import io.tessera.code.Publications;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.customer.Profiles;
import io.tessera.job.LeaseLost;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Task;
import io.tessera.job.TaskHandler;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.outbox.Outbox;
import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * Runs a run when it comes due (one scheduler task per run): the automation is read again (deleted or paused: the run
 * is SKIPPED), its condition evaluated again as of now with the customer's current profile (false: SKIPPED), then its
 * actions are done in order in ONE transaction with the run marked DONE and the task completed. The task's lease makes
 * one node run it at a time, and the completion inside that transaction makes the actions happen exactly once: a node
 * that lost the lease rolls back, and a run already ended is left alone. A failing action (no code left, a program
 * gone) fails the attempt, retried per {@link #RETRY}; the last failure marks the run FAILED with its error.
 */
public final class AutomationRuns implements TaskHandler {
    public static final String KIND = "automation.run";
    /** Four attempts a minute, two and four minutes apart: enough for a campaign to get more codes. */
    public static final Retry RETRY = new Retry(4, Duration.ofMinutes(1));
    public static final String FIRED = "automation.fired";
    public static final String POINTS_EXPIRING = "points.expiring";
    private final Automations automations;
    private final Function<String, Optional<ProjectContext>> projects;
    private final Profiles profiles;
    private final CampaignService campaigns;
    private final Publications publications;
    private final LoyaltyService loyalty;
    private final Outbox outbox;
    private final MessageService messages;

    /** {@code projects}: the project of an id (its time zone), or empty once it is gone. */
    public AutomationRuns(Automations automations, Function<String, Optional<ProjectContext>> projects,
                          Profiles profiles, CampaignService campaigns, Publications publications,
                          LoyaltyService loyalty, Outbox outbox, MessageService messages) {
        this.messages = messages;
        this.automations = automations;
        this.projects = projects;
        this.profiles = profiles;
        this.campaigns = campaigns;
        this.publications = publications;
        this.loyalty = loyalty;
        this.outbox = outbox;
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String id = task.payload().get("run").asText();
        Run run = store().run(automations.db.dsl(), projectId, id, false).orElse(null);
        if (run == null || !Run.SCHEDULED.equals(run.status())) return Outcome.DONE;
        try {
            execute(task, run, task.now().truncatedTo(ChronoUnit.MICROS));
            return Outcome.DONE;
        } catch (LeaseLost e) {
            throw e;
        } catch (RuntimeException e) {
            // Shown on the run while it waits for its next attempt; the last one marks it FAILED (see failed()).
            store().attemptFailed(projectId, id, message(e));
            throw e;
        }
    }

    @Override
    public void failed(DSLContext tx, Task task, String error, Instant now) {
        store().finish(tx, task.projectId(), task.payload().get("run").asText(), Run.FAILED, error, null, now);
    }

    private void execute(RunningTask task, Run run, Instant now) {
        ProjectContext p = projects.apply(run.projectId()).orElse(null);
        Automation a = automations.byId(automations.db.dsl(), run.projectId(), run.automationId()).orElse(null);
        if (p == null || a == null) {
            skip(task, run, "the automation was deleted", now);
            return;
        }
        if (!a.active()) {
            skip(task, run, "the automation is paused", now);
            return;
        }
        JsonNode data = run.triggerData();
        if (data.has("points")) {
            // points_expiring: only the points of that earning still held count; none left, nothing to remind of.
            long held = loyalty.heldPoints(automations.db.dsl(), run.projectId(), data.at("/points/bucket").asText(),
                    now);
            if (held == 0) {
                skip(task, run, "the points are no longer held", now);
                return;
            }
            data = data.deepCopy();
            ((ObjectNode) data.get("points")).put("points", held);
        }
        Activation variables = Variables.of(profiles.shopper(p.id(), run.customer(), now), data, now);
        if (a.condition() != null) {
            try {
                if (!a.condition().holds(variables)) {
                    skip(task, run, "the condition no longer holds", now);
                    return;
                }
            } catch (RuleException e) {
                skip(task, run, "the condition no longer holds: " + e.getMessage(), now);
                return;
            }
        }
        // Read on other connections before the transaction, as a reward claim does: the transaction then needs one.
        Map<String, Campaign> codeCampaigns = new HashMap<>();
        for (Automation.Action action : a.actions()) {
            if (action instanceof Automation.PublishCode pc && !codeCampaigns.containsKey(pc.campaign())) {
                Campaign c = campaigns.find(p, pc.campaign()).orElseThrow(
                        () -> new IllegalStateException("campaign " + pc.campaign() + " no longer exists"));
                if (c.archived()) throw new IllegalStateException("campaign " + c.name() + " is archived");
                codeCampaigns.put(pc.campaign(), c);
            }
        }
        JsonNode triggerData = data;
        automations.db.transaction(tx -> {
            Run current = store().run(tx, run.projectId(), run.id(), true).orElse(null);
            if (current != null && Run.SCHEDULED.equals(current.status())) {
                List<Map<String, Object>> outputs = act(tx, p, a, run, triggerData, variables, codeCampaigns, now);
                store().finish(tx, run.projectId(), run.id(), Run.DONE, null, outputs, now);
            }
            task.complete(tx);
            return null;
        });
    }

    /** The actions in order, within the run's transaction; returns what each produced. */
    private List<Map<String, Object>> act(DSLContext tx, ProjectContext p, Automation a, Run run, JsonNode data,
                                          Activation variables, Map<String, Campaign> codeCampaigns, Instant now) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (Automation.Action action : a.actions()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", action.type());
            switch (action) {
                case Automation.PublishCode pc -> {
                    Campaign c = codeCampaigns.get(pc.campaign());
                    CampaignParser.CodeSetup setup = c.uniqueCodes();
                    Publications.Published code = publications.publish(tx, p.id(), c.id(), c.name(),
                            CodePattern.of(setup.pattern(), setup.charset()), run.customer(), false, c.codeLimit(),
                            now);
                    out.put("campaign", c.name());
                    out.put("code", code.code());
                }
                case Automation.AddPoints ap -> {
                    long points = points(ap, variables);
                    if (points > 0) loyalty.creditAutomation(tx, p, ap.program(), run.customer(), points, a.name(), now);
                    out.put("program", ap.program());
                    out.put("points", Math.max(points, 0));
                }
                case Automation.SendMessage m -> {
                    out.put("channel", m.draft().channel());
                    try {
                        Message queued = messages.queue(tx, p, run.customer(), m.draft(), Json.toMap(data), now);
                        out.put("message", queued.id());
                    } catch (Failure.Invalid | Failure.Refused e) {
                        // Permanent for this customer (no consent, no value for a placeholder): the message is not
                        // sent, nothing of it is published, and the run's other actions still happen.
                        out.put("error", e.getMessage());
                    }
                }
                case Automation.Webhook w -> {
                    Map<String, Object> fired = new LinkedHashMap<>();
                    fired.put("automation", a.name());
                    fired.put("run", run.id());
                    fired.put("customer", run.customer());
                    fired.put("trigger", run.trigger());
                    fired.put("triggerData", Json.toMap(data));
                    fired.put("outputs", List.copyOf(outputs));
                    out.put("webhook", w.webhook());
                    out.put("event", outbox.addFor(tx, p.id(), FIRED, fired, now, w.webhook()));
                }
            }
            outputs.add(out);
        }
        if (data.has("points")) {
            Map<String, Object> expiring = new LinkedHashMap<>();
            expiring.put("program", data.at("/points/program").asText());
            expiring.put("customer", run.customer());
            expiring.put("points", data.at("/points/points").asLong());
            expiring.put("expiresAt", data.at("/points/expiresAt").asText());
            expiring.put("automation", a.name());
            outbox.add(tx, p.id(), POINTS_EXPIRING, expiring, now);
        }
        return outputs;
    }

    private static long points(Automation.AddPoints ap, Activation variables) {
        if (ap.fixed() != null) return ap.fixed();
        try {
            return ap.formula().eval(variables).setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (RuleException | ArithmeticException e) {
            throw new IllegalStateException("the points of ADD_POINTS (" + ap.program() + ") could not be computed: "
                    + e.getMessage(), e);
        }
    }

    /** Ends the run SKIPPED with {@code reason}; a skipped run does not count against {@code limit.perCustomer}. */
    private void skip(RunningTask task, Run run, String reason, Instant now) {
        automations.db.transaction(tx -> {
            if (store().finish(tx, run.projectId(), run.id(), Run.SKIPPED, reason, null, now))
                store().giveBackRun(tx, run.projectId(), run.automationId(), run.customer());
            task.complete(tx);
            return null;
        });
    }

    private static String message(RuntimeException e) {
        if (e instanceof Failure f) return f.getMessage();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private AutomationStore store() {
        return automations.store;
    }
}

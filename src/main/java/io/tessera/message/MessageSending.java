package io.tessera.message;

import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.SendSlots;
import io.tessera.job.Task;
import io.tessera.job.TaskHandler;
import io.tessera.outbox.Outbox;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Sends queued messages: one {@code message.send} task per message. The first run takes the message's send slot
 * (lane {@code message:<channel>} of {@link SendSlots}); a slot later than now moves the work to a task due at that
 * slot. At its slot the message goes by SMTP (email, when a mailer is configured) or as a {@code message.rendered}
 * outbox event (every other case), after checking the consent again: consent withdrawn meanwhile fails it with
 * {@code no_consent}. A failed SMTP attempt is retried ({@link #RETRY}); the message is FAILED only when the retries
 * are spent.
 */
public final class MessageSending implements TaskHandler {
    public static final String KIND = "message.send";
    /** 20 attempts, 30 s apart at first and doubling up to a day: a mail server may be away for about a week. */
    public static final Retry RETRY = new Retry(20, Duration.ofSeconds(30));
    private final Database db;
    private final MessageStore store;
    private final CustomerStore customers;
    private final Outbox outbox;
    private final Scheduler scheduler;
    private final int perSecond;
    private final SmtpMailer mailer;

    /** {@code mailer}: null when no SMTP server is configured (email then goes to an ESP as events too). */
    public MessageSending(Database db, CustomerStore customers, Outbox outbox, Scheduler scheduler, int perSecond,
                          SmtpMailer mailer) {
        this.db = db;
        this.store = new MessageStore(db);
        this.customers = customers;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.perSecond = perSecond;
        this.mailer = mailer;
    }

    /** The task that sends message {@code id}, due at once (queued in the caller's transaction). */
    static NewTask task(String projectId, String id) {
        return NewTask.now(KIND, projectId, Map.of("message", id)).withKey("message:" + id);
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String id = task.payload().get("message").asText();
        Instant now = task.now();
        Message email = db.transaction(tx -> {
            MessageStore.Stored s = store.lock(tx, projectId, id).orElse(null);
            if (s == null || s.message().status() != Message.Status.QUEUED) return done(tx, task);
            Message m = s.message();
            boolean consented = customers.find(tx, s.projectId(), m.customer())
                    .map(c -> MessageService.consented(c, m.channel())).orElse(false);
            if (!consented) {
                store.failed(tx, projectId, id, MessageService.NO_CONSENT);
                return done(tx, task);
            }
            if (s.slotAt() == null) {
                Instant slot = SendSlots.reserve(tx, s.projectId(), "message:" + m.channel(), perSecond, now);
                store.slot(tx, projectId, id, slot);
                if (slot.isAfter(now)) {
                    // The channel's rate is used up until then: the send moves to a task due at its slot.
                    scheduler.enqueue(tx, NewTask.at(KIND, s.projectId(), Map.of("message", id), slot)
                            .withKey("message:" + id + ":slot"), now);
                    return done(tx, task);
                }
            }
            if (mailer != null && m.channel().equals("email")) return m;
            // Stored even with no webhook taking it: it is the message's record of having been sent.
            String event = outbox.record(tx, s.projectId(), MessageService.RENDERED, rendered(m), now);
            store.sent(tx, projectId, id, event, now);
            return done(tx, task);
        });
        if (email == null) return Outcome.DONE;
        try {
            mailer.send(email.id(), email.to(), email.subject(), email.text());
        } catch (MessagingException e) {
            String error = "smtp: " + e.getMessage();
            store.attemptFailed(projectId, id, error);
            throw new IllegalStateException(error, e);
        }
        // Sent: recorded with the task's completion. Should this fail, the task runs again and the email is sent
        // again with the same Message-ID (delivery is at least once).
        db.transaction(tx -> {
            store.sent(tx, projectId, id, null, now);
            task.complete(tx);
            return null;
        });
        return Outcome.DONE;
    }

    private static Message done(DSLContext tx, RunningTask task) {
        task.complete(tx);
        return null;
    }

    /** The retries are spent: the message is FAILED with the last error. */
    @Override
    public void failed(DSLContext tx, Task task, String error, Instant now) {
        store.failed(tx, task.projectId(), task.payload().get("message").asText(), error);
    }

    /** The {@code message.rendered} event's data: what an ESP needs to deliver the message. */
    static Map<String, Object> rendered(Message m) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", m.id());
        data.put("customer", m.customer());
        data.put("channel", m.channel());
        data.put("to", m.to());
        data.put("subject", m.subject());
        data.put("text", m.text());
        return data;
    }
}

package io.tessera.message;

import io.tessera.campaign.CampaignService;
import io.tessera.code.Publications;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Ids;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.LoyaltyAccounts;
import io.tessera.db.Database;
import io.tessera.job.Scheduler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * Message templates rendered for a customer ({@link #render}) and messages queued for sending ({@link #queue}).
 * Rendering is all or nothing: a placeholder without a value, or a customer without consent for the channel, fails
 * it, and then no code was published. Messages are not audited: like publications, they are traffic with records of
 * their own.
 */
public final class MessageService {
    /** The outbox event type that hands a message to an ESP (data: id, customer, channel, to, subject, text). */
    public static final String RENDERED = "message.rendered";
    /** The refusal code for a customer who has not consented to the channel. */
    public static final String NO_CONSENT = "no_consent";
    /** A channel: a key of the customer's consents. */
    public static final Pattern CHANNEL = Pattern.compile("[a-z0-9_-]{1,32}");
    public static final String CHANNEL_RULE = "a channel such as email, sms or push: 1-32 lower-case letters, "
            + "digits, '_' or '-'";
    private final Database db;
    private final CustomerStore customers;
    private final Scheduler scheduler;
    private final MessageStore store;
    private final Renderer renderer;

    public MessageService(Database db, CustomerStore customers, CampaignService campaigns, Publications publications,
                          LoyaltyAccounts loyalty, Scheduler scheduler) {
        this.db = db;
        this.customers = customers;
        this.scheduler = scheduler;
        this.store = new MessageStore(db);
        this.renderer = new Renderer(campaigns, publications, loyalty);
    }

    /** A rendered template, with its rendered subject when one was given. */
    public record Rendered(String text, String subject) {
    }

    /**
     * Renders {@code template} (and {@code subject}, if given) for a customer of the project, in one transaction:
     * {@code {{campaigns.<name>.code}}} publishes the customer's code of that campaign, or hands back the unused one
     * the customer already holds. With a {@code channel}, the customer must have consented to it (422
     * {@code no_consent}). 404 for a customer the project does not know (rendering never creates one); 422 naming the
     * field and placeholder for one that is unknown or has no value for this customer; 409 {@code codes_exhausted}
     * when a campaign has no code left. Any failure publishes nothing.
     */
    public Rendered render(ProjectContext p, String customerId, String channel, String subject, String template,
                           Instant now) {
        List<Template> templates = parse(Set.of(), "template", template, "subject", subject);
        return db.transaction(tx -> {
            CustomerRow customer = customer(tx, p, customerId);
            if (channel != null) requireConsent(customer, channel);
            List<String> texts = renderer.render(tx, p, customer, Map.of(), templates, now);
            return new Rendered(texts.getFirst(), subject == null ? null : texts.get(1));
        });
    }

    /**
     * Renders {@code draft} for the customer and queues it for sending, inside {@code tx} (the caller's transaction,
     * e.g. an automation run's), so that the message is stored and its sending scheduled exactly when {@code tx}
     * commits. Sending happens later, on the scheduler, throttled per project and channel, by SMTP or as a
     * {@code message.rendered} event (see {@link MessageSending}); the scheduler's poller picks it up, or at once
     * after {@code scheduler.wake()} following the commit.
     *
     * <p>The draft's {@code to}, {@code subject} and {@code template} are templates; besides the customer's and the
     * campaigns' placeholders they may read {@code extraVariables} by name (e.g. {@code {{order.total}}} for a
     * variable {@code order}; records are read as their JSON). Throws, with nothing written or published (the work is
     * done in a savepoint of {@code tx} that is rolled back), and {@code tx} usable still:
     * <ul>
     *   <li>{@link Failure.Invalid} naming the field ({@code channel}, {@code to}, {@code subject}, {@code template})
     *   and the placeholder that is unknown or has no value, or a {@code to} of an email that is not an address;</li>
     *   <li>{@link Failure.Refused} {@code no_consent} when the customer's {@code consents[channel]} is not true;</li>
     *   <li>{@link Failure.NotFound} for an unknown customer; {@link Failure.Conflict} {@code codes_exhausted} when a
     *   campaign has no code left.</li>
     * </ul>
     * Returns the message as stored: QUEUED.
     */
    public Message queue(DSLContext tx, ProjectContext p, String customerId, Draft draft,
                         Map<String, Object> extraVariables, Instant now) {
        if (draft.channel() == null || !CHANNEL.matcher(draft.channel()).matches())
            throw Failure.invalid("channel", "must be " + CHANNEL_RULE);
        boolean email = draft.channel().equals("email");
        if (email && draft.to() == null) throw Failure.invalid("to", "is required for an email");
        if (draft.template() == null) throw Failure.invalid("template", "is required");
        Map<String, Object> variables = extraVariables == null ? Map.of() : extraVariables;
        List<Template> templates = parse(variables.keySet(), "template", draft.template(), "subject", draft.subject(),
                "to", draft.to());
        return Database.savepoint(tx, savepoint -> {
            CustomerRow customer = customer(savepoint, p, customerId);
            requireConsent(customer, draft.channel());
            List<String> texts = renderer.render(savepoint, p, customer, variables, templates, now);
            String subject = draft.subject() == null ? null : texts.get(1);
            String to = draft.to() == null ? null : texts.getLast().strip();
            if (email && !SmtpMailer.isAddress(to))
                throw Failure.invalid("to", "renders to '" + to + "', which is not one email address");
            Message m = new Message(Ids.next("msg"), customerId, draft.channel(), to, subject, texts.getFirst(),
                    Message.Status.QUEUED, null, now.truncatedTo(ChronoUnit.MICROS), null);
            store.insert(savepoint, p.id(), m);
            scheduler.enqueue(savepoint, MessageSending.task(p.id(), m.id()), now);
            return m;
        });
    }

    /** Whether the customer consented to messages on {@code channel}. */
    static boolean consented(CustomerRow customer, String channel) {
        return Boolean.TRUE.equals(customer.consents().get(channel));
    }

    private static void requireConsent(CustomerRow customer, String channel) {
        if (!consented(customer, channel)) {
            throw Failure.refused(NO_CONSENT, "customer " + customer.id() + " has not consented to " + channel
                    + " messages (consents." + channel + " is not true)", Map.of("channel", channel));
        }
    }

    private CustomerRow customer(DSLContext tx, ProjectContext p, String customerId) {
        return customers.find(tx, p.id(), customerId).orElseThrow(() -> Failure.notFound("customer " + customerId));
    }

    /** Parses the given (field, text) pairs, skipping null texts; every syntax problem of every field in one 422. */
    private static List<Template> parse(Set<String> variables, String... fieldsAndTexts) {
        List<Template> out = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < fieldsAndTexts.length; i += 2) {
            if (fieldsAndTexts[i + 1] == null) continue;
            try {
                out.add(Template.parse(fieldsAndTexts[i], fieldsAndTexts[i + 1], variables));
            } catch (Failure.Invalid e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw Failure.invalid(errors);
        return out;
    }
}

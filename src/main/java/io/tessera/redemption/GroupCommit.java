package io.tessera.redemption;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;

/**
 * Group commit of redemptions (PostgreSQL): the redemptions of one project that are ready to commit while that
 * project's transactions are in flight on this node wait, then commit together in one transaction. A transaction's
 * fixed costs (its begin and commit round trips, the commit's WAL record and flush, taking and releasing its snapshot
 * and locks) are then paid once for the group: PostgreSQL spent 30–42 % less CPU per redemption under the load
 * generator (docs/performance.md). Nobody waits for a group to fill: while fewer than {@code inFlight} transactions of
 * the project are in flight, a redemption commits at once, alone.
 *
 * <p>Correctness rests on three rules.
 * <ul>
 *   <li>Every member's work is the statements it would run alone, in the same transaction after the members before
 *   it: each guarded take sees what the earlier members took, so a limit holds exactly as it does between separate
 *   transactions.</li>
 *   <li>If anything fails before the commit (a limit refused, a customer created meanwhile, an idempotency key met
 *   again, a deadlock), the whole group is rolled back and every member runs again alone, as it would have without
 *   grouping: its refusal, replay or retry is then its own. A failure of the commit itself is every member's, as it
 *   would be alone (the outcome is unknown, so nothing runs twice).</li>
 *   <li>Locks are taken in the order a redemption alone takes them, kept across the group: first the union of the
 *   members' campaign holds (sorted, in one statement, with one read of their limits that every member checks its
 *   plan against); then each member's
 *   customer, the members in customer order; then every member's takes in the one global order of takes (unique
 *   codes by code, then per-customer counters, then campaign-wide slot rows, by campaign and counter; a rollback gives
 *   back in that order too). A member never waits for a slot row while the group holds the others' rows: it takes
 *   only a slot no other transaction holds (its group's own are free to it), and when there is none the group runs
 *   again one redemption at a time. A code's row it may wait for: whoever holds it took it in the same order, so waits
 *   for nothing the group holds. A redemption that pays with points commits alone (see {@link Checkout}): the member's
 *   rows come between the customer's and the takes, where members one after another would cross other transactions'
 *   order.</li>
 * </ul>
 */
final class GroupCommit {
    /**
     * A redemption's work in its transaction {@code tx}: first it adds the statements that need no answer to
     * {@code batch} (in a group, the group's, so that all members' go in one round trip); the {@link Rest} runs once
     * the batch ran. {@code limits}: its campaigns' limits, held by the transaction before the work's statements (in a
     * group, every member's campaigns at once).
     */
    interface Work {
        Rest prepare(DSLContext tx, Pipeline batch, CounterStore.HeldLimits limits);
    }

    /** What is left of a member's work once its first round trip ran: everything up to its counter takes, then those. */
    interface Rest {
        /** Everything before the counter takes (checks, the customer's row, events); throws to refuse. */
        void beforeTakes();

        /** The counter takes, in this member's order. */
        List<Take> takes();

        String answer();
    }

    /**
     * One take of a member: a unique code or a counter. {@code order}: the global order of takes (a group makes all its members' in that
     * order). {@code run} throws when the counter has no room; {@code freeSlotOnly} as in {@link CounterStore#take}.
     */
    interface Take {
        String order();

        void run(boolean freeSlotOnly);

        static Take of(String order, Step step) {
            return new Take() {
                @Override
                public String order() {
                    return order;
                }

                @Override
                public void run(boolean freeSlotOnly) {
                    step.run(freeSlotOnly);
                }
            };
        }

        /** What a take does. */
        @FunctionalInterface
        interface Step {
            void run(boolean freeSlotOnly);
        }
    }

    /** One redemption ready to commit: its project, customer (the group's order), campaigns (held) and work. */
    record Member(String projectId, String customerId, Collection<String> campaigns, Work work) {
    }

    private sealed interface Outcome {
    }

    /** Committed with the group: the member's answer. */
    private record Committed(String answer) implements Outcome {
    }

    /** The group was rolled back before its commit: run again alone. */
    private record Alone() implements Outcome {
    }

    /** The group's commit failed: the member's failure too. */
    private record Failed(RuntimeException failure) implements Outcome {
    }

    /** A waiting member leads the next group. */
    private record Lead() implements Outcome {
    }

    private static final Comparator<Member> ORDER = Comparator.comparing(Member::customerId,
            Comparator.nullsLast(Comparator.naturalOrder()));

    private final Database db;
    private final CounterStore counters;
    private final int size;
    private final int inFlight;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Not counted until {@link #bindTo} (meters of an empty composite count nothing). */
    private volatile DistributionSummary groups = sizes(new CompositeMeterRegistry());
    private volatile Counter fallbacks = fallbacks(new CompositeMeterRegistry());
    private volatile Phases phases = Phases.of(new CompositeMeterRegistry());

    /** Groups of at most {@code size} members, {@code inFlight} transactions of a project at once on this node. */
    GroupCommit(Database db, CounterStore counters, int size, int inFlight) {
        if (size < 1 || inFlight < 1) throw new IllegalArgumentException("size and inFlight must be at least 1");
        this.db = db;
        this.counters = counters;
        this.size = size;
        this.inFlight = inFlight;
    }

    /**
     * Publishes {@code tessera_redemption_group_size} (members per group transaction, committed or not; a redemption
     * that found nothing in flight and committed alone is not counted) and
     * {@code tessera_redemption_group_fallbacks_total} (groups rolled back whose members then ran alone) and
     * {@code tessera_redemption_commit_seconds} (where a redemption's commit spends its time, by phase).
     */
    void bindTo(MeterRegistry registry) {
        groups = sizes(registry);
        fallbacks = fallbacks(registry);
        phases = Phases.of(registry);
    }

    /**
     * Where a redemption's commit spends its time, one timer per phase: {@code queue}, waiting for one of its project's
     * transactions on this node (per redemption); then per transaction (a group's or one alone) {@code connection},
     * taking a pooled connection, {@code statements}, every statement up to the commit, and {@code commit}, the COMMIT
     * round trip with its WAL flush. Buckets, so the phases' percentiles come out of Prometheus across nodes.
     */
    private record Phases(Timer queue, Timer connection, Timer statements, Timer commit) {
        private static final java.time.Duration[] BUCKETS = java.util.stream.LongStream
                .of(1, 2, 5, 10, 25, 50, 100, 250, 1000).mapToObj(java.time.Duration::ofMillis)
                .toArray(java.time.Duration[]::new);

        static Phases of(MeterRegistry registry) {
            return new Phases(phase(registry, "queue"), phase(registry, "connection"), phase(registry, "statements"),
                    phase(registry, "commit"));
        }

        private static Timer phase(MeterRegistry registry, String phase) {
            return Timer.builder("tessera.redemption.commit").tag("phase", phase).serviceLevelObjectives(BUCKETS)
                    .description("time a redemption's commit spends in each phase").register(registry);
        }
    }

    /** {@code work} in a transaction, its phases timed (when it commits). */
    private <T> T timed(Function<DSLContext, T> work) {
        long begin = System.nanoTime();
        long[] ran = new long[2];
        T result = db.transaction(tx -> {
            ran[0] = System.nanoTime();
            T r = work.apply(tx);
            ran[1] = System.nanoTime();
            return r;
        });
        long end = System.nanoTime();
        Phases p = phases;
        p.connection().record(ran[0] - begin, TimeUnit.NANOSECONDS);
        p.statements().record(ran[1] - ran[0], TimeUnit.NANOSECONDS);
        p.commit().record(end - ran[1], TimeUnit.NANOSECONDS);
        return result;
    }

    private static DistributionSummary sizes(MeterRegistry registry) {
        return DistributionSummary.builder("tessera.redemption.group.size")
                .description("redemptions per transaction of a group commit").register(registry);
    }

    private static Counter fallbacks(MeterRegistry registry) {
        return Counter.builder("tessera.redemption.group.fallbacks")
                .description("groups rolled back before their commit, whose members then ran alone").register(registry);
    }

    /** A project's transactions in flight on this node, and the members waiting for one. */
    private static final class Lane {
        int running;
        final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    }

    /** {@code entered}: when it asked to commit ({@link System#nanoTime}), for the queue phase. */
    private record Waiting(Member member, CompletableFuture<Outcome> outcome, long entered) {
    }

    /** Commits {@code m}'s work, in a group or alone; its answer, or what its work (or the commit) threw. */
    String commit(Member m) {
        if (size == 1) return alone(m);
        Lane lane = lanes.computeIfAbsent(m.projectId(), k -> new Lane());
        Waiting me = new Waiting(m, new CompletableFuture<>(), System.nanoTime());
        boolean lead;
        synchronized (lane) {
            lead = lane.running < inFlight;
            if (lead) lane.running++;
            else lane.waiting.add(me);
        }
        if (!lead) {
            Outcome o = await(me.outcome());
            if (!(o instanceof Lead)) return answer(o, m);
        }
        List<Waiting> group = new ArrayList<>(size);
        group.add(me);
        synchronized (lane) {
            while (group.size() < size && !lane.waiting.isEmpty()) group.add(lane.waiting.poll());
        }
        Outcome mine;
        try {
            mine = run(group);
        } finally {
            handOff(lane);
        }
        return answer(mine, m);
    }

    /** How many members of the project wait for a transaction on this node (for tests). */
    int waiting(String projectId) {
        Lane lane = lanes.get(projectId);
        if (lane == null) return 0;
        synchronized (lane) {
            return lane.waiting.size();
        }
    }

    /** Passes the lane to the next waiting member (who leads the next group), or frees it. */
    private void handOff(Lane lane) {
        Waiting next;
        synchronized (lane) {
            next = lane.waiting.poll();
            if (next == null) lane.running--;
        }
        if (next != null) next.outcome().complete(new Lead());
    }

    /** Runs the group; completes every other member's outcome and returns the leader's (the first). */
    private Outcome run(List<Waiting> group) {
        long now = System.nanoTime();
        for (Waiting w : group) phases.queue().record(now - w.entered(), TimeUnit.NANOSECONDS);
        if (group.size() == 1) return new Committed(alone(group.getFirst().member()));
        List<Waiting> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparing(Waiting::member, ORDER));
        String projectId = ordered.getFirst().member().projectId();
        TreeSet<String> campaigns = new TreeSet<>();
        for (Waiting w : ordered) campaigns.addAll(w.member().campaigns());
        boolean[] worked = {false};
        List<String> answers = new ArrayList<>(ordered.size());
        Outcome shared = null;
        try {
            timed(tx -> {
                Pipeline batch = new Pipeline(db);
                CounterStore.HeldLimits limits = counters.holdLimits(tx, batch, projectId, campaigns);
                List<Rest> rests = new ArrayList<>(ordered.size());
                for (Waiting w : ordered) rests.add(w.member().work().prepare(tx, batch, limits));
                batch.run(tx);
                // Every member's customer first (in customer order), then every member's counters in the one global
                // order of takes: the order of lock kinds a redemption alone keeps, kept across the group.
                List<Take> takes = new ArrayList<>();
                for (Rest r : rests) {
                    r.beforeTakes();
                    takes.addAll(r.takes());
                }
                takes.sort(Comparator.comparing(Take::order));
                for (Take t : takes) t.run(true);
                for (Rest r : rests) answers.add(r.answer());
                worked[0] = true;
                return null;
            });
        } catch (RuntimeException | Error e) {
            // Failed before the commit: rolled back, so each member's work runs again alone, with its own outcome.
            // Failed in the commit: the outcome is unknown, so it is every member's failure, as alone it would be.
            shared = !worked[0] ? new Alone()
                    : new Failed(e instanceof RuntimeException r ? r : new IllegalStateException(e));
        }
        groups.record(group.size());
        if (shared instanceof Alone) fallbacks.increment();
        Outcome leader = null;
        for (int i = 0; i < ordered.size(); i++) {
            Outcome o = shared != null ? shared : new Committed(answers.get(i));
            if (ordered.get(i) == group.getFirst()) leader = o;
            else ordered.get(i).outcome().complete(o);
        }
        return leader;
    }

    private String answer(Outcome o, Member m) {
        return switch (o) {
            case Committed c -> c.answer();
            case Alone a -> alone(m);
            case Failed f -> throw f.failure();
            case Lead l -> throw new IllegalStateException("a leader's outcome is its group's");
        };
    }

    /** Runs {@code m}'s work in a transaction of its own. */
    String alone(Member m) {
        return timed(tx -> {
            Pipeline batch = new Pipeline(db);
            Rest rest = m.work().prepare(tx, batch, counters.holdLimits(tx, batch, m.projectId(), m.campaigns()));
            batch.run(tx);
            rest.beforeTakes();
            for (Take t : rest.takes()) t.run(false);
            return rest.answer();
        });
    }

    private static Outcome await(CompletableFuture<Outcome> outcome) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    // The group commits or rolls back with this member in it whatever this thread does: wait for it.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}

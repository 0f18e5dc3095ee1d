package io.tessera.redemption;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;

/**
 * The redemption figures of closed days (V25's tables), so that the dashboard and a campaign's stats read a few rows
 * per campaign and day instead of aggregating every redemption line; the days after {@code closed_through} are read
 * live from the lines (docs/decisions.md, "Admin figures: a rollup of closed days").
 *
 * <p>The {@value #KIND} task rolls a project's closed days up, one day per transaction, each advancing
 * {@code closed_through} with its rows, then schedules itself for the next UTC midnight. A rollback of a redemption
 * on a closed day takes it out of these rows in the rollback's transaction. Both hold the project's
 * {@code redemption_rollups} row lock while they do, so a rollback is either seen by the day's rollup or corrects it
 * afterwards, on every node. A redemption never touches these tables.
 */
public final class Rollups implements TaskHandler {
    public static final String KIND = "redemption.rollup";
    public static final Retry RETRY = new Retry(5, Duration.ofMinutes(5));
    /** The project row of {@code redemption_days}: the project's redemptions, each counted once. */
    static final String PROJECT = "";
    private final Database db;
    private final Scheduler scheduler;

    public Rollups(Database db, Scheduler scheduler) {
        this.db = db;
        this.scheduler = scheduler;
    }

    /**
     * The last day that may be rolled up at {@code now}. A line's day is its redemption's instant in the project's
     * zone, so a line of day D is written before D+1 12:00 UTC (UTC-12 is the latest zone); two days behind the UTC
     * date leave at least 12 hours for a slow transaction, or a node that has not yet seen a change of time zone.
     */
    static LocalDate lastClosable(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(2);
    }

    /** Schedules the project's next rollup at the UTC midnight after {@code now}, within {@code tx} (once per day). */
    public void schedule(DSLContext tx, String projectId, Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        enqueue(tx, projectId, day, day.atStartOfDay(ZoneOffset.UTC).toInstant(), now);
    }

    /**
     * At a node's start: every project's rollup at the next UTC midnight unless it has one (projects from before this
     * feature, or whose chain stopped after failing). Not at once: a start is no time for a burst of work.
     */
    public void catchUp(Instant now) {
        db.transaction(tx -> {
            // Only projects without a pending rollup: a start costs nothing per project that has one.
            for (String projectId : tx.fetch("select id from projects p where not exists (select 1 from tasks t "
                    + "where t.project_id = p.id and t.status = 'PENDING' and t.kind = ?)", KIND)
                    .map(r -> r.get("id", String.class)))
                schedule(tx, projectId, now);
            return null;
        });
    }

    private void enqueue(DSLContext tx, String projectId, LocalDate day, Instant due, Instant now) {
        scheduler.enqueue(tx, NewTask.at(KIND, projectId, Map.of(), due).withKey(KIND + ":" + projectId + ":" + day), now);
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String last = lastClosable(task.now()).toString();
        while (db.transaction(tx -> {
            task.checkpoint(tx);
            return rollUpNext(tx, projectId, last);
        })) {
            if (task.stopping()) return Outcome.PAUSED;
        }
        db.transaction(tx -> {
            schedule(tx, projectId, task.now());
            task.complete(tx);
            return null;
        });
        return Outcome.DONE;
    }

    /**
     * Rolls up the project's first day after {@code closed_through} that may have lines ({@link #nextDay}), if it is
     * not after {@code last}; without one, moves {@code closed_through} to {@code last}. Returns whether a day was
     * rolled up (there may be more).
     */
    boolean rollUpNext(DSLContext tx, String projectId, String last) {
        String closed = lock(tx, projectId);
        String next = nextDay(tx, projectId, closed);
        if (next == null || next.compareTo(last) > 0) {
            if (last.compareTo(closed) > 0) close(tx, projectId, last);
            return false;
        }
        rollUp(tx, projectId, next);
        close(tx, projectId, next);
        return true;
    }

    /**
     * The first day after {@code closed} that may have lines, null when none can. A line of a later day belongs to a
     * redemption made at {@link #since} or after, so at or after the first such redemption, whose day in the
     * westernmost zone (UTC-12) no line of it or a later redemption can precede: a quiet stretch is skipped in one
     * step, a day without lines in between is rolled up as nothing. (Read from the redemptions' index: the lines have
     * no index by day.)
     */
    private static String nextDay(DSLContext tx, String projectId, String closed) {
        Instant first = Sql.instant(tx.fetchOne("select min(created_at) as first from redemptions "
                + "where project_id = ? and created_at >= ?", projectId, since(closed)), "first");
        if (first == null) return null;
        String earliest = LocalDate.ofInstant(first.minus(WESTMOST), ZoneOffset.UTC).toString();
        String after = closed.isEmpty() ? earliest : LocalDate.parse(closed).plusDays(1).toString();
        return earliest.compareTo(after) > 0 ? earliest : after;
    }

    /** How far ahead of UTC the easternmost zone is (UTC+14), and behind it the westernmost (UTC-12). */
    private static final Duration EASTMOST = Duration.ofHours(14), WESTMOST = Duration.ofHours(12);

    /** The instants a line of a day can have been made at, in any zone: [from, to). */
    private record Span(java.time.OffsetDateTime from, java.time.OffsetDateTime to) {
        static Span of(String day) {
            Instant midnight = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant();
            return new Span(Sql.ts(midnight.minus(EASTMOST)), Sql.ts(midnight.plus(Duration.ofDays(1)).plus(WESTMOST)));
        }
    }

    /**
     * The lines of a day, joined to their redemptions ({@code l}, {@code r}): read through the redemptions of the
     * day's {@link Span} (the lines have no index by day). Its arguments: {@link #dayArgs}.
     */
    private static final String DAY_LINES = "from redemption_lines l join redemptions r on r.project_id = l.project_id "
            + "and r.id = l.redemption_id where l.project_id = ? and l.local_day = ? and r.project_id = ? "
            + "and r.created_at >= ? and r.created_at < ?";

    /** {@link #DAY_LINES}'s arguments, then {@code more} for the statement's later placeholders. */
    private static Object[] dayArgs(String projectId, String day, Span span, Object... more) {
        Object[] head = {projectId, day, projectId, span.from(), span.to()};
        Object[] args = java.util.Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, args, head.length, more.length);
        return args;
    }

    /**
     * Takes the project's rollup lock within {@code tx} (creating its row the first time) and returns the last day
     * rolled up ("" for none). The task and rollbacks take it before anything else.
     */
    String lock(DSLContext tx, String projectId) {
        tx.execute("insert into redemption_rollups (project_id, closed_through) values (?, null) on conflict do nothing",
                projectId);
        Object closed = tx.fetchValue("select closed_through from redemption_rollups where project_id = ? for update",
                projectId);
        return closed == null ? "" : (String) closed;
    }

    private static void close(DSLContext tx, String projectId, String day) {
        tx.execute("update redemption_rollups set closed_through = ? where project_id = ?", day, projectId);
    }

    private record Figures(long redemptions, long rolledBack, long discount, long ordersValue) {
        static Figures of(Record r) {
            return new Figures(Sql.longValue(r.get("n")), Sql.longValue(r.get("rb")), Sql.longValue(r.get("d")),
                    Sql.longValue(r.get("o")));
        }
    }

    private void rollUp(DSLContext tx, String projectId, String day) {
        Span span = Span.of(day);
        List<Query> writes = new ArrayList<>();
        for (Record r : tx.fetch("select l.campaign_id, "
                + "sum(case when r.status = 'REDEEMED' then 1 else 0 end) as n, "
                + "sum(case when r.status = 'REDEEMED' then 0 else 1 end) as rb, "
                + "sum(case when r.status = 'REDEEMED' then l.discount else 0 end) as d, "
                + "sum(case when r.status = 'REDEEMED' then r.order_value else 0 end) as o "
                + DAY_LINES + " group by l.campaign_id", dayArgs(projectId, day, span))) {
            String campaign = r.get("campaign_id", String.class);
            Figures f = Figures.of(r);
            writes.add(insertDay(tx, projectId, campaign, day, f));
            addToCampaign(tx, projectId, campaign, f, 0);
        }
        if (writes.isEmpty()) return; // a day without lines: nothing to roll up
        // The project's row counts each redemption once (a redemption may have lines in several campaigns).
        Record p = tx.fetchOne("select sum(case when status = 'REDEEMED' then 1 else 0 end) as n, "
                + "sum(case when status = 'REDEEMED' then 0 else 1 end) as rb, "
                + "sum(case when status = 'REDEEMED' then d else 0 end) as d, "
                + "sum(case when status = 'REDEEMED' then order_value else 0 end) as o "
                + "from (select r.id, r.status, r.order_value, sum(l.discount) as d " + DAY_LINES
                + " group by r.id, r.status, r.order_value) x", dayArgs(projectId, day, span));
        writes.add(insertDay(tx, projectId, PROJECT, day, Figures.of(p)));
        tx.batch(writes).execute();
        rollUpCodes(tx, projectId, day, span);
    }

    private static Query insertDay(DSLContext tx, String projectId, String campaign, String day, Figures f) {
        return tx.query("insert into redemption_days (project_id, campaign_id, local_day, redemptions, rolled_back, "
                        + "discount, orders_value) values (?, ?, ?, ?, ?, ?, ?)", projectId, campaign, day,
                f.redemptions(), f.rolledBack(), f.discount(), f.ordersValue());
    }

    private static void addToCampaign(DSLContext tx, String projectId, String campaign, Figures f, long codes) {
        if (tx.execute("update redemption_campaigns set redemptions = redemptions + ?, rolled_back = rolled_back + ?, "
                + "discount = discount + ?, orders_value = orders_value + ?, codes_redeemed = codes_redeemed + ? "
                + "where project_id = ? and campaign_id = ?", f.redemptions(), f.rolledBack(), f.discount(),
                f.ordersValue(), codes, projectId, campaign) == 0) {
            tx.execute("insert into redemption_campaigns (project_id, campaign_id, redemptions, rolled_back, discount, "
                    + "orders_value, codes_redeemed) values (?, ?, ?, ?, ?, ?, ?)", projectId, campaign,
                    f.redemptions(), f.rolledBack(), f.discount(), f.ordersValue(), codes);
        }
    }

    /** A code's standing redemptions of a day, and its closed ones before (null: it has no row yet). */
    private record CodeDay(String code, String campaign, boolean unique, long redemptions, long discount, Long held) {
    }

    /** The day's standing redemptions per code, added to each code's row; unique codes redeemed anew are counted. */
    private void rollUpCodes(DSLContext tx, String projectId, String day, Span span) {
        List<CodeDay> codes = tx.fetch("select l.code, l.campaign_id, c.is_unique, count(*) as n, sum(l.discount) as d, "
                        + "max(k.redemptions) as held from (select l.code, l.campaign_id, l.discount " + DAY_LINES
                        + " and l.code is not null and r.status = 'REDEEMED') l "
                        + "left join codes c on c.project_id = ? and c.code = l.code "
                        + "left join redemption_codes k on k.project_id = ? and k.code = l.code "
                        + "group by l.code, l.campaign_id, c.is_unique",
                        dayArgs(projectId, day, span, projectId, projectId))
                .map(r -> new CodeDay(r.get("code", String.class), r.get("campaign_id", String.class),
                        Boolean.TRUE.equals(r.get("is_unique", Boolean.class)), Sql.longValue(r.get("n")),
                        Sql.longValue(r.get("d")), r.get("held") == null ? null : Sql.longValue(r.get("held"))));
        Map<String, Long> newlyRedeemed = new HashMap<>();
        List<Query> writes = new ArrayList<>();
        for (CodeDay c : codes) {
            if (c.held() == null) {
                writes.add(tx.query("insert into redemption_codes (project_id, code, campaign_id, is_unique, "
                        + "redemptions, discount) values (?, ?, ?, ?, ?, ?)", projectId, c.code(), c.campaign(),
                        c.unique(), c.redemptions(), c.discount()));
            } else {
                writes.add(tx.query("update redemption_codes set redemptions = redemptions + ?, discount = discount + ? "
                        + "where project_id = ? and code = ?", c.redemptions(), c.discount(), projectId, c.code()));
            }
            if (c.unique() && (c.held() == null || c.held() == 0)) newlyRedeemed.merge(c.campaign(), 1L, Long::sum);
        }
        if (!writes.isEmpty()) tx.batch(writes).execute();
        Figures none = new Figures(0, 0, 0, 0);
        newlyRedeemed.forEach((campaign, n) -> addToCampaign(tx, projectId, campaign, none, n));
    }

    /**
     * Within a rollback's transaction, after {@link #lock} returned {@code closed}: if the redemption's day is rolled
     * up, takes its lines out of the day's, its campaigns' and its codes' rows (as rolled back).
     */
    void takeBack(DSLContext tx, String projectId, String redemptionId, String closed) {
        List<Record> lines = tx.fetch("select l.campaign_id, l.code, l.discount, l.local_day, r.order_value "
                + "from redemption_lines l join redemptions r on r.project_id = l.project_id and r.id = l.redemption_id "
                + "where l.redemption_id = ? and l.project_id = ?", redemptionId, projectId);
        if (lines.isEmpty() || lines.getFirst().get("local_day", String.class).compareTo(closed) > 0) return;
        String day = lines.getFirst().get("local_day", String.class);
        long orderValue = Sql.longValue(lines.getFirst().get("order_value"));
        Map<String, Figures> byCampaign = new LinkedHashMap<>();
        long discount = 0;
        for (Record l : lines) {
            long d = Sql.longValue(l.get("discount"));
            discount += d;
            byCampaign.merge(l.get("campaign_id", String.class), new Figures(-1, 1, -d, -orderValue),
                    (a, b) -> new Figures(a.redemptions() + b.redemptions(), a.rolledBack() + b.rolledBack(),
                            a.discount() + b.discount(), a.ordersValue() + b.ordersValue()));
        }
        byCampaign.put(PROJECT, new Figures(-1, 1, -discount, -orderValue));
        Map<String, Long> unredeemed = new HashMap<>();
        for (Record l : lines) {
            String code = l.get("code", String.class);
            if (code == null) continue;
            tx.execute("update redemption_codes set redemptions = redemptions - 1, discount = discount - ? "
                    + "where project_id = ? and code = ?", Sql.longValue(l.get("discount")), projectId, code);
            Record left = tx.fetchOne("select redemptions, is_unique from redemption_codes where project_id = ? "
                    + "and code = ?", projectId, code);
            if (left != null && Boolean.TRUE.equals(left.get("is_unique", Boolean.class))
                    && Sql.longValue(left.get("redemptions")) == 0) {
                unredeemed.merge(l.get("campaign_id", String.class), 1L, Long::sum);
            }
        }
        byCampaign.forEach((campaign, f) -> {
            tx.execute("update redemption_days set redemptions = redemptions + ?, rolled_back = rolled_back + ?, "
                    + "discount = discount + ?, orders_value = orders_value + ? where project_id = ? "
                    + "and campaign_id = ? and local_day = ?", f.redemptions(), f.rolledBack(), f.discount(),
                    f.ordersValue(), projectId, campaign, day);
            if (!campaign.equals(PROJECT)) {
                tx.execute("update redemption_campaigns set redemptions = redemptions + ?, "
                        + "rolled_back = rolled_back + ?, discount = discount + ?, orders_value = orders_value + ?, "
                        + "codes_redeemed = codes_redeemed - ? where project_id = ? and campaign_id = ?",
                        f.redemptions(), f.rolledBack(), f.discount(), f.ordersValue(),
                        unredeemed.getOrDefault(campaign, 0L), projectId, campaign);
            }
        });
    }

    // Reads: the closed days' rows plus the lines of later days, read live.

    /** Standing redemptions and their discount. */
    public record Standing(long redemptions, long discount) {
    }

    /** A campaign's figures: standing and rolled-back lines, discount, orders' value, unique codes redeemed. */
    record CampaignFigures(long redemptions, long rolledBack, long discount, long ordersValue, long codesRedeemed,
                           List<Map<String, Object>> byDay) {
    }

    /**
     * The earliest instant a redemption on a day after {@code closed} can have been made (UTC+14 is the earliest
     * zone), or the epoch when nothing is rolled up: live reads bound the project's redemptions by it, so that they
     * read the last days' redemptions by index rather than the whole table.
     */
    private static java.time.OffsetDateTime since(String closed) {
        return closed.isEmpty() ? Sql.ts(Instant.EPOCH) : Span.of(LocalDate.parse(closed).plusDays(1).toString()).from();
    }

    /** The last day rolled up, "" for none: lines of later days are read live. */
    private static String closedThrough(DSLContext dsl, String projectId) {
        Object closed = dsl.fetchValue("select closed_through from redemption_rollups where project_id = ?", projectId);
        return closed == null ? "" : (String) closed;
    }

    /**
     * The campaign's figures, read in one snapshot (a rollup committing meanwhile is counted either in the rollup's
     * rows or in the lines, never both).
     */
    CampaignFigures campaign(String projectId, String campaignId) {
        return db.snapshot(dsl -> campaign(dsl, projectId, campaignId));
    }

    private static CampaignFigures campaign(DSLContext dsl, String projectId, String campaignId) {
        String closed = closedThrough(dsl, projectId);
        long redeemed = 0, rolledBack = 0, discount = 0, orders = 0, codes = 0;
        // The campaign's closed sums, its later lines by status, and the unique codes first redeemed on later days
        // (those without a closed standing redemption).
        for (Record r : dsl.fetch("select 'CLOSED' as kind, redemptions as n, rolled_back as rb, discount as d, "
                + "orders_value as o, codes_redeemed as c from redemption_campaigns where project_id = ? "
                + "and campaign_id = ? union all "
                + "select r.status, count(*), 0, sum(l.discount), sum(r.order_value), 0 from redemption_lines l "
                + "join redemptions r on r.project_id = l.project_id "
                + "and r.id = l.redemption_id where l.campaign_id = ? and l.local_day > ? "
                + "and r.project_id = ? and r.created_at >= ? group by r.status union all "
                + "select 'CODES', 0, 0, 0, 0, count(distinct l.code) from redemption_lines l "
                + "join redemptions r on r.project_id = l.project_id and r.id = l.redemption_id "
                + "join codes c on c.project_id = l.project_id and c.code = l.code "
                + "left join redemption_codes k on k.project_id = l.project_id and k.code = l.code "
                + "where l.campaign_id = ? and l.local_day > ? and r.status = 'REDEEMED' and r.project_id = ? "
                + "and r.created_at >= ? and c.is_unique = true and (k.code is null or k.redemptions = 0)",
                projectId, campaignId, campaignId, closed, projectId, since(closed), campaignId, closed, projectId,
                since(closed))) {
            long n = Sql.longValue(r.get("n"));
            switch (r.get("kind", String.class)) {
                case "CLOSED" -> {
                    redeemed += n;
                    rolledBack += Sql.longValue(r.get("rb"));
                    discount += Sql.longValue(r.get("d"));
                    orders += Sql.longValue(r.get("o"));
                    codes += Sql.longValue(r.get("c"));
                }
                case "REDEEMED" -> {
                    redeemed += n;
                    discount += Sql.longValue(r.get("d"));
                    orders += Sql.longValue(r.get("o"));
                }
                case "CODES" -> codes += Sql.longValue(r.get("c"));
                default -> rolledBack += n;
            }
        }
        List<Map<String, Object>> byDay = dsl.fetch("select local_day, redemptions as n, discount as d "
                        + "from redemption_days where project_id = ? and campaign_id = ? and local_day <= ? "
                        + "and redemptions > 0 union all "
                        + "select l.local_day, count(*) as n, sum(l.discount) as d from redemption_lines l "
                        + "join redemptions r on r.project_id = l.project_id "
                        + "and r.id = l.redemption_id where l.campaign_id = ? and l.local_day > ? "
                        + "and r.status = 'REDEEMED' and r.project_id = ? and r.created_at >= ? "
                        + "group by l.local_day order by local_day",
                        projectId, campaignId, closed, campaignId, closed, projectId, since(closed))
                .map(r -> Map.<String, Object>of("day", r.get("local_day", String.class), "redemptions",
                        Sql.longValue(r.get("n")), "discount", Sql.longValue(r.get("d"))));
        return new CampaignFigures(redeemed, rolledBack, discount, orders, codes, byDay);
    }

    /** Every campaign's standing lines and their discount, by campaign id (campaigns without any are left out). */
    public Map<String, Standing> campaigns(String projectId) {
        return db.snapshot(dsl -> {
            String closed = closedThrough(dsl, projectId);
            Map<String, Standing> out = new HashMap<>();
            for (Record r : dsl.fetch("select campaign_id, redemptions as n, discount as d from redemption_campaigns "
                + "where project_id = ? union all select l.campaign_id, count(*) as n, sum(l.discount) as d "
                + "from redemption_lines l join redemptions r on r.project_id = l.project_id "
                + "and r.id = l.redemption_id where l.project_id = ? "
                    + "and l.local_day > ? and r.status = 'REDEEMED' and r.project_id = ? and r.created_at >= ? "
                    + "group by l.campaign_id", projectId, projectId, closed, projectId, since(closed))) {
                out.merge(r.get("campaign_id", String.class), new Standing(Sql.longValue(r.get("n")),
                        Sql.longValue(r.get("d"))), (a, b) -> new Standing(a.redemptions() + b.redemptions(),
                        a.discount() + b.discount()));
            }
            return out;
        });
    }

    /** A day of the project: its standing redemptions (each counted once) and their discount. */
    public record Day(String day, long redemptions, long discount) {
    }

    /** The project's days from {@code from}, oldest first; days without standing redemptions are left out. */
    public List<Day> days(String projectId, LocalDate from) {
        String first = from.toString();
        return db.snapshot(dsl -> {
            String closed = closedThrough(dsl, projectId);
            return dsl.fetch("select local_day, redemptions as n, discount as d from redemption_days "
                            + "where project_id = ? and campaign_id = ? and local_day >= ? and local_day <= ? "
                            + "and redemptions > 0 union all "
                            + "select l.local_day, count(distinct r.id) as n, sum(l.discount) as d "
                            + "from redemption_lines l join redemptions r on r.project_id = l.project_id "
                            + "and r.id = l.redemption_id "
                            + "where l.project_id = ? and l.local_day >= ? and l.local_day > ? "
                            + "and r.status = 'REDEEMED' and r.project_id = ? and r.created_at >= ? "
                            + "group by l.local_day order by local_day",
                            projectId, PROJECT, first, closed, projectId, first, closed, projectId, since(closed))
                    .map(r -> new Day(r.get("local_day", String.class), Sql.longValue(r.get("n")),
                            Sql.longValue(r.get("d"))));
        });
    }

    /** A code with its standing redemptions and the discount they gave. */
    public record TopCode(String code, long redemptions, long discount) {
    }

    /**
     * The codes with the most standing redemptions (ties by code). The codes redeemed on open days are read with
     * their closed figures; any other code's figures are its closed ones, so the first {@code limit} + (open codes)
     * closed codes hold every other code that can make the list.
     */
    public List<TopCode> topCodes(String projectId, int limit) {
        return db.snapshot(dsl -> {
            String closed = closedThrough(dsl, projectId);
            List<TopCode> open = dsl.fetch("select l.code, count(*) as n, sum(l.discount) as d, "
                            + "max(k.redemptions) as kn, max(k.discount) as kd from redemption_lines l "
                            + "join redemptions r on r.project_id = l.project_id and r.id = l.redemption_id "
                            + "left join redemption_codes k on k.project_id = l.project_id and k.code = l.code "
                            + "where l.project_id = ? and l.local_day > ? and l.code is not null "
                            + "and r.status = 'REDEEMED' and r.project_id = ? and r.created_at >= ? group by l.code",
                            projectId, closed, projectId, since(closed))
                    .map(r -> new TopCode(r.get("code", String.class),
                            Sql.longValue(r.get("n")) + Sql.longValue(r.get("kn")),
                            Sql.longValue(r.get("d")) + Sql.longValue(r.get("kd"))));
            Map<String, TopCode> merged = new HashMap<>();
            dsl.fetch("select code, redemptions, discount from redemption_codes where project_id = ? "
                            + "and redemptions > 0 order by redemptions desc, code limit ?", projectId,
                            limit + open.size())
                    .forEach(r -> merged.put(r.get("code", String.class), new TopCode(r.get("code", String.class),
                            Sql.longValue(r.get("redemptions")), Sql.longValue(r.get("discount")))));
            open.forEach(c -> merged.put(c.code(), c));
            return merged.values().stream().filter(c -> c.redemptions() > 0)
                    .sorted(java.util.Comparator.comparingLong(TopCode::redemptions).reversed()
                            .thenComparing(TopCode::code))
                    .limit(limit).toList();
        });
    }
}

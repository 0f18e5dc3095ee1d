package io.tessera.loyalty;

import static io.tessera.db.Sql.ts;

import io.tessera.campaign.LoyaltySettings;
import io.tessera.core.Failure;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The programme's economics: its members, the points liability ({@code outstanding}, its value, {@code pending},
 * {@code expiringNext30Days}) at the request's instant, and what was earned, spent, expired (the breakage) and reversed
 * in a period, per calendar month of the project's time zone. Every figure is a non-negative number of points, summed
 * by the database over the ledger and the buckets.
 */
public final class LoyaltyReport {
    /** Longer periods are refused: a report is read by a person, month by month. */
    static final int MAX_MONTHS = 120;
    private final Database db;
    private final LoyaltyService loyalty;

    public LoyaltyReport(Database db, LoyaltyService loyalty) {
        this.db = db;
        this.loyalty = loyalty;
    }

    public record Report(long members, long outstanding, Long outstandingValue, long pending, long earned, long spent,
                         long expired, long reversed, long expiringNext30Days, List<Month> byMonth) {
    }

    /** One calendar month (project time zone) of the period; the first and last may be partial. */
    public record Month(String month, long earned, long spent, long expired) {
    }

    /**
     * The report of {@code [from, to)} read at {@code at}. {@code to} defaults to {@code at}; {@code from} to the start
     * of the month of the program's first ledger entry (its whole history).
     */
    public Report report(ProjectContext p, String programName, Instant from, Instant to, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Program program = loyalty.program(p.id(), programName);
        DSLContext dsl = db.dsl();
        Instant end = to == null ? now : to;
        Instant start = from != null ? from : firstEntry(dsl, p.id(), program.id())
                .map(t -> YearMonth.from(t.atZone(p.zone())).atDay(1).atStartOfDay(p.zone()).toInstant())
                .filter(t -> t.isBefore(end)).orElse(end);
        if (start.isAfter(end)) throw Failure.invalid("from", "must not be after to");
        YearMonth first = YearMonth.from(start.atZone(p.zone())), last = YearMonth.from(end.atZone(p.zone()));
        if (first.until(last, ChronoUnit.MONTHS) >= MAX_MONTHS)
            throw Failure.invalid("from", "the period may span at most " + MAX_MONTHS + " months");

        Flows total = new Flows(0, 0, 0, 0, 0);
        List<Month> months = new ArrayList<>();
        for (Instant m = start; m.isBefore(end); ) {
            YearMonth ym = YearMonth.from(m.atZone(p.zone()));
            Instant next = ym.plusMonths(1).atDay(1).atStartOfDay(p.zone()).toInstant();
            Instant monthEnd = next.isBefore(end) ? next : end;
            Flows f = flows(dsl, p.id(), program.id(), m, monthEnd, now);
            months.add(new Month(ym.toString(), f.earned(), f.spent(), f.expired));
            total = total.plus(f);
            m = monthEnd;
        }

        Record held = holdings(dsl, p.id(), program.id(), now);
        long outstanding = Sql.longValue(held.get("outstanding"));
        return new Report(members(dsl, p.id(), program.id(), now), outstanding,
                value(program.settings().pointValue(), outstanding), Sql.longValue(held.get("pending")),
                total.earned(), total.spent(), total.expired(), total.reversed(), Sql.longValue(held.get("expiring")),
                months);
    }

    /** The programme's liability at an instant: its members, the points they hold and what those are worth. */
    public record Liability(long members, long outstanding, Long outstandingValue) {
    }

    /** The report's liability figures alone (the dashboard's), without reading the programme's history. */
    public Liability liability(ProjectContext p, String programName, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Program program = loyalty.program(p.id(), programName);
        DSLContext dsl = db.dsl();
        long outstanding = Sql.longValue(holdings(dsl, p.id(), program.id(), now).get("outstanding"));
        return new Liability(members(dsl, p.id(), program.id(), now), outstanding,
                value(program.settings().pointValue(), outstanding));
    }

    private static Record holdings(DSLContext dsl, String projectId, String programId, Instant now) {
        return dsl.fetchOne("select "
                + "coalesce(sum(case when available_at <= ? and (expires_at is null or expires_at > ?) then remaining "
                + "else 0 end), 0) as outstanding, "
                + "coalesce(sum(case when available_at > ? then remaining else 0 end), 0) as pending, "
                + "coalesce(sum(case when available_at <= ? and expires_at > ? and expires_at <= ? then remaining "
                + "else 0 end), 0) as expiring "
                + "from loyalty_buckets where project_id = ? and program_id = ? and dropped = false and remaining > 0",
                ts(now), ts(now), ts(now), ts(now), ts(now), ts(now.plus(Duration.ofDays(30))), projectId, programId);
    }

    private static long members(DSLContext dsl, String projectId, String programId, Instant now) {
        return Sql.longValue(dsl.fetchValue("select count(*) from loyalty_members where project_id = ? "
                + "and program_id = ? and created_at <= ?", projectId, programId, ts(now)));
    }

    /**
     * The signed sums of a period: earned = earnings and positive adjustments; spent = rewards, checkout spends and
     * transfers out, less the points given back by rollbacks (a positive REVERSE); reversed = what cancelled and
     * refunded orders took back (a negative REVERSE, pending points dropped included); expired = what was left of the
     * buckets whose expiry fell in the period and has passed at {@code now} (whether or not its task ran yet).
     */
    private record Flows(long earnedSum, long spentSum, long givenBack, long expired, long reversedSum) {
        long earned() {
            return Math.max(0, earnedSum);
        }

        long spent() {
            return Math.max(0, spentSum - givenBack);
        }

        long reversed() {
            return Math.max(0, reversedSum);
        }

        Flows plus(Flows o) {
            return new Flows(earnedSum + o.earnedSum, spentSum + o.spentSum, givenBack + o.givenBack,
                    expired + o.expired, reversedSum + o.reversedSum);
        }
    }

    private static Flows flows(DSLContext dsl, String projectId, String programId, Instant from, Instant to,
                               Instant now) {
        long earned = 0, spent = 0, givenBack = 0, reversed = 0;
        for (Record r : dsl.fetch("select type, coalesce(sum(case when points > 0 then points else 0 end), 0) as plus, "
                + "coalesce(sum(case when points < 0 then -points else 0 end), 0) as minus from loyalty_entries "
                + "where project_id = ? and program_id = ? and at >= ? and at < ? group by type", projectId, programId,
                ts(from), ts(to))) {
            long plus = Sql.longValue(r.get("plus")), minus = Sql.longValue(r.get("minus"));
            switch (Entry.Type.valueOf(r.get("type", String.class))) {
                case EARN -> earned += plus;
                case ADJUST -> earned += plus; // negative adjustments are corrections, not spending
                case SPEND, TRANSFER_OUT -> spent += minus;
                case REVERSE -> {
                    givenBack += plus;
                    reversed += minus;
                }
                case EXPIRE, TRANSFER_IN -> {
                }
            }
        }
        long expired = Sql.longValue(dsl.fetchValue("select coalesce(sum(remaining), 0) from loyalty_buckets "
                + "where project_id = ? and program_id = ? and dropped = false and remaining > 0 "
                + "and expires_at >= ? and expires_at < ? and expires_at <= ?", projectId, programId, ts(from), ts(to),
                ts(now)));
        return new Flows(earned, spent, givenBack, expired, reversed);
    }

    private static Optional<Instant> firstEntry(DSLContext dsl, String projectId, String programId) {
        return Optional.ofNullable(dsl.fetchOne("select min(at) as first from loyalty_entries "
                + "where project_id = ? and program_id = ?", projectId, programId)).map(r -> Sql.instant(r, "first"));
    }

    /** What {@code points} are worth in minor units, rounded down (as at checkout); null without a point value. */
    private static Long value(LoyaltySettings.PointValue v, long points) {
        if (v == null) return null;
        return BigDecimal.valueOf(points).multiply(BigDecimal.valueOf(v.amount()))
                .divide(BigDecimal.valueOf(v.points()), 0, RoundingMode.FLOOR).longValueExact();
    }
}

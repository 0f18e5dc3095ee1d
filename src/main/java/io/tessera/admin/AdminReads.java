package io.tessera.admin;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import java.time.LocalDate;
import java.util.List;

/** Read-only SQL for the admin UI's own needs: the project select and the dashboard's per-project aggregates. */
public final class AdminReads {
    private final Database db;

    AdminReads(Database db) {
        this.db = db;
    }

    List<Frame.Option> projects() {
        return db.dsl().fetch("select id, name from projects order by name")
                .map(r -> new Frame.Option(r.get("id", String.class), r.get("name", String.class)));
    }

    /** Redemptions (standing) and discount given on one calendar day of the project. */
    public record Day(String day, long redemptions, long discount) {
    }

    /** Days from {@code from} (project calendar), oldest first; days without redemptions are left out. */
    List<Day> days(String projectId, LocalDate from) {
        return db.dsl().fetch("select l.local_day, count(distinct r.id) as n, sum(l.discount) as d "
                        + "from redemption_lines l join redemptions r on r.id = l.redemption_id "
                        + "where l.project_id = ? and r.status = 'REDEEMED' and l.local_day >= ? "
                        + "group by l.local_day order by l.local_day", projectId, from.toString())
                .map(r -> new Day(r.get("local_day", String.class), Sql.longValue(r.get("n")), Sql.longValue(r.get("d"))));
    }

    /** A code with its standing redemptions and the discount they gave. */
    public record TopCode(String code, long redemptions, long discount) {
    }

    List<TopCode> topCodes(String projectId, int limit) {
        return db.dsl().fetch("select l.code, count(*) as n, sum(l.discount) as d "
                        + "from redemption_lines l join redemptions r on r.id = l.redemption_id "
                        + "where l.project_id = ? and r.status = 'REDEEMED' and l.code is not null "
                        + "group by l.code order by count(*) desc, l.code limit ?", projectId, limit)
                .map(r -> new TopCode(r.get("code", String.class), Sql.longValue(r.get("n")), Sql.longValue(r.get("d"))));
    }
}

package io.tessera.load;

import java.util.Arrays;
import java.util.List;

/** What the load generator drives, each compared with the floor it should stay near. */
public enum Scenario {
    VALIDATE("validate", Floor.HEALTH),
    QUALIFY("qualify", Floor.HEALTH),
    REDEEM_DISTINCT("redeem-distinct", Floor.PG_DISTINCT),
    REDEEM_HOT("redeem-hot", Floor.PG_HOT),
    /** A new customer each, redeeming one of {@link Fixture#UNIQUE} unique codes (each redeemable without limit). */
    REDEEM_UNIQUE("redeem-unique", Floor.PG_DISTINCT),
    /** Bulk generation has no floor: its figure is the codes per second. */
    GENERATE("generate", null);

    /**
     * The floors: {@code GET /health} on the same server (HTTP and the framework, no work), and the bare transaction
     * of a redemption on the same PostgreSQL, on one row for every client (a hot code) or on a row per client.
     */
    public enum Floor {
        HEALTH("health"), PG_DISTINCT("pg-transaction"), PG_HOT("pg-transaction-hot-row");

        final String label;

        Floor(String label) {
            this.label = label;
        }
    }

    final String label;
    final Floor floor;

    Scenario(String label, Floor floor) {
        this.label = label;
        this.floor = floor;
    }

    /** {@code all}, one scenario's name, or several comma-separated; null when a name is unknown. */
    public static List<Scenario> parse(String names) {
        if (names.equals("all")) return List.of(values());
        List<Scenario> chosen = new java.util.ArrayList<>();
        for (String name : names.split(",")) {
            Scenario s = Arrays.stream(values()).filter(v -> v.label.equals(name.strip())).findFirst().orElse(null);
            if (s == null) return null;
            chosen.add(s);
        }
        return chosen;
    }

    public static String names() {
        return "all, " + String.join(", ", Arrays.stream(values()).map(s -> s.label).toList());
    }
}

package io.tessera.loyalty;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One ledger entry as the API shows it. {@code points} is signed; {@code balanceAfter} the spendable balance right
 * after it (pending points join it at {@code availableAt}). {@code rule} and {@code order} say what earned or reversed
 * it, {@code counterparty} the other member of a transfer, {@code reward} the reward a SPEND bought,
 * {@code redemption} the redemption that paid with the points (its {@code SPEND}) or whose rollback gave them back (its
 * {@code REVERSE}).
 */
public record Entry(String id, @JsonIgnore long seq, Type type, long points, long balanceAfter, String rule,
                    String order, String counterparty, String reward, String reason, Instant availableAt, Instant at,
                    String redemption) {

    public enum Type { EARN, SPEND, EXPIRE, ADJUST, REVERSE, TRANSFER_IN, TRANSFER_OUT }

    /** An entry to append. */
    record Draft(Type type, long points, long balanceAfter, String rule, String order, String counterparty,
                 String reward, String reason, String bucket, Instant availableAt, Instant at, String redemption) {
        static Draft of(Type type, long points, long balanceAfter, Instant at) {
            return new Draft(type, points, balanceAfter, null, null, null, null, null, null, null, at, null);
        }

        Draft rule(String r) {
            return new Draft(type, points, balanceAfter, r, order, counterparty, reward, reason, bucket, availableAt, at,
                    redemption);
        }

        Draft order(String o) {
            return new Draft(type, points, balanceAfter, rule, o, counterparty, reward, reason, bucket, availableAt, at,
                    redemption);
        }

        Draft counterparty(String c) {
            return new Draft(type, points, balanceAfter, rule, order, c, reward, reason, bucket, availableAt, at,
                    redemption);
        }

        Draft reward(String r) {
            return new Draft(type, points, balanceAfter, rule, order, counterparty, r, reason, bucket, availableAt, at,
                    redemption);
        }

        Draft reason(String r) {
            return new Draft(type, points, balanceAfter, rule, order, counterparty, reward, r, bucket, availableAt, at,
                    redemption);
        }

        Draft redemption(String r) {
            return new Draft(type, points, balanceAfter, rule, order, counterparty, reward, reason, bucket, availableAt,
                    at, r);
        }

        Draft bucket(String b, Instant available) {
            return new Draft(type, points, balanceAfter, rule, order, counterparty, reward, reason, b, available, at,
                    redemption);
        }
    }
}

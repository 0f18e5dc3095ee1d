package io.tessera.discount;

/**
 * A code the caller listed, as found in the project. {@code promotion == null} means the code does not exist.
 * {@code owner} is the customer a personal code was published to (null = anyone); {@code redemptions} is how often
 * this code was redeemed (counted for unique codes only).
 */
public record CodeRef(String code, Promotion promotion, boolean active, String owner, long redemptions,
                      boolean unique) {
    public static CodeRef notFound(String code) {
        return new CodeRef(code, null, false, null, 0, false);
    }
}

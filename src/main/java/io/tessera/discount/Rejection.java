package io.tessera.discount;

/** A code or promotion that did not apply; {@code promotion} is null for an unknown code. */
public record Rejection(Promotion promotion, String code, Reason reason, String message) {
}

package io.tessera.core;

/** One invalid input field, named by its JSON path (e.g. {@code order.items[0].price}). */
public record FieldError(String field, String message) {
}

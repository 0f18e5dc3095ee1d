package io.tessera.message;

/**
 * A message to render and send: its {@code channel} (a consent key of the customer: {@code email}, {@code sms},
 * {@code push}, ...) and three templates ({@code to} and {@code subject} may be null; an email needs a {@code to}).
 */
public record Draft(String channel, String to, String subject, String template) {
}

package io.tessera.message;

import java.time.Instant;

/**
 * A stored message as rendered for one customer: QUEUED until it is SENT (by SMTP, or handed to an ESP as a
 * {@code message.rendered} event), or FAILED with {@code error} ({@code no_consent} when the consent was withdrawn
 * before it left, or the last delivery error once its retries are spent).
 */
public record Message(String id, String customer, String channel, String to, String subject, String text,
                      Status status, String error, Instant createdAt, Instant sentAt) {

    public enum Status { QUEUED, SENT, FAILED }
}

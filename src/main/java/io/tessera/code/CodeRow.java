package io.tessera.code;

import java.time.Instant;

/** A stored code: universal or unique, its owner once published, and how often it was redeemed (unique only). */
public record CodeRow(String code, String campaignId, boolean unique, boolean active, String customerId,
                      long redemptions, Instant publishedAt, Instant createdAt) {
}

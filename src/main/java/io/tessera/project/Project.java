package io.tessera.project;

import java.time.Instant;
import java.time.ZoneId;

public record Project(String id, String name, String currency, ZoneId timezone, int maxDiscountsPerOrder,
                      String locale, Instant createdAt, ApprovalPolicy approvals, Integer rateLimit) {
}

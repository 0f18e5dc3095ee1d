package io.tessera.core;

import java.time.ZoneId;

/** The project a service acts in, with the settings every service may need (calendar days, stacking). */
public record ProjectContext(String id, String name, ZoneId zone, int maxDiscountsPerOrder) {
}

package io.tessera.core;

import java.time.ZoneId;

/**
 * The project a service acts in, with the settings every service may need: calendar days ({@code zone}), stacking,
 * the default currency (null when the project has none) and the default locale of storefront texts (null: none).
 */
public record ProjectContext(String id, String name, ZoneId zone, int maxDiscountsPerOrder, String currency,
                             String locale) {
}

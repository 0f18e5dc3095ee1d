package io.tessera.code;

import java.util.List;
import java.util.Map;

/** What an import did: how many codes landed, and (the first 100 of) those that did not, with their counts. */
public record ImportResult(long imported, List<String> duplicates, long duplicateCount,
                           List<Map<String, Object>> invalid, long invalidCount) {
}

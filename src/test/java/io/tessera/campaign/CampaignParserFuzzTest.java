package io.tessera.campaign;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.rule.Rules;
import java.util.Map;

/**
 * A campaign body through the validation a save runs ({@link CampaignParser#parse} then {@link Input#check}), CEL
 * fields included: any input gives a campaign or a {@link Failure}, never another exception (a crash, a stack
 * overflow in the CEL compiler). Seeds and past findings:
 * {@code src/test/resources/io/tessera/campaign/CampaignParserFuzzTestInputs}.
 */
class CampaignParserFuzzTest {
    private static final CampaignParser PARSER = new CampaignParser(new Rules());

    private static void save(byte[] body) {
        try {
            Input in = Input.of(Json.parse(body));
            PARSER.parse(in, "cmp_fuzz", 0);
            in.check();
        } catch (Failure expected) {
            // bad input, said as a problem
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsACampaignOrAProblem(byte[] body) {
        save(body);
    }

    /** A well-formed campaign whose CEL fields (condition, selector, percent formula) are what the fuzzer makes. */
    @FuzzTest(maxDuration = "60s")
    void anyCelInAWellFormedCampaignIsACampaignOrAProblem(FuzzedDataProvider data) {
        String condition = data.consumeString(300);
        String selector = data.consumeString(200);
        String percent = data.consumeRemainingAsString();
        save(Json.bytes(Map.of("name", "fuzz", "type", "AUTO", "condition", condition,
                "discount", Map.of("type", "PERCENT", "percent", percent,
                        "target", Map.of("scope", "ITEMS", "selector", selector)))));
    }
}

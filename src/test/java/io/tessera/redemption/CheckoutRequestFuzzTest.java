package io.tessera.redemption;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Json;

/**
 * The body of validations, qualifications and redemptions as the routes read it ({@link Json#parse}, then
 * {@link CheckoutRequest#read}): any bytes give a request or a {@link Failure} (a problem document), never another
 * exception. Seeds and past findings: {@code src/test/resources/io/tessera/redemption/CheckoutRequestFuzzTestInputs}.
 */
class CheckoutRequestFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBodyIsARequestOrAProblem(byte[] body) {
        for (boolean codes : new boolean[] {true, false}) {
            try {
                Input in = Input.of(Json.parse(body));
                CheckoutRequest.read(in, codes);
                in.check();
            } catch (Failure expected) {
                // bad input, said as a problem
            }
        }
    }
}

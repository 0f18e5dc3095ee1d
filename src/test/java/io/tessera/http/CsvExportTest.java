package io.tessera.http;

import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The code export cannot carry a spreadsheet formula (OWASP CSV injection). */
class CsvExportTest extends ServerPerDatabase {

    @Test
    void cellsThatWouldRunAsFormulasArePrefixedAndQuoted() {
        create(server, key, uniqueCampaign("inj", "INJ-######", 5));
        for (String customer : List.of("=1+2", "+1+2", "-1+2", "@SUM(1+1)", "c-1")) {
            Response p = server.post("/v1/campaigns/inj/publications", key, Map.of("customer", customer));
            assertThat(p.status()).as(p.body()).isEqualTo(201);
        }
        Response csv = server.get("/v1/campaigns/inj/codes.csv?status=published", key);
        assertThat(csv.status()).isEqualTo(200);
        List<String> customers = csv.body().lines().skip(1).map(l -> l.split(",")[3]).toList();
        assertThat(customers).containsExactlyInAnyOrder("\"'=1+2\"", "\"'+1+2\"", "\"'-1+2\"", "\"'@SUM(1+1)\"", "c-1");
    }
}

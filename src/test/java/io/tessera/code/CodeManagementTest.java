package io.tessera.code;

import io.tessera.testing.ServerPerDatabase;
import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.codes;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.execute;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeManagementTest extends ServerPerDatabase {

    @Test
    void aCodeIsReadCaseInsensitivelyAndDeactivated() {
        create(server, key, uniqueCampaign("one", "ONE-######", 1));
        String code = codes(server, campaignId(server, key, "one")).getFirst();
        JsonNode read = server.get("/v1/codes/" + code.toLowerCase(), key).json();
        assertThat(read.get("code").asText()).isEqualTo(code);
        assertThat(read.get("campaign").asText()).isEqualTo("one");
        assertThat(read.get("active").asBoolean()).isTrue();
        assertThat(read.get("customer").isNull()).isTrue();
        assertThat(read.get("redemptions").asLong()).isZero();
        assertThat(read.get("createdAt").asText()).isNotBlank();
        assertThat(read.get("publishedAt").isNull()).isTrue();

        Response off = server.patch("/v1/codes/" + code.toLowerCase(), key, Map.of("active", false));
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().get("active").asBoolean()).isFalse();
        assertThat(server.get("/v1/codes/" + code, key).json().get("active").asBoolean()).isFalse();

        Response bad = server.patch("/v1/codes/" + code, key, Map.of("active", "no", "customer", "c-1"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("active", "customer");
        assertThat(server.get("/v1/codes/" + code, key).json().get("active").asBoolean()).isFalse();
        assertThat(server.patch("/v1/codes/NOPE-1", key, Map.of("active", true)).status()).isEqualTo(404);
        assertThat(server.get("/v1/codes/NOPE-1", key).status()).isEqualTo(404);
        assertThat(server.get("/v1/codes/" + code, server.newProject()).status()).isEqualTo(404);
    }

    @Test
    void universalCodeIsShownWithItsCampaign() {
        create(server, key, universalCampaign("uni", "Summer10"));
        JsonNode read = server.get("/v1/codes/summer10", key).json();
        assertThat(read.get("code").asText()).isEqualTo("SUMMER10");
        assertThat(read.get("campaign").asText()).isEqualTo("uni");
        assertThat(read.get("mode").asText()).isEqualTo("UNIVERSAL");
        assertThat(read.get("redemptions").asLong()).isZero();
    }

    @Test
    void listingPagesInCodeOrderWithStatusAndCustomerFilters() {
        create(server, key, uniqueCampaign("list", "L-######", 120));
        List<String> all = codes(server, campaignId(server, key, "list"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = server.get("/v1/campaigns/list/codes?limit=50" + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(c -> seen.add(c.get("code").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(all); // all of them, once each, in code order

        for (int i = 0; i < 3; i++) server.post("/v1/campaigns/list/publications", key, Map.of("customer", "lc-" + i));
        // Two codes were redeemed (set as a redemption leaves them: the count on the code row).
        execute(server, "update codes set redemptions = 1 where code in (?, ?)", all.get(0), all.get(1));
        List<String> published = codesOf("/v1/campaigns/list/codes?status=published&limit=1000");
        assertThat(published).hasSize(3);
        assertThat(codesOf("/v1/campaigns/list/codes?status=redeemed&limit=1000")).containsExactly(all.get(0), all.get(1));
        List<String> unused = codesOf("/v1/campaigns/list/codes?status=unused&limit=1000");
        // Unused = neither published nor redeemed; publications pick random codes, which may be the redeemed ones.
        java.util.Set<String> taken = new java.util.HashSet<>(published);
        taken.add(all.get(0));
        taken.add(all.get(1));
        assertThat(unused).hasSize(120 - taken.size()).doesNotContainAnyElementsOf(taken);
        List<String> mine = codesOf("/v1/campaigns/list/codes?customer=lc-1");
        assertThat(mine).hasSize(1);
        assertThat(server.get("/v1/codes/" + mine.getFirst(), key).json().get("customer").asText()).isEqualTo("lc-1");

        Response bad = server.get("/v1/campaigns/list/codes?status=lost", key);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("status");
        assertThat(server.get("/v1/campaigns/list/codes?limit=0", key).status()).isEqualTo(422);
        assertThat(server.get("/v1/campaigns/nope/codes", key).status()).isEqualTo(404);
    }

    @Test
    void prefixSearchTreatsWildcardsLiterally() {
        create(server, key, uniqueCampaign("imp", "IMP-######", 0));
        Response r = server.raw("POST", "/v1/campaigns/imp/codes/import", key,
                "abc-1\nABC-2\nABD-1\nX_1\nXA1\n", "text/csv");
        assertThat(r.json().get("imported").asLong()).isEqualTo(5);
        assertThat(codesOf("/v1/campaigns/imp/codes?q=abc-")).containsExactly("ABC-1", "ABC-2");
        assertThat(codesOf("/v1/campaigns/imp/codes?q=X_")).containsExactly("X_1");
        assertThat(codesOf("/v1/campaigns/imp/codes?q=AB")).containsExactly("ABC-1", "ABC-2", "ABD-1");
    }

    @Test
    void csvExportStreamsEveryCodeAndImportReportsWhatItSkipped() {
        create(server, key, uniqueCampaign("exp", "E-######", 250));
        server.post("/v1/campaigns/exp/publications", key, Map.of("customer", "who,\"quoted\""));
        Response csv = server.get("/v1/campaigns/exp/codes.csv", key);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("code,campaign,active,customer,redemptions,createdAt,publishedAt");
        assertThat(lines).hasSize(251);
        List<String> exported = lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).toList();
        assertThat(exported).isEqualTo(codes(server, campaignId(server, key, "exp")));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(",exp,true,\"who,\"\"quoted\"\"\",0,"));
        assertThat(server.get("/v1/campaigns/exp/codes.csv?status=published", key).body().lines()).hasSize(2);

        // The export imports into another campaign of the project as nothing but duplicates: codes are unique
        // across the project.
        create(server, key, uniqueCampaign("exp2", "F-######", 0));
        Response again = server.raw("POST", "/v1/campaigns/exp2/codes/import", key, csv.body(), "text/csv");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("imported").asLong()).isZero();
        assertThat(again.json().get("duplicates")).hasSize(100);
        assertThat(again.json().get("duplicateCount").asLong()).isEqualTo(250);

        String body = "code\r\nnew-1\nNEW-1\n\n  new-2  \nbad code!\n" + exported.getFirst() + "\n";
        Response report = server.raw("POST", "/v1/campaigns/exp2/codes/import", key, body, "text/csv");
        JsonNode json = report.json();
        assertThat(json.get("imported").asLong()).isEqualTo(2);
        assertThat(json.get("duplicates")).extracting(JsonNode::asText).containsExactlyInAnyOrder("NEW-1", exported.getFirst());
        assertThat(json.get("invalid")).hasSize(1);
        assertThat(json.at("/invalid/0/line").asInt()).isEqualTo(6);
        assertThat(json.at("/invalid/0/value").asText()).isEqualTo("bad code!");
        assertThat(json.at("/invalid/0/reason").asText()).isNotBlank();
        assertThat(server.get("/v1/codes/new-2", key).json().get("campaign").asText()).isEqualTo("exp2");
    }

    @Test
    void importIsRefusedForUniversalCampaignsAndOtherBodies() {
        create(server, key, universalCampaign("uni", "UNI10"));
        create(server, key, uniqueCampaign("u", "U-######", 0));
        assertThat(server.raw("POST", "/v1/campaigns/uni/codes/import", key, "A-1\n", "text/csv").json().get("code")
                .asText()).isEqualTo("not_unique_codes");
        assertThat(server.raw("POST", "/v1/campaigns/u/codes/import", key, "{\"codes\": []}", "application/json").status())
                .isEqualTo(415);
        Response empty = server.raw("POST", "/v1/campaigns/u/codes/import", key, "code\n\n", "text/csv");
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().at("/errors/0/field").asText()).isEqualTo("body");
        assertThat(server.get("/v1/campaigns/u/codes", key).json().get("data")).isEmpty();
    }

    private List<String> codesOf(String path) {
        Response r = server.get(path, key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().get("data").forEach(c -> out.add(c.get("code").asText()));
        return out;
    }
}

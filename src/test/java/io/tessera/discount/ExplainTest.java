package io.tessera.discount;

import static io.tessera.discount.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Why wasn't my promotion applied?": notApplied lists the automatic promotions that did not apply. */
class ExplainTest {
    private final Promotion applies = promo("applies", percent(10)).auto().sequence(1).build();
    private final Promotion tooSmall = promo("too-small", percent(10)).auto().when("order.subtotal >= 50000")
            .sequence(2).build();
    private final Promotion grouped = promo("grouped", amount(100)).auto().group("g").sequence(3).build();
    private final Promotion groupWinner = promo("group-winner", amount(200)).auto().group("g").priority(1)
            .sequence(4).build();
    private final Promotion app = promo("app-only", amount(300)).auto().when("context.channel == 'app'")
            .sequence(5).build();

    private RequestBuilder request() {
        return Fixtures.request(cart(line("A", 10000, 1))).codes(CodeRef.notFound("NOPE"))
                .automatic(app, groupWinner, grouped, tooSmall, applies).context(Map.of("channel", "web"));
    }

    @Test
    void explainListsAutomaticPromotionsThatDidNotApplyInCreationOrder() {
        Evaluation e = request().explain().evaluate();
        assertThat(e.applied()).extracting(a -> a.promotion().name()).containsExactly("group-winner", "applies");
        assertThat(e.notApplied()).extracting(r -> r.promotion().name(), Rejection::reason, Rejection::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("too-small", Reason.CONDITION_NOT_MET, null),
                        org.assertj.core.groups.Tuple.tuple("grouped", Reason.GROUP_CONFLICT, null),
                        org.assertj.core.groups.Tuple.tuple("app-only", Reason.CONDITION_NOT_MET, null));
        assertThat(e.notApplied().getFirst().message())
                .isEqualTo("the order does not meet the conditions of campaign too-small");
        assertThat(e.rejected()).extracting(Rejection::code).containsExactly("NOPE");
    }

    @Test
    void withoutExplainNotAppliedIsEmpty() {
        Evaluation e = request().evaluate();
        assertThat(e.notApplied()).isEmpty();
        assertThat(e.applied()).hasSize(2);
    }

    @Test
    void noListedCodesIsValid() {
        Evaluation e = Fixtures.request(cart(line("A", 100, 1))).automatic(tooSmall).evaluate();
        assertThat(e.valid()).isTrue();
        assertThat(e.applied()).isEmpty();
        assertThat(e.rejected()).isEmpty();
        assertThat(e.order().total()).isEqualTo(100);
    }
}

package io.tessera.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "::", "10.0.0.1", "172.16.0.1", "172.31.255.255",
            "192.168.0.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "fe80::1", "fc00::1", "fdff::1",
            "::ffff:10.0.0.1", "::ffff:169.254.169.254", "224.0.0.1", "255.255.255.255"})
    void privateAndSpecialAddressesAreForbidden(String address) throws Exception {
        assertThat(Destinations.forbidden(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(Destinations.forbidden(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "example.com/hooks", "http:///nohost", "https://example.com/a#frag",
            "not a url"})
    void onlyAbsoluteHttpUrlsAreWebhookUrls(String url) {
        assertThat(Destinations.malformed(url)).isNotNull();
    }
}

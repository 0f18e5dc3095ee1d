package io.tessera.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where deliveries may go (server-side request forgery): an absolute http(s) URL whose host resolves only to public
 * addresses — never loopback, link-local (cloud metadata at 169.254.169.254), private, carrier-grade NAT, unique-local,
 * unspecified or multicast ones, IPv4-mapped IPv6 forms included — unless private addresses are allowed
 * ({@code TESSERA_WEBHOOK_ALLOW_PRIVATE=true}, for a receiver on the same machine or network). Checked when a webhook
 * is saved and again before every attempt, since what a name resolves to can change.
 */
final class Destinations {
    static final int MAX_URL = 2000;
    private final boolean allowPrivate;

    Destinations(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} is not a valid webhook URL (its form alone), or null when it is. */
    static String malformed(String url) {
        if (url.length() > MAX_URL) return "must be at most " + MAX_URL + " characters";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute http or https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null)
            return "must be an absolute http or https URL";
        if (uri.getFragment() != null) return "must not have a #fragment";
        return null;
    }

    /** Why a delivery to {@code url} is refused (a private address, a name that does not resolve), or null. */
    String refusal(String url) {
        if (allowPrivate) return null;
        String host = URI.create(url).getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "host " + host + " does not resolve";
        }
        for (InetAddress a : addresses) {
            if (forbidden(a)) return "host " + host + " resolves to " + a.getHostAddress()
                    + ", a loopback, link-local or private address (refused unless TESSERA_WEBHOOK_ALLOW_PRIVATE=true)";
        }
        return null;
    }

    /** Whether {@code a} is an address no webhook may reach. */
    static boolean forbidden(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = mappedIpv4(b);
            if (embedded != null) return forbidden(embedded);
            if ((b[0] & 0xfe) == 0xfc) return true; // fc00::/7 unique local
        } else if (a instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            int first = b[0] & 0xff, second = b[1] & 0xff;
            if (first == 0) return true; // 0.0.0.0/8 "this network"
            if (first == 100 && second >= 64 && second <= 127) return true; // 100.64/10 carrier-grade NAT
            if (first >= 240) return true; // reserved and broadcast
        }
        return a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress();
    }

    /** The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-compatible IPv6 address, or null. */
    private static InetAddress mappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return null;
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        if (!mapped && !compatible) return null;
        try {
            return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

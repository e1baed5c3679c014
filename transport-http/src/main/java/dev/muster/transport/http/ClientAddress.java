package dev.muster.transport.http;

import dev.muster.spi.ConfigurationException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Who a request comes from, for the limits kept per client address. A request whose peer is one of
 * the trusted proxies ({@code transport.trustedProxies}) comes from the client its
 * {@code X-Forwarded-For} header names: the right-most address in it that is not a trusted proxy
 * itself, since a proxy appends the peer it saw and whatever lies to the left came from the client
 * and may be made up. A request from any other peer comes from that peer, whatever it says.
 */
final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");
    /** A forwarded hop with a port: {@code 1.2.3.4:5678} or {@code [::1]:5678}. */
    private static final Pattern WITH_PORT = Pattern.compile("(\\d[\\d.]*):\\d{1,5}|\\[([0-9A-Fa-f:.]+)]:\\d{1,5}");
    /** Jetty's matcher of addresses and networks, given only entries checked to be literals here. */
    private final InetAddressSet proxies = new InetAddressSet();

    /**
     * @param trustedProxies comma-separated addresses or networks ({@code 10.0.0.0/8},
     *                       {@code ::1}); empty trusts none
     * @throws ConfigurationException if an entry is not a literal address or network
     */
    ClientAddress(String trustedProxies) {
        for (String entry : trustedProxies.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            byte[] address = literal(slash < 0 ? e : e.substring(0, slash), e);
            if (slash >= 0) {
                int prefix;
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new ConfigurationException("transport.trustedProxies: '" + e + "' has a prefix length"
                            + " outside 0.." + address.length * 8);
                }
            }
            // Checked above to be a literal: Jetty's pattern would otherwise look a name up.
            proxies.add(e);
        }
    }

    /** Parses an IP literal without looking a name up. */
    private static byte[] literal(String text, String entry) {
        InetAddress a = address(text);
        if (a == null) {
            throw new ConfigurationException("transport.trustedProxies: '" + entry + "' is not an IP address or a"
                    + " network such as 10.0.0.0/8");
        }
        return a.getAddress();
    }

    /**
     * @return the address a literal names: four decimal octets, or IPv6 hex and colons (with a
     *     dotted tail); null for anything else, which is never handed to the resolver
     */
    static InetAddress address(String text) {
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            // A literal of these shapes is parsed, never looked up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private boolean trusted(InetAddress a) {
        return proxies.test(a);
    }

    /** @return the request as from its client: the same request unless a trusted proxy forwarded it */
    Request resolve(Request request) {
        if (proxies.isEmpty()
                || !(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
                || peer.getAddress() == null || !trusted(peer.getAddress())) {
            return request;
        }
        InetAddress client = forwardedClient(request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        if (client == null) {
            return request;
        }
        InetSocketAddress from = new InetSocketAddress(client, 0);
        ConnectionMetaData meta = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return from;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return meta;
            }
        };
    }

    /** @return the right-most address of the headers that is not a trusted proxy, or null if none is usable */
    private InetAddress forwardedClient(List<String> headers) {
        List<String> hops = new ArrayList<>();
        for (String h : headers) {
            for (String hop : h.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress a = parse(hops.get(i));
            if (a == null) {
                // A hop we cannot read: what lies left of it cannot be trusted either.
                return null;
            }
            if (!trusted(a)) {
                return a;
            }
        }
        return null;
    }

    /**
     * @return the address of one hop ({@code 1.2.3.4}, {@code 1.2.3.4:5678}, {@code [::1]},
     *     {@code [::1]:5678}, {@code ::1}), or null if it is none
     */
    static InetAddress parse(String hop) {
        Matcher port = WITH_PORT.matcher(hop);
        if (port.matches()) {
            return address(port.group(1) != null ? port.group(1) : port.group(2));
        }
        String h = hop.startsWith("[") && hop.endsWith("]") ? hop.substring(1, hop.length() - 1) : hop;
        return address(h);
    }
}

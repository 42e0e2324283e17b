package org.walj.storage;

/**
 * An endpoint setting ({@code WALE_S3_ENDPOINT}, {@code WALJ_GS_ENDPOINT}) as an error may show it: user info
 * ({@code KEY:SECRET@}) and any query or fragment replaced by {@code ***}. Such settings are rejected when they
 * carry either, and the rejection must not repeat what it rejects.
 */
public final class EndpointText {
    private EndpointText() {
    }

    /**
     * Plain text rules, not URI parsing: a value that does not parse (a secret holding '/', '#' or '%') must be
     * redacted too. Everything from the scheme's "//" (or the start, without one) to the last '@' is user info,
     * everything from the first '?' or '#' after that is a query or fragment.
     */
    public static String redacted(String value) {
        String v = value.trim();
        int slashes = v.indexOf("//");
        int hostStart = slashes < 0 ? 0 : slashes + 2;
        int at = v.lastIndexOf('@');
        StringBuilder out = new StringBuilder(v.length());
        out.append(v, 0, hostStart);
        if (at >= hostStart) {
            out.append("***@");
            hostStart = at + 1;
        }
        String rest = v.substring(hostStart);
        int query = indexOfAny(rest, '?', '#');
        if (query >= 0) {
            out.append(rest, 0, query + 1).append("***");
        } else {
            out.append(rest);
        }
        return out.toString();
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}

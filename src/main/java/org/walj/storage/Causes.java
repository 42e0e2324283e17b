package org.walj.storage;

/** What the cloud backends' failure translators read from an SDK's exception chain. */
public final class Causes {
    private Causes() {
    }

    /** The innermost cause (the socket error under an SDK's wrappers). */
    public static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The first exception of {@code type} in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** {@code ClassName: first line of the message}, or the class name alone. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return name;
        }
        int nl = m.indexOf('\n');
        return name + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}

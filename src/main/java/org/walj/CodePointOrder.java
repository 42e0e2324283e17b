package org.walj;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is also UTF-8 byte order: the order S3 lists keys in and Python sorts
 * strings in (String.compareTo orders UTF-16 units, which differs above U+FFFF).
 */
public final class CodePointOrder implements Comparator<String> {
    public static final CodePointOrder INSTANCE = new CodePointOrder();

    private CodePointOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}

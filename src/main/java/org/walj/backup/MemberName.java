package org.walj.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar member's name, checked and split: relative, no {@code ..}, no NUL, no segment ending in
 * {@code .walj-incomplete} (the temporary names of the held-back files: a member of that name could plant a link or a
 * file where the fetch writes its own); {@code ./} prefixes, empty and {@code .} segments and trailing slashes
 * dropped. The root entry ({@code /}, {@code ./}, {@code .}, empty, as Python's tarfile
 * and GNU tar write it) has no segments. Only the name is judged here; where it leads on disk is the extractor's
 * business.
 *
 * @param original the name as in the tar header
 */
record MemberName(String original, List<String> segments) {
    MemberName {
        segments = List.copyOf(segments);
    }

    static MemberName parse(String name) throws UnsafeMemberException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.equals("/") || n.equals(".")) {
            n = "";
        }
        if (n.startsWith("/")) {
            throw new UnsafeMemberException(name, "absolute names are not restored");
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        if (!n.isEmpty()) {
            for (String s : n.split("/", -1)) {
                if (s.equals("..")) {
                    throw new UnsafeMemberException(name, "names with \"..\" are not restored");
                }
                if (s.indexOf('\0') >= 0) {
                    throw new UnsafeMemberException(name, "NUL in name");
                }
                if (s.endsWith(PartitionExtractor.INCOMPLETE_SUFFIX)) {
                    throw new UnsafeMemberException(name, "names ending in \"" + PartitionExtractor.INCOMPLETE_SUFFIX
                            + "\" are backup-fetch's own temporary names and are not restored");
                }
                if (!s.isEmpty() && !s.equals(".")) {
                    segments.add(s);
                }
            }
        }
        return new MemberName(name, segments);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    /** The segments joined with {@code /}, e.g. {@code global/pg_control}. */
    String relative() {
        return String.join("/", segments);
    }
}

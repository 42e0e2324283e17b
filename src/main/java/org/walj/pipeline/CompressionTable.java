package org.walj.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The compressions an archive may hold, in the order readers try them; given from above (the table
 * {@code pipeline.codecs.Compression}), since this package does not know the formats.
 */
public record CompressionTable(List<CompressionCodec> codecs) {

    public CompressionTable {
        codecs = List.copyOf(codecs);
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("no compressions");
        }
    }

    /** The compression an object name says it has, by suffix ({@code .lzo}, {@code .lz4}); empty for others. */
    public Optional<CompressionCodec> forObjectName(String key) {
        Objects.requireNonNull(key, "key");
        return codecs.stream().filter(c -> key.endsWith(c.suffix()) && key.length() > c.suffix().length()).findFirst();
    }

    /** Parses a {@code --compression} value, e.g. {@code lzo} or {@code lz4}, case-insensitive. */
    public CompressionCodec parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (CompressionCodec c : codecs) {
                if (c.name().equals(n)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "': expected "
                + codecs.stream().map(CompressionCodec::name).collect(Collectors.joining(" or ")));
    }

    /** One capturing group matching any of the suffixes, e.g. {@code (\.lzo|\.lz4)}, for object-name patterns. */
    public String suffixGroup() {
        return codecs.stream().map(c -> Pattern.quote(c.suffix())).collect(Collectors.joining("|", "(", ")"));
    }
}

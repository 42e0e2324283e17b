package org.walj.pipeline;

import java.io.IOException;

/** A function that may fail with an {@link IOException}, e.g. wrapping an output stream in an encoder. */
@FunctionalInterface
public interface IOFunction<T, R> {
    R apply(T value) throws IOException;
}

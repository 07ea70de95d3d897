package com.example.stockprices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build-time choices of this JAR (see README.md): the scenarios need jobs that differ in their window, made from
 * these same sources by a Maven flag rather than by copies of the code.
 */
final class BuildVariant {
    private static final String RESOURCE = "/stock-prices-build.properties";

    final String name;
    final boolean windowEnabled;
    final int windowSeconds;
    final String windowUid;
    /** {@code sum-and-long-count} (the window's state is a Tuple2&lt;Double, Long&gt;) or {@code sum-and-int-count}. */
    final String windowAccumulator;

    private BuildVariant(Properties p) {
        name = required(p, "variant");
        windowEnabled = Boolean.parseBoolean(required(p, "window.enabled"));
        windowSeconds = Integer.parseInt(required(p, "window.seconds"));
        windowUid = required(p, "window.uid");
        windowAccumulator = required(p, "window.accumulator");
    }

    static BuildVariant load() {
        try (InputStream in = BuildVariant.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the JAR; build it with Maven");
            Properties p = new Properties();
            p.load(in);
            return new BuildVariant(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException(RESOURCE + " has no value for " + key + "; build it with Maven");
        }
        return value;
    }
}

package msflocal.testjobs;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Makes the job's state observable from outside: after every count it atomically replaces the output file with
 * {@code {"variant":…,"count":N,"startedFrom":F,"marker":…,"properties":{…},"systemProperty":…,
 * "environmentVariable":…}}, where {@code startedFrom} is the first count this run saw (1 after a start with empty
 * state, N+1 after a restore from a savepoint at count N). {@code marker} and {@code properties} are read here, in
 * the task, with the no-argument getApplicationProperties(); the JVM system property named by property {@code
 * echoSystemProperty} and the environment variable named by {@code echoEnvironmentVariable} are echoed (null when
 * unset), so tests can see what the job's JVM was given. With property {@code logEachCount=true} it also logs every
 * count, at INFO and at WARN, so tests can see which levels reach the application's log.
 */
final class CountFileWriter extends ProcessFunction<Long, Long> {
    private static final Logger LOG = LoggerFactory.getLogger(CountFileWriter.class);
    private final String outputFile;
    private final String variant;
    private transient long startedFrom;
    private transient String propertiesJson;
    private transient String marker;
    private transient String echoesJson;
    private transient boolean logEachCount;

    CountFileWriter(String outputFile, String variant) {
        this.outputFile = outputFile;
        this.variant = variant;
    }

    @Override
    public void open(OpenContext openContext) {
        startedFrom = -1;
        Properties props = TestJob.readProperties();
        marker = props.getProperty("marker", "");
        logEachCount = Boolean.parseBoolean(props.getProperty("logEachCount", "false"));
        StringBuilder json = new StringBuilder("{");
        for (var entry : new TreeMap<>(props).entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(entry.getKey().toString())).append(':').append(quote(entry.getValue().toString()));
        }
        propertiesJson = json.append('}').toString();
        String sysProp = props.getProperty("echoSystemProperty");
        String envVar = props.getProperty("echoEnvironmentVariable");
        echoesJson =
                ",\"systemProperty\":" + quoteOrNull(sysProp == null ? null : System.getProperty(sysProp))
                        + ",\"environmentVariable\":" + quoteOrNull(envVar == null ? null : System.getenv(envVar));
    }

    @Override
    public void processElement(Long count, Context ctx, Collector<Long> out) {
        if (startedFrom < 0) {
            startedFrom = count;
        }
        String json =
                "{\"variant\":" + quote(variant) + ",\"count\":" + count + ",\"startedFrom\":" + startedFrom
                        + ",\"marker\":" + quote(marker) + ",\"properties\":" + propertiesJson + echoesJson + "}\n";
        Path target = Path.of(outputFile);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.write(tmp, json.getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outputFile, e);
        }
        if (logEachCount) {
            LOG.info("msf-local test job counted {} at INFO", count);
            LOG.warn("msf-local test job counted {} at WARN", count);
        }
        out.collect(count);
    }

    private static String quoteOrNull(String s) {
        return s == null ? "null" : quote(s);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

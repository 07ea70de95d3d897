package msflocal.flinkhost;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Hosts one Flink session cluster (an in-process MiniCluster with the REST API and dashboard) for one msf-local
 * application.
 *
 * <p>Usage: {@code FlinkHost --conf <flink-conf.properties> [--exit-on-stdin-close]}. Every entry of the
 * properties file is a Flink configuration option. Once the REST API answers {@code /overview}, one line
 * {@code FLINK_HOST_READY <rest-url>} is printed on stdout; a start failure prints {@code FLINK_HOST_FAILED
 * <reason>} and exits with status 2. SIGTERM (or the parent closing stdin, with the flag) shuts the cluster down.
 */
public final class FlinkHost {
    private static final String SLOTS_KEY = "taskmanager.numberOfTaskSlots";
    private static final long READY_TIMEOUT_MS = 120_000;

    private FlinkHost() {}

    public static void main(String[] args) {
        Path confFile = null;
        boolean exitOnStdinClose = false;
        for (int i = 0; i < args.length; i++) {
            if ("--conf".equals(args[i]) && i + 1 < args.length) {
                confFile = Path.of(args[++i]);
            } else if ("--exit-on-stdin-close".equals(args[i])) {
                exitOnStdinClose = true;
            } else {
                fail("unknown argument: " + args[i], null);
            }
        }
        if (confFile == null) {
            fail("missing --conf <file>", null);
        }

        MiniCluster cluster;
        URI restUrl;
        try {
            Configuration conf = Configuration.fromMap(readConf(confFile));
            int slots = Integer.parseInt(conf.toMap().getOrDefault(SLOTS_KEY, "1"));
            MiniClusterConfiguration clusterConf =
                    new MiniClusterConfiguration.Builder()
                            .setConfiguration(conf)
                            .setNumTaskManagers(1)
                            .setNumSlotsPerTaskManager(slots)
                            .build();
            cluster = new MiniCluster(clusterConf);
            cluster.start();
            restUrl = cluster.getRestAddress().get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            awaitOverview(restUrl);
        } catch (Throwable t) {
            fail("could not start the Flink cluster: " + t, t);
            return;
        }

        final MiniCluster started = cluster;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        started.closeAsync().get(30, TimeUnit.SECONDS);
                                    } catch (Exception e) {
                                        System.err.println("FlinkHost: unclean shutdown: " + e);
                                    }
                                },
                                "flink-host-shutdown"));
        if (exitOnStdinClose) {
            watchStdin();
        }

        String url = restUrl.toString().replaceAll("/+$", "");
        System.out.println("FLINK_HOST_READY " + url);
        System.out.flush();

        // Everything runs on Flink's own threads; this one only keeps the JVM alive until a shutdown signal.
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> readConf(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        Map<String, String> map = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            map.put(key, props.getProperty(key));
        }
        return map;
    }

    /** The REST endpoint is bound before the dispatcher is ready: wait until it really answers. */
    private static void awaitOverview(URI restUrl) throws Exception {
        URI overview = restUrl.resolve("/overview");
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpURLConnection conn = (HttpURLConnection) overview.toURL().openConnection();
                conn.setConnectTimeout(2_000);
                conn.setReadTimeout(5_000);
                int status = conn.getResponseCode();
                conn.disconnect();
                if (status == 200) {
                    return;
                }
                last = new IOException("GET /overview answered " + status);
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("the REST API did not answer /overview in time", last);
    }

    /** msf-local holds our stdin open: when it dies, stdin closes and this JVM must not linger. */
    private static void watchStdin() {
        Thread watcher =
                new Thread(
                        () -> {
                            try (InputStream in = System.in) {
                                byte[] buf = new byte[256];
                                while (in.read(buf) >= 0) {
                                    // ignore input; only EOF matters
                                }
                            } catch (IOException ignored) {
                                // a broken stdin means the parent is gone as well
                            }
                            System.err.println("FlinkHost: parent closed stdin, shutting down");
                            System.exit(0);
                        },
                        "flink-host-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void fail(String reason, Throwable cause) {
        if (cause != null) {
            cause.printStackTrace();
        }
        System.out.println("FLINK_HOST_FAILED " + reason.replace('\n', ' '));
        System.out.flush();
        System.exit(2);
    }
}

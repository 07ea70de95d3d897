package msfctl.inspector;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * jar-inspector CLI. Every mode writes one JSON document (to --out FILE, else stdout): the result, or
 * {"error": {"kind", "message", "causes"}} with a non-zero exit code.
 *
 * <pre>
 * inspect       --jar JAR [--entry-class CLASS] [--parallelism N] [--timeout-ms MS] [--out FILE] [-- ARGS...]
 * savepoint     --path SAVEPOINT_DIR_OR_METADATA [--timeout-ms MS] [--out FILE]
 * flink-version --jar JAR [--out FILE]
 * operator-id   UID... [--out FILE]
 * </pre>
 *
 * The process must be started without network access (msfctl runs it in an empty network namespace where it
 * can, and always with JVM and AWS settings that make outbound connections fail): {@code inspect} runs the
 * application's {@code main()}.
 */
public final class Main {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_TIMEOUT = 124;

    private static final AtomicBoolean written = new AtomicBoolean(false);

    public static void main(String[] argv) {
        Options options;
        try {
            options = Options.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("jar-inspector: " + e.getMessage());
            System.err.println("usage: jar-inspector inspect|savepoint|flink-version|operator-id ... (see Main.java)");
            System.exit(EXIT_USAGE);
            return;
        }
        // An application main() that calls System.exit() never reaches execute(): say so instead of printing nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> writeOnce(options.out, error("program-exit",
                "the application called System.exit() before execute(); no job graph was built", null))));
        startWatchdog(options);

        int code;
        try {
            Map<String, Object> result = run(options);
            writeOnce(options.out, result);
            code = 0;
        } catch (InspectionException e) {
            writeOnce(options.out, error(e.kind, e.getMessage(), e.getCause()));
            code = EXIT_FAILED;
        } catch (Throwable e) {
            String kind = kindOf(e);
            // Flink wraps the application's exception with its classpath and captured output: lead with the cause.
            String message = kind.equals("program-failed")
                    ? "the application could not build its job graph: " + rootCause(e)
                    : messageOf(e);
            writeOnce(options.out, error(kind, message, e));
            code = EXIT_FAILED;
        }
        // The application may have left non-daemon threads (clients, pools) behind.
        System.exit(code);
    }

    private static Map<String, Object> run(Options options) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> inspector = new LinkedHashMap<>();
        inspector.put("runtimeFlinkVersion", JobGraphInspector.runtimeFlinkVersion());
        inspector.put("mode", options.mode);
        result.put("inspector", inspector);
        switch (options.mode) {
            case "inspect" -> {
                File jar = existingFile(options.jar);
                result.put("jar", jar.getAbsolutePath());
                result.put("flinkVersion", FlinkVersionDetector.detect(jar, options.entryClass));
                result.putAll(JobGraphInspector.inspect(jar, options.entryClass,
                        options.programArgs.toArray(new String[0]), options.parallelism));
            }
            case "flink-version" -> {
                File jar = existingFile(options.jar);
                result.put("jar", jar.getAbsolutePath());
                result.put("flinkVersion", FlinkVersionDetector.detect(jar, options.entryClass));
            }
            case "savepoint" -> result.put("savepoint", SavepointReader.read(options.path));
            case "operator-id" -> result.putAll(OperatorIds.fromUids(options.programArgs));
            default -> throw new IllegalStateException(options.mode);
        }
        return result;
    }

    private static File existingFile(String path) {
        File file = new File(path);
        if (!file.isFile()) throw new InspectionException("jar-not-found", "no such JAR file: " + path);
        return file;
    }

    private static void startWatchdog(Options options) {
        if (options.timeoutMs <= 0) return;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(options.timeoutMs);
            } catch (InterruptedException e) {
                return;
            }
            writeOnce(options.out, error("timeout", "inspection did not finish within " + options.timeoutMs
                    + " ms (the application's main() may block before execute())", null));
            Runtime.getRuntime().halt(EXIT_TIMEOUT);
        }, "inspector-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static String kindOf(Throwable e) {
        String name = e.getClass().getName();
        if (name.endsWith("ProgramInvocationException") || name.endsWith("ProgramMissingJobException")) return "program-failed";
        if (e instanceof IOException) return "io";
        return "internal";
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root == e ? messageOf(e).lines().findFirst().orElse("") : root.toString();
    }

    private static String messageOf(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    static Map<String, Object> error(String kind, String message, Throwable cause) {
        List<String> causes = new ArrayList<>();
        for (Throwable t = cause; t != null && causes.size() < 12; t = t.getCause()) {
            causes.add(t.getClass().getName() + ": " + t.getMessage());
            if (t.getCause() == t) break;
        }
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("kind", kind);
        err.put("message", message);
        err.put("causes", causes);
        if (cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            System.err.println(trace);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", err);
        return doc;
    }

    /** Writes the single result document; later writers (shutdown hook, watchdog) are ignored. */
    private static void writeOnce(String out, Map<String, Object> doc) {
        if (!written.compareAndSet(false, true)) return;
        String json = Json.write(doc);
        try {
            if (out == null) {
                System.out.print(json);
                System.out.flush();
            } else {
                Path target = Path.of(out);
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            System.err.println("jar-inspector: cannot write result to " + out + ": " + e.getMessage());
        }
    }

    static final class Options {
        String mode;
        String jar;
        String entryClass;
        String path;
        String out;
        int parallelism = 1;
        long timeoutMs = 0;
        final List<String> programArgs = new ArrayList<>();

        static Options parse(String[] argv) {
            if (argv.length == 0) throw new IllegalArgumentException("missing mode");
            Options o = new Options();
            o.mode = argv[0];
            if (!List.of("inspect", "savepoint", "flink-version", "operator-id").contains(o.mode)) {
                throw new IllegalArgumentException("unknown mode: " + o.mode);
            }
            for (int i = 1; i < argv.length; i++) {
                String a = argv[i];
                switch (a) {
                    case "--" -> {
                        o.programArgs.addAll(List.of(argv).subList(i + 1, argv.length));
                        i = argv.length;
                    }
                    case "--jar" -> o.jar = value(argv, ++i, a);
                    case "--entry-class" -> o.entryClass = value(argv, ++i, a);
                    case "--path" -> o.path = value(argv, ++i, a);
                    case "--out" -> o.out = value(argv, ++i, a);
                    case "--parallelism" -> o.parallelism = positive(value(argv, ++i, a), a);
                    case "--timeout-ms" -> o.timeoutMs = positive(value(argv, ++i, a), a);
                    default -> {
                        if (o.mode.equals("operator-id") && !a.startsWith("--")) o.programArgs.add(a);
                        else throw new IllegalArgumentException("unknown option: " + a);
                    }
                }
            }
            if ((o.mode.equals("inspect") || o.mode.equals("flink-version")) && o.jar == null) {
                throw new IllegalArgumentException(o.mode + " needs --jar");
            }
            if (o.mode.equals("savepoint") && o.path == null) throw new IllegalArgumentException("savepoint needs --path");
            return o;
        }

        private static String value(String[] argv, int i, String option) {
            if (i >= argv.length) throw new IllegalArgumentException(option + " needs a value");
            return argv[i];
        }

        private static int positive(String text, String option) {
            try {
                int n = Integer.parseInt(text);
                if (n <= 0) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a positive integer, got " + text);
            }
        }
    }
}

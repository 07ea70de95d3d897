package msflocal.testjobs;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.io.IOException;
import java.util.Map;
import java.util.Properties;

/**
 * The test job of msf-local's Flink runtime tests, in the variants the tests need (each variant is a jar with its
 * own Main-Class). Topology with explicit uids: {@code ticks} (rate-limited generator) → {@code counter} (keyed
 * count of all ticks, in Flink state: {@code count} and the POJO {@code stats}) → {@code count-file} (writes the
 * count to a file, see {@link CountFileWriter}).
 *
 * <p>Reads its settings like a real MSF application, from property group {@code TestJob} via the no-argument
 * {@link KinesisAnalyticsRuntime#getApplicationProperties()}: {@code outputFile} (required), {@code
 * ticksPerSecond} (default 20), {@code marker} (echoed into the output file).
 */
final class TestJob {
    static final String PROPERTY_GROUP = "TestJob";

    enum Variant {
        /** The stateful job. */
        COUNTER,
        /** The same job without its stateful {@code counter} operator: its state cannot be mapped. */
        COUNTER_REMOVED,
        /** The counter under uid {@code counter-renamed}: the old {@code counter} state cannot be mapped. */
        COUNTER_RENAMED,
        /** Throws on every record: restarts for ever. */
        FAILING,
        /** Throws in main() before the job is built. */
        FAIL_IN_MAIN,
        /** Same uids and state names, but the counter keeps {@code count} as a String (a Long in COUNTER). */
        COUNTER_STRING_COUNT,
        /** Same uids and state names, but a field of the {@code stats} POJO changed its type. */
        COUNTER_POJO_CHANGED,
        /** The counter with max parallelism 64 (COUNTER's state was taken with Flink's default, 128). */
        COUNTER_MAX_PARALLELISM,
        /** Never returns from main(): a job whose start hangs. */
        HANG_IN_MAIN
    }

    private TestJob() {}

    static void run(Variant variant) throws Exception {
        if (variant == Variant.FAIL_IN_MAIN) {
            throw new IllegalStateException("msf-local test job fails in main() on purpose");
        }
        if (variant == Variant.HANG_IN_MAIN) {
            Thread.sleep(Long.MAX_VALUE);
        }
        Properties props = requiredGroup(KinesisAnalyticsRuntime.getApplicationProperties());
        String outputFile = props.getProperty("outputFile");
        if (outputFile == null) {
            throw new IllegalArgumentException("property " + PROPERTY_GROUP + ".outputFile is missing");
        }
        double ticksPerSecond = Double.parseDouble(props.getProperty("ticksPerSecond", "20"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(ticksPerSecond), Types.LONG);
        DataStream<Long> ticks =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "ticks").uid("ticks").setParallelism(1);

        DataStream<Long> counts;
        switch (variant) {
            case COUNTER_REMOVED:
                counts = ticks;
                break;
            case FAILING:
                counts = counted(ticks.map(TestJob::explode).uid("explode").name("explode"), "counter", new Counter());
                break;
            case COUNTER_STRING_COUNT:
                counts = counted(ticks, "counter", new CounterStringCount());
                break;
            case COUNTER_POJO_CHANGED:
                counts = counted(ticks, "counter", new CounterChangedStats());
                break;
            case COUNTER_MAX_PARALLELISM:
                counts = counted(ticks, "counter", new Counter()).setMaxParallelism(64);
                break;
            default:
                String uid = variant == Variant.COUNTER_RENAMED ? "counter-renamed" : "counter";
                counts = counted(ticks, uid, new Counter());
        }
        counts.process(new CountFileWriter(outputFile, variant.name()))
                .uid("count-file")
                .name("count-file")
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .uid("discard")
                .name("discard");
        env.execute("msf-local test job " + variant.name().toLowerCase());
    }

    private static SingleOutputStreamOperator<Long> counted(
            DataStream<Long> ticks, String uid, KeyedProcessFunction<String, Long, Long> counter) {
        return ticks.keyBy(tick -> "all", Types.STRING).process(counter).uid(uid).name(uid);
    }

    private static Long explode(Long tick) {
        throw new IllegalStateException("msf-local test job fails on record " + tick + " on purpose");
    }

    static Properties requiredGroup(Map<String, Properties> groups) {
        Properties props = groups.get(PROPERTY_GROUP);
        if (props == null) {
            throw new IllegalArgumentException(
                    "property group " + PROPERTY_GROUP + " is missing; groups: " + groups.keySet());
        }
        return props;
    }

    static Properties readProperties() {
        try {
            return requiredGroup(KinesisAnalyticsRuntime.getApplicationProperties());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the application properties", e);
        }
    }
}

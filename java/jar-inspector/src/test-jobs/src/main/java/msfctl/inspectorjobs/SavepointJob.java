package msfctl.inspectorjobs;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.util.concurrent.TimeUnit;

/**
 * A job whose savepoint has operators with and without state: {@code ticks} (source: reader and enumerator
 * state), {@code noop} (stateless), {@code keyed-unused} (keyed, but keeps no state), {@code counter} (keyed
 * value state), {@code discard}.
 *
 * <p>Submitted normally (or inspected), main() just builds and executes the job. With
 * {@code --savepoint-to DIR} it runs the job on a local MiniCluster, stops it with a savepoint into DIR and
 * prints the savepoint path: the tests' source of a real savepoint.
 */
public final class SavepointJob {
    private SavepointJob() {}

    public static void main(String[] args) throws Exception {
        boolean makeSavepoint = args.length == 2 && args[0].equals("--savepoint-to");
        StreamExecutionEnvironment env = makeSavepoint
                ? StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration())
                : StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSource(
                        new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(50), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "ticks")
                .uid("ticks")
                .map(x -> x).uid("noop").name("noop")
                .keyBy(x -> x % 3).process(new Unused()).uid("keyed-unused").name("keyed-unused")
                .keyBy(x -> x % 3).process(new Counter()).uid("counter").name("counter")
                .sinkTo(new DiscardingSink<>()).uid("discard").name("discard");
        if (!makeSavepoint) {
            env.execute("savepoint-job");
            return;
        }

        JobClient job = env.executeAsync("savepoint-job");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("job did not reach RUNNING");
            Thread.sleep(100);
        }
        Exception last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            Thread.sleep(1000); // let records flow (and all tasks start) so that the counter has state
            try {
                String path = job.stopWithSavepoint(false, args[1], SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                System.out.println("SAVEPOINT " + path);
                System.exit(0);
            } catch (Exception notYet) {
                last = notYet;
            }
        }
        throw new IllegalStateException("no savepoint could be taken", last);
    }

    static final class Unused extends KeyedProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) {
            out.collect(value);
        }
    }

    static final class Counter extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            if (count == null) count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
            Long current = count.value();
            count.update(current == null ? 1 : current + 1);
            out.collect(value);
        }
    }
}

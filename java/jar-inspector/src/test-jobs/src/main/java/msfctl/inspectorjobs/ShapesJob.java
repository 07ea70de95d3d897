package msfctl.inspectorjobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import java.util.Collections;
import java.util.concurrent.TimeUnit;

/** One operator of each kind the inspector's statefulness classification distinguishes. */
public final class ShapesJob {
    static final MapStateDescriptor<String, Long> RULES = new MapStateDescriptor<>("rules", Types.STRING, Types.LONG);

    private ShapesJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Long> ticks = env.fromSource(
                        new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(1), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "ticks")
                .uid("ticks");

        DataStream<Long> formatted = ticks.map(x -> x + 1).name("format"); // no uid: auto-generated id
        DataStream<Long> counted = formatted.map(new CountingMap()).uid("checkpointed-map").name("checkpointed-map");
        BroadcastStream<Long> rules = ticks.broadcast(RULES);
        DataStream<Long> ruled = counted.connect(rules).process(new Rules()).uid("broadcast").name("broadcast");
        DataStream<Long> enriched = AsyncDataStream.unorderedWait(ruled, new Lookup(), 1, TimeUnit.SECONDS)
                .uid("async").name("async");
        DataStream<Long> keyed = enriched.keyBy(x -> x % 4)
                .process(new Passthrough())
                .uid("keyed")
                .name("keyed")
                .setMaxParallelism(256);
        DataStream<Long> hashed = keyed.map(x -> x).name("hashed").setUidHash("0123456789abcdef0123456789abcdef");
        hashed.sinkTo(new DiscardingSink<>()).uid("discard").name("discard");
        env.execute("shapes");
    }

    static final class CountingMap implements MapFunction<Long, Long>, CheckpointedFunction {
        private transient ListState<Long> count;

        @Override
        public Long map(Long value) {
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {}

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            count = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("count", Types.LONG));
        }
    }

    static final class Rules extends BroadcastProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long value, ReadOnlyContext ctx, Collector<Long> out) {
            out.collect(value);
        }

        @Override
        public void processBroadcastElement(Long value, Context ctx, Collector<Long> out) throws Exception {
            ctx.getBroadcastState(RULES).put("last", value);
        }
    }

    static final class Lookup implements AsyncFunction<Long, Long> {
        @Override
        public void asyncInvoke(Long input, ResultFuture<Long> resultFuture) {
            resultFuture.complete(Collections.singleton(input));
        }
    }

    static final class Passthrough extends KeyedProcessFunction<Long, Long, Long> {
        @Override
        public void processElement(Long value, Context ctx, Collector<Long> out) {
            out.collect(value);
        }
    }
}

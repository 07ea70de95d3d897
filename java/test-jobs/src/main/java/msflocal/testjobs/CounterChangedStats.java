package msflocal.testjobs;

import msflocal.testjobs.statschanged.CounterStats;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link Counter} after a change of its POJO: same uid, same state names, but {@code CounterStats.lastTick} is now
 * a String (the counter-pojo-changed jar relocates {@code statschanged.CounterStats} to {@code stats.CounterStats}).
 */
final class CounterChangedStats extends KeyedProcessFunction<String, Long, Long> {
    private transient ValueState<Long> count;
    private transient ValueState<CounterStats> stats;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        stats =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("stats", TypeInformation.of(CounterStats.class)));
    }

    @Override
    public void processElement(Long tick, Context ctx, Collector<Long> out) throws Exception {
        Long current = count.value();
        long next = (current == null ? 0 : current) + 1;
        count.update(next);
        CounterStats s = new CounterStats();
        s.lastTick = Long.toString(tick);
        s.total = next;
        stats.update(s);
        out.collect(next);
    }
}

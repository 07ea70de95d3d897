package msflocal.testjobs;

import msflocal.testjobs.stats.CounterStats;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@link Counter} after a change that keeps the operator's uid and the state's name but keeps {@code count} as a
 * String: a savepoint of {@link Counter} holds a Long there, which Flink cannot restore into this state.
 */
final class CounterStringCount extends KeyedProcessFunction<String, Long, Long> {
    private transient ValueState<String> count;
    private transient ValueState<CounterStats> stats;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.STRING));
        stats =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("stats", TypeInformation.of(CounterStats.class)));
    }

    @Override
    public void processElement(Long tick, Context ctx, Collector<Long> out) throws Exception {
        String current = count.value();
        long next = (current == null ? 0 : Long.parseLong(current)) + 1;
        count.update(Long.toString(next));
        CounterStats s = new CounterStats();
        s.lastTick = tick;
        s.total = next;
        stats.update(s);
        out.collect(next);
    }
}

package msflocal.testjobs;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Counts every tick in keyed state and emits the running count: the state a savepoint must carry. */
final class Counter extends KeyedProcessFunction<String, Long, Long> {
    private transient ValueState<Long> count;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public void processElement(Long tick, Context ctx, Collector<Long> out) throws Exception {
        Long current = count.value();
        long next = (current == null ? 0 : current) + 1;
        count.update(next);
        out.collect(next);
    }
}

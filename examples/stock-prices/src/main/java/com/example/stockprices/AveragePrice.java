package com.example.stockprices;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.sql.Timestamp;

/**
 * Average price of one ticker over one window: the window's state is a (sum, count) pair. {@link Aggregate} counts
 * in a Long; {@link IntCountAggregate} (variant accumulator-changed) in an Integer, so the same window state has
 * another type: a savepoint of one cannot be restored by the other.
 */
final class AveragePrice {
    private AveragePrice() {}

    static class Aggregate implements AggregateFunction<StockPrice, Tuple2<Double, Long>, Double> {
        @Override
        public Tuple2<Double, Long> createAccumulator() {
            return Tuple2.of(0.0, 0L);
        }

        @Override
        public Tuple2<Double, Long> add(StockPrice value, Tuple2<Double, Long> acc) {
            return Tuple2.of(acc.f0 + value.getPrice(), acc.f1 + 1);
        }

        @Override
        public Double getResult(Tuple2<Double, Long> acc) {
            return acc.f0 / acc.f1;
        }

        @Override
        public Tuple2<Double, Long> merge(Tuple2<Double, Long> a, Tuple2<Double, Long> b) {
            return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
        }
    }

    static class IntCountAggregate implements AggregateFunction<StockPrice, Tuple2<Double, Integer>, Double> {
        @Override
        public Tuple2<Double, Integer> createAccumulator() {
            return Tuple2.of(0.0, 0);
        }

        @Override
        public Tuple2<Double, Integer> add(StockPrice value, Tuple2<Double, Integer> acc) {
            return Tuple2.of(acc.f0 + value.getPrice(), acc.f1 + 1);
        }

        @Override
        public Double getResult(Tuple2<Double, Integer> acc) {
            return acc.f0 / acc.f1;
        }

        @Override
        public Tuple2<Double, Integer> merge(Tuple2<Double, Integer> a, Tuple2<Double, Integer> b) {
            return Tuple2.of(a.f0 + b.f0, a.f1 + b.f1);
        }
    }

    /** Emits the average stamped with the window's start. */
    static class Emit extends ProcessWindowFunction<Double, StockPrice, String, TimeWindow> {
        @Override
        public void process(String ticker, Context context, Iterable<Double> averages, Collector<StockPrice> out) {
            for (Double average : averages) {
                out.collect(new StockPrice(new Timestamp(context.window().getStart()), ticker, average));
            }
        }
    }
}

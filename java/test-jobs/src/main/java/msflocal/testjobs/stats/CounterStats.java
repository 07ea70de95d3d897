package msflocal.testjobs.stats;

/**
 * A Flink POJO the counter keeps in keyed state next to its count (state {@code stats}): the last tick seen and
 * how many ticks were counted. {@code msflocal.testjobs.statschanged.CounterStats} is the same class in a later
 * version of the job, with one field's type changed.
 */
public class CounterStats {
    public long lastTick;
    public long total;

    public CounterStats() {}
}

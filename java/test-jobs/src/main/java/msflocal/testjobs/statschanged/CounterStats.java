package msflocal.testjobs.statschanged;

/**
 * {@code msflocal.testjobs.stats.CounterStats} as a later version of the job declares it: {@code lastTick} became a
 * String. The counter-pojo-changed jar relocates this package to {@code msflocal.testjobs.stats} (and leaves the
 * original out), so in that jar this <em>is</em> CounterStats, same class name and fields, one field's type changed.
 */
public class CounterStats {
    public String lastTick;
    public long total;

    public CounterStats() {}
}

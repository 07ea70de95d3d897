package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER_STRING_COUNT} jar. */
public final class CounterStringCountJob {
    private CounterStringCountJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER_STRING_COUNT);
    }
}

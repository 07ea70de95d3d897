package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER_REMOVED} jar. */
public final class CounterRemovedJob {
    private CounterRemovedJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER_REMOVED);
    }
}

package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER_RENAMED} jar. */
public final class CounterRenamedJob {
    private CounterRenamedJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER_RENAMED);
    }
}

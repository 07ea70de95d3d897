package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER} jar. */
public final class CounterJob {
    private CounterJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER);
    }
}

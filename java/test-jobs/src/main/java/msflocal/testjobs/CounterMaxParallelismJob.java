package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER_MAX_PARALLELISM} jar. */
public final class CounterMaxParallelismJob {
    private CounterMaxParallelismJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER_MAX_PARALLELISM);
    }
}

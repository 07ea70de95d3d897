package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#COUNTER_POJO_CHANGED} jar. */
public final class CounterPojoChangedJob {
    private CounterPojoChangedJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.COUNTER_POJO_CHANGED);
    }
}

package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#FAIL_IN_MAIN} jar. */
public final class FailInMainJob {
    private FailInMainJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.FAIL_IN_MAIN);
    }
}

package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#FAILING} jar. */
public final class FailingJob {
    private FailingJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.FAILING);
    }
}

package msflocal.testjobs;

/** Entry point of the {@link TestJob.Variant#HANG_IN_MAIN} jar. */
public final class HangInMainJob {
    private HangInMainJob() {}

    public static void main(String[] args) throws Exception {
        TestJob.run(TestJob.Variant.HANG_IN_MAIN);
    }
}

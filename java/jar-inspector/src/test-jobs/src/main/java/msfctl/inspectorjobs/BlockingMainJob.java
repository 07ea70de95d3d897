package msfctl.inspectorjobs;

/** A main() that never reaches execute(): the inspector's timeout must end it. */
public final class BlockingMainJob {
    private BlockingMainJob() {}

    public static void main(String[] args) throws Exception {
        Thread.sleep(Long.MAX_VALUE);
    }
}

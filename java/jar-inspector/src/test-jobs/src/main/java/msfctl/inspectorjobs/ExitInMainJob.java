package msfctl.inspectorjobs;

/** A main() that exits the JVM before execute(). */
public final class ExitInMainJob {
    private ExitInMainJob() {}

    public static void main(String[] args) {
        System.exit(3);
    }
}

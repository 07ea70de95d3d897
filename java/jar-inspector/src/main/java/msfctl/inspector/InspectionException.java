package msfctl.inspector;

/** A failure the inspector can name: {@code kind} is a stable token for callers, the message is for people. */
final class InspectionException extends RuntimeException {
    final String kind;

    InspectionException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    InspectionException(String kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }
}

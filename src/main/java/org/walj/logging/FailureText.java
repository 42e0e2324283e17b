package org.walj.logging;

/** A failure in one line for a log record: the CLI's error records and the daemon's own use the same words. */
public final class FailureText {
    private FailureText() {
    }

    /** One line naming the failure; Java's own exception names are kept only where they carry the meaning. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return message + ": No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return message + ": Permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getFile() + ": " + fse.getReason();
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }
}

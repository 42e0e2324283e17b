package org.walj.logging;

import java.util.List;

import org.slf4j.Marker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * WAL-E's record format, {@code %(name)-12s %(levelname)-8s %(message)s} with every newline followed by eight
 * spaces (WAL-E's {@code IndentFormatter}), one record per line group, ending in {@code \n}.
 *
 * <p>The message is printed as it is: bodies built by {@link WalELog} already hold the {@code MSG:}/{@code DETAIL:}/
 * {@code STRUCTURED:} lines, while records from other libraries' loggers stay plain, as third-party records did under
 * WAL-E. An attached throwable is appended after a newline, as Python's formatter appends a traceback.
 */
public final class WalELayout extends LayoutBase<ILoggingEvent> {

    static final String INDENT = "        ";

    @Override
    public String doLayout(ILoggingEvent event) {
        return format(event.getLoggerName(), levelOf(event).walEName(), messageOf(event));
    }

    /** One formatted record, newline-terminated. */
    static String format(String loggerName, String levelName, String message) {
        StringBuilder sb = new StringBuilder(loggerName.length() + message.length() + 32);
        padRight(sb, loggerName, 12).append(' ');
        padRight(sb, levelName, 8).append(' ');
        int from = 0;
        int nl;
        while ((nl = message.indexOf('\n', from)) >= 0) {
            sb.append(message, from, nl + 1).append(INDENT);
            from = nl + 1;
        }
        sb.append(message, from, message.length());
        return sb.append('\n').toString();
    }

    static LogLevel levelOf(ILoggingEvent event) {
        return LogLevel.of(event.getLevel(), hasCriticalMarker(event.getMarkerList()));
    }

    /** A marker named CRITICAL, by name: SLF4J 2 deprecates marker references, so nested ones are not looked at. */
    private static boolean hasCriticalMarker(List<Marker> markers) {
        if (markers == null) {
            return false;
        }
        for (Marker m : markers) {
            if (m.getName().equals(WalELog.CRITICAL_MARKER_NAME)) {
                return true;
            }
        }
        return false;
    }

    private static String messageOf(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message == null) {
            message = "None"; // what Python prints for a None message
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown == null) {
            return message;
        }
        String trace = ThrowableProxyUtil.asString(thrown);
        while (trace.endsWith("\n") || trace.endsWith("\r")) {
            trace = trace.substring(0, trace.length() - 1);
        }
        return message + "\n" + trace.replace("\t", "    ");
    }

    private static StringBuilder padRight(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb;
    }
}

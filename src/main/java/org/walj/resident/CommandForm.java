package org.walj.resident;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What wal-push and wal-fetch take, as the daemon reads it: their positional arguments and their one count option
 * ({@code -p} for short). See {@link WalRequest} for the forms left to picocli.
 */
record CommandForm(String synopsis, String longName, int positionals) {
    static final CommandForm PUSH = new CommandForm(WalRequest.Push.NAME + " WAL_SEGMENT", "--pool-size", 1);
    static final CommandForm FETCH =
            new CommandForm(WalRequest.Fetch.NAME + " WAL_SEGMENT WAL_DESTINATION", "--prefetch", 2);

    Parsed parse(List<String> args) throws WalRequest.Unsupported {
        List<String> positional = new ArrayList<>();
        Integer count = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value;
            if (arg.equals("-p") || arg.equals(longName)) {
                if (i + 1 == args.size()) {
                    throw unsupported();
                }
                value = args.get(++i);
            } else if (arg.startsWith(longName + "=")) {
                value = arg.substring(longName.length() + 1);
            } else if (arg.startsWith("-") || arg.startsWith("@")) {
                throw unsupported(); // another option, help, "--", an @file: picocli's to read
            } else {
                positional.add(arg);
                continue;
            }
            if (count != null) {
                throw unsupported(); // picocli refuses an option given twice
            }
            count = decimal(value);
        }
        if (positional.size() != positionals) {
            throw unsupported();
        }
        return new Parsed(this, List.copyOf(positional), count);
    }

    /** As picocli's {@code Integer.valueOf}, for plain digits only: a sign or an overflow is picocli's to report. */
    private int decimal(String value) throws WalRequest.Unsupported {
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw unsupported();
        }
        return Integer.parseInt(value);
    }

    WalRequest.Unsupported unsupported() {
        return new WalRequest.Unsupported("the daemon takes only " + synopsis + " [-p N | " + longName + " N | "
                + longName + "=N], N in digits");
    }

    /** The positional arguments and the count option (null when not given) of one command line. */
    record Parsed(CommandForm form, List<String> positional, Integer count) {

        int count(int orDefault, int minimum) throws WalRequest.Unsupported {
            int n = count != null ? count : orDefault;
            if (n < minimum) {
                throw form.unsupported(); // the command's own usage error
            }
            return n;
        }

        Path path(int index) throws WalRequest.Unsupported {
            try {
                return Path.of(positional.get(index));
            } catch (InvalidPathException e) {
                throw form.unsupported();
            }
        }
    }
}

package io.wsreactor.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The flags of a command-line tool, declared where they are read: each getter names its flag, its default and a
 * line of help, and returns the value given (or the default). Adding a flag is one line; the usage text is built from
 * the declarations.
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine("echo-server", args);
 * int port = cli.integer("--port", 8080, 0, 65535, "port to listen on; 0 picks a free one");
 * boolean binary = cli.toggle("--binary", "send binary frames instead of text");
 * cli.finishOrExit(); // bad or unknown flag: one line naming it, the usage, exit status 2
 * }</pre>
 *
 * <p>A getter meeting a bad value records the problem and returns the default, so that every flag gets declared
 * (and appears in the usage) before {@link #finish()} reports the first problem. Flags take their value from the
 * next argument ({@code --port 8080}) or after {@code =} ({@code --port=8080}); a flag given twice is a mistake.
 * Not thread-safe: parse on one thread, at start-up.
 */
public final class CommandLine {
    private static final int SYNOPSIS_WIDTH = 24;
    private final String program;
    private final String[] args;
    private final boolean[] used;
    private final List<String> usageLines = new ArrayList<>();
    private String problem;

    /**
     * Wraps the arguments of one run.
     *
     * @param program the name the usage shows, e.g. {@code echo-server}
     * @param args the arguments as given to {@code main}
     */
    public CommandLine(String program, String[] args) {
        this.program = program;
        this.args = args.clone();
        this.used = new boolean[args.length];
    }

    /** A flag with a text value. */
    public String string(String flag, String defaultValue, String help) {
        describe(flag + " " + metavar(flag), help, defaultValue);
        String value = take(flag);
        return value == null ? defaultValue : value;
    }

    /** A flag with an integer value in {@code [min, max]}. */
    public int integer(String flag, int defaultValue, int min, int max, String help) {
        describe(flag + " N", help, Integer.toString(defaultValue));
        String value = take(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < min || parsed > max) {
                return reject(flag, "\"" + value + "\" is outside " + min + ".." + max, defaultValue);
            }
            return parsed;
        } catch (NumberFormatException e) {
            return reject(flag, "\"" + value + "\" is not a whole number", defaultValue);
        }
    }

    /** A flag with a decimal value in {@code [min, max]}. */
    public double decimal(String flag, double defaultValue, double min, double max, String help) {
        describe(flag + " X", help, format(defaultValue));
        String value = take(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= min && parsed <= max)) {
                return reject(flag, "\"" + value + "\" is outside " + format(min) + ".." + format(max),
                        defaultValue);
            }
            return parsed;
        } catch (NumberFormatException e) {
            return reject(flag, "\"" + value + "\" is not a number", defaultValue);
        }
    }

    /** A flag whose value is one of an enum's constants, written in lower case ({@code --mode async}). */
    public <E extends Enum<E>> E choice(String flag, E defaultValue, String help) {
        E[] constants = defaultValue.getDeclaringClass().getEnumConstants();
        String names = String.join("|", Arrays.stream(constants).map(CommandLine::lowerCase).toList());
        describe(flag + " " + names, help, lowerCase(defaultValue));
        String value = take(flag);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : constants) {
            if (lowerCase(constant).equals(value.toLowerCase(Locale.ROOT))) {
                return constant;
            }
        }
        return reject(flag, "\"" + value + "\" is not one of " + names, defaultValue);
    }

    /** A flag without a value: true when given. */
    public boolean toggle(String flag, String help) {
        describe(flag, help, null);
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith(flag + "=")) {
                reject(flag, "takes no value", null);
                used[i] = true;
            } else if (args[i].equals(flag) && !used[i]) {
                used[i] = true;
                return true;
            }
        }
        return false;
    }

    /**
     * Records a problem with a flag's value found after parsing (a host that does not resolve, say); the first
     * problem recorded is the one {@link #finish()} reports.
     *
     * @return {@code fallback}, for the caller's convenience
     */
    public <T> T reject(String flag, String reason, T fallback) {
        if (problem == null) {
            problem = flag + ": " + reason;
        }
        return fallback;
    }

    /** Whether {@code --help} or {@code -h} was given. */
    public boolean helpAsked() {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    /**
     * Ends the declarations: reports the first bad value, else the first argument no flag took.
     *
     * @throws UsageException naming the flag and what is wrong with it, in one line
     */
    public void finish() throws UsageException {
        if (problem != null) {
            throw new UsageException(program + ": " + problem);
        }
        for (int i = 0; i < args.length; i++) {
            if (!used[i]) {
                String what = args[i].startsWith("-") ? "unknown flag " : "unexpected argument ";
                throw new UsageException(program + ": " + what + args[i]);
            }
        }
    }

    /**
     * {@link #finish()} for a {@code main}: with {@code --help}, prints the usage and exits with status 0; on a
     * mistake prints its one line and the usage to standard error and exits with status 2.
     */
    public void finishOrExit() {
        if (helpAsked()) {
            System.out.print(usage());
            System.exit(0);
        }
        try {
            finish();
        } catch (UsageException e) {
            PrintStream err = System.err;
            err.println(e.getMessage());
            err.print(usage());
            System.exit(2);
        }
    }

    /** The usage text: one line per flag declared so far, with its help and default. */
    public String usage() {
        StringBuilder text = new StringBuilder("usage: ").append(program).append(" [flags]\n");
        for (String line : usageLines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** A one-line mistake on the command line: which flag and what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The value of {@code flag}, or null when it is not given; records a missing value or a repeat. */
    private String take(String flag) {
        String value = null;
        boolean seen = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String found = null;
            if (arg.startsWith(flag + "=")) {
                used[i] = true;
                found = arg.substring(flag.length() + 1);
            } else if (arg.equals(flag)) {
                used[i] = true;
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    return reject(flag, "needs a value", null);
                }
                used[++i] = true;
                found = args[i];
            } else {
                continue;
            }
            if (seen) {
                return reject(flag, "given twice", null);
            }
            seen = true;
            value = found;
        }
        return value;
    }

    private void describe(String synopsis, String help, String defaultValue) {
        // a long synopsis puts its help on the next line, so the help column stays straight
        String format = synopsis.length() > SYNOPSIS_WIDTH ? "  %s%n  %" + SYNOPSIS_WIDTH + "s %s" : "  %-"
                + SYNOPSIS_WIDTH + "s %s";
        String line = synopsis.length() > SYNOPSIS_WIDTH ? String.format(Locale.ROOT, format, synopsis, "", help)
                : String.format(Locale.ROOT, format, synopsis, help);
        usageLines.add(defaultValue == null ? line : line + " (default " + defaultValue + ")");
    }

    private static String metavar(String flag) {
        return flag.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String lowerCase(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}

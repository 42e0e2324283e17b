package org.walj.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man page (troff with the {@code man} macros) rendered from a command's picocli model, so that the pages say
 * exactly what {@code --help} says and cannot drift from it. picocli-codegen's ManPageGenerator writes AsciiDoc,
 * which needs Asciidoctor (JRuby) to become troff; that conversion cost more than the whole rest of {@code package}
 * (docs/packaging.md), so the model is rendered here directly.
 */
record ManualPage(String name, String text) {

    /** The page of {@code command}: {@code wal-j(1)} for the root, {@code wal-j-SUB(1)} for a subcommand. */
    static ManualPage of(CommandLine command, String version, String date) {
        CommandSpec spec = command.getCommandSpec();
        String name = spec.qualifiedName("-");
        StringBuilder out = new StringBuilder();
        out.append(".\\\" generated from wal-j's command-line model at build time; do not edit\n");
        out.append(".TH ").append(quoted(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 ").append(quoted(date))
                .append(' ').append(quoted("wal-j " + version)).append(' ').append(quoted("wal-j manual")).append('\n');
        out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary(spec))).append('\n');
        out.append(".SH SYNOPSIS\n.nf\n").append(lines(synopsis(command))).append(".fi\n");
        out.append(".SH DESCRIPTION\n");
        for (String paragraph : spec.usageMessage().description()) {
            out.append(".PP\n").append(lines(plain(paragraph)));
        }
        if (!visibleParameters(spec).isEmpty()) {
            out.append(".SH ARGUMENTS\n");
            appendArgumentList(out, spec);
        }
        if (!visibleOptions(spec).isEmpty()) { // wal-j's own options are WAL-E's global ones, before the subcommand
            out.append(".SH ").append(spec.parent() == null ? "GLOBAL OPTIONS" : "OPTIONS").append('\n');
            appendOptionList(out, spec);
        }
        List<CommandLine> subcommands = visible(command);
        if (!subcommands.isEmpty()) {
            out.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands) {
                out.append(".TP\n\\fB").append(escape(sub.getCommandName())).append("\\fR\n")
                        .append(lines(String.join(" ", plainAll(sub.getCommandSpec().usageMessage().description()))));
                if (spec.parent() != null) { // a subcommand's own subcommands (delete retain N) live on its page
                    out.append(".RS\n.nf\n").append(lines(synopsis(sub))).append(".fi\n");
                    appendArgumentList(out, sub.getCommandSpec());
                    appendOptionList(out, sub.getCommandSpec());
                    out.append(".RE\n");
                }
            }
        }
        out.append(".SH SEE ALSO\n");
        if (spec.parent() == null) {
            out.append(subcommands.stream().map(s -> "\\fB" + escape(spec.name() + "-" + s.getCommandName())
                    + "\\fR(1)").collect(Collectors.joining(",\n"))).append('\n');
        } else {
            out.append("\\fBwal-j\\fR(1) for the global options, which come before the subcommand, and the "
                    + "other subcommands.\n");
        }
        out.append(".PP\nThe documentation in /usr/share/doc/wal-j/ (README.md and docs/).\n");
        return new ManualPage(name, out.toString());
    }

    /** The subcommands a page or the completion lists: not hidden (wal-prefetch), not picocli's help. */
    static List<CommandLine> visible(CommandLine command) {
        List<CommandLine> result = new ArrayList<>();
        for (CommandLine sub : command.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (!spec.usageMessage().hidden() && !result.contains(sub)
                    && !(spec.userObject() instanceof CommandLine.HelpCommand)) {
                result.add(sub);
            }
        }
        return result;
    }

    private static String summary(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        if (description.length == 0) {
            return spec.name();
        }
        // NAME's one line: the first sentence, up to a colon that starts its details (not one inside parentheses)
        String first = plain(description[0]);
        int depth = 0;
        for (int i = 0; i + 1 < first.length(); i++) {
            char c = first.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if ((c == '.' || (c == ':' && depth == 0)) && first.charAt(i + 1) == ' ') {
                return first.substring(0, i);
            }
        }
        return stripDot(first);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String synopsis(CommandLine command) {
        return plain(command.getHelp().synopsis(0)).stripTrailing();
    }

    private static void appendArgumentList(StringBuilder out, CommandSpec spec) {
        for (PositionalParamSpec p : visibleParameters(spec)) {
            out.append(".TP\n\\fI").append(escape(plain(p.paramLabel()))).append("\\fR\n")
                    .append(lines(String.join(" ", plainAll(p.description()))));
        }
    }

    private static void appendOptionList(StringBuilder out, CommandSpec spec) {
        for (OptionSpec o : visibleOptions(spec)) {
            String names = o.names().length == 0 ? "" : java.util.Arrays.stream(o.names())
                    .map(n -> "\\fB" + escape(n) + "\\fR").collect(Collectors.joining(", "));
            String label = o.typedValues().isEmpty() && o.arity().max() > 0
                    ? "=\\fI" + escape(plain(o.paramLabel())) + "\\fR" : "";
            out.append(".TP\n").append(names).append(label).append('\n')
                    .append(lines(String.join(" ", plainAll(o.description()))));
        }
    }

    private static List<OptionSpec> visibleOptions(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.hidden()).toList();
    }

    private static List<PositionalParamSpec> visibleParameters(CommandSpec spec) {
        return spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    }

    private static List<String> plainAll(String[] texts) {
        return java.util.Arrays.stream(texts).map(ManualPage::plain).toList();
    }

    /**
     * As picocli's help shows it: markup ({@code @|bold x|@}) removed, as on a terminal without colours, and the
     * format escapes it reads ({@code %n}, {@code %%}) turned into their characters.
     */
    private static String plain(String text) {
        return Ansi.OFF.string(text).replace("%n", "\n").replace("%%", "%");
    }

    /** Each line escaped, so that no text line can start a request ('.' or '\''). */
    private static String lines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String escaped = escape(line);
            if (escaped.startsWith(".") || escaped.startsWith("'")) {
                escaped = "\\&" + escaped;
            }
            out.append(escaped).append('\n');
        }
        return out.toString();
    }

    /** Backslashes made literal; '-' as the minus sign, so that option names copied from the page work. */
    static String escape(String text) {
        return text.replace("\\", "\\e").replace("-", "\\-");
    }

    private static String quoted(String text) {
        return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
    }
}

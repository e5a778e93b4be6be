package dev.pgkill.cli;

import dev.pgkill.connect.Environment;
import dev.pgkill.run.Stopping;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man page (AsciiDoc, which Asciidoctor renders to troff) and the bash completion script,
 * written by picocli from the same model as {@code --help}, so they cannot drift from it. Run by
 * the build's dist profile: {@code Docs MAN_DIRECTORY COMPLETION_DIRECTORY}.
 */
public final class Docs {
  private Docs() {}

  /** pgkill's command line as {@code Main} builds it, for its model only: it never runs. */
  static CommandLine commandLine() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    PgkillCommand command =
        new PgkillCommand(
            sink,
            sink,
            InputStream.nullInputStream(),
            new Environment(Map.of(), "pgkill", Path.of("/")),
            Terminal.NONE,
            Stopping.UNHEARD);
    return Cli.commandLine(command, sink, sink);
  }

  /**
   * The bash completion script; zsh runs it too, after {@code bashcompinit}. It is sourced, never
   * run, so picocli's {@code #!} line goes (lintian: bash-completion-with-hashbang).
   */
  static String bashCompletion() {
    String script = AutoComplete.bash("pgkill", commandLine()).stripLeading();
    return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
  }

  /**
   * The man page in AsciiDoc. A man page's NAME line is one short sentence, and its synopsis one
   * line per form, where {@code --help} has a paragraph and a synopsis aligned with spaces.
   */
  static String manPage() {
    CommandSpec spec = commandLine().getCommandSpec();
    spec.usageMessage()
        .header("cancel or terminate PostgreSQL backends safely, through the server's functions")
        .customSynopsis(
            Arrays.stream(spec.usageMessage().customSynopsis())
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> "*" + line + "* +")
                .toArray(String[]::new));
    spec.versionProvider(() -> new String[] {"pgkill " + BuildInfo.load().version()});
    StringWriter page = new StringWriter();
    try (PrintWriter out = new PrintWriter(page)) {
      ManPageGenerator.writeSingleManPage(out, spec);
    }
    return page.toString();
  }

  public static void main(String[] args) throws IOException {
    Path man = Files.createDirectories(Path.of(args[0]));
    Path completion = Files.createDirectories(Path.of(args[1]));
    Files.writeString(man.resolve("pgkill.adoc"), manPage(), StandardCharsets.UTF_8);
    Files.writeString(completion.resolve("pgkill"), bashCompletion(), StandardCharsets.UTF_8);
  }
}

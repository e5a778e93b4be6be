package dev.pgkill.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bash completion script as bash runs it at a Tab: a bash subprocess sources the script, sets the
 * words typed so far as bash would, calls the function the script registered for pgkill, and prints
 * what it offers.
 */
public final class BashCompletion {
  private BashCompletion() {}

  /** What the script offers for the last word of {@code words} (words[0] is pgkill). */
  public static List<String> offers(Path script, String... words) throws IOException {
    StringBuilder array = new StringBuilder();
    for (String word : words) {
      array.append(" '").append(word.replace("'", "'\\''")).append('\'');
    }
    String program =
        "set -e\n"
            + "source \"$1\"\n"
            // compopt changes the options of the completion under way, and refuses when none is.
            + "compopt() { :; }\n"
            + "function=$(complete -p pgkill | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')\n"
            + "COMP_WORDS=("
            + array
            + " )\n"
            + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
            + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
            + "COMP_POINT=${#COMP_LINE}\n"
            + "\"$function\" pgkill \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
            + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process bash =
        new ProcessBuilder("bash", "-c", program, "bash", script.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!bash.waitFor(60, TimeUnit.SECONDS) || bash.exitValue() != 0) {
        bash.destroyForcibly();
        throw new AssertionError("bash completion failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out.lines().filter(line -> !line.isEmpty()).toList();
  }
}

package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.BashCompletion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash completion script picocli writes from the model of help (what the dist build ships), run
 * by bash as a Tab would: options complete, and so do the words of the options taking one.
 */
class CompletionTest {
  @TempDir static Path directory;
  private static Path script;

  @BeforeAll
  static void writeScript() throws Exception {
    script = Files.writeString(directory.resolve("pgkill"), Docs.bashCompletion());
  }

  @Test
  void anOptionCompletesFromItsStart() throws Exception {
    assertThat(BashCompletion.offers(script, "pgkill", "--ter")).containsExactly("--terminate");
  }

  @Test
  void stateCompletesToTheStatesAsTyped() throws Exception {
    assertThat(BashCompletion.offers(script, "pgkill", "-c", "--state", ""))
        .containsExactlyInAnyOrder(
            "active",
            "idle",
            "idle-in-transaction",
            "idle-in-transaction-aborted",
            "fastpath",
            "disabled");
    assertThat(BashCompletion.offers(script, "pgkill", "--state", "idle-"))
        .containsExactlyInAnyOrder("idle-in-transaction", "idle-in-transaction-aborted");
  }

  @Test
  void outputAndColorCompleteToTheirWords() throws Exception {
    assertThat(BashCompletion.offers(script, "pgkill", "--output", ""))
        .containsExactlyInAnyOrder("text", "json", "pid", "id");
    assertThat(BashCompletion.offers(script, "pgkill", "--color", ""))
        .containsExactlyInAnyOrder("auto", "always", "never");
  }

  @Test
  void backendTypeCompletesATypeWithASpaceAsOneWord() throws Exception {
    assertThat(BashCompletion.offers(script, "pgkill", "--backend-type", "autov"))
        .containsExactlyInAnyOrder("autovacuum\\ launcher", "autovacuum\\ worker");
    assertThat(BashCompletion.offers(script, "pgkill", "--backend-type", "wals"))
        .containsExactly("walsender", "walsummarizer");
  }
}

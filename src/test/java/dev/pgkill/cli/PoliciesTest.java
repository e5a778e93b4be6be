package dev.pgkill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgkill.testing.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy file is checked whole, by the command line's own checks, before anything connects: these
 * runs use --check, which connects to nothing, and a bad file names its line and rule.
 */
class PoliciesTest {
  @TempDir Path dir;

  private Path policy(String text) throws IOException {
    Path file = dir.resolve("policy.toml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private Run check(String text) throws IOException {
    return Run.of("--policy", policy(text).toString(), "--check");
  }

  private String error(Path file, String rest) {
    return "pgkill: error: policy \"" + file + "\", " + rest + " (see pgkill --help)\n";
  }

  @Test
  void goodFileNamesItsRulesInFileOrder() throws IOException {
    Run run =
        check(
            """
            # ends what cron should
            [rule.forgotten-transactions]
            terminate = true
            state = ["idle-in-transaction"]
            idle-longer-than = "10m"
            exclude-application = ["pg_dump*", "pg_basebackup"]
            reason = "transactions left open block vacuum"

            [rule.runaway-reports]
            cancel = true
            escalate = "30s"
            application = "report-*"
            running-longer-than = "5m"
            max = 20
            wait = true
            """);

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "policy \""
                + dir.resolve("policy.toml")
                + "\" is good: 2 rules: forgotten-transactions, runaway-reports\n");
  }

  @Test
  void lockWaitsConnectionCapsAndPreparedTransactionsAreKeysToo() throws IOException {
    Run run =
        check(
            """
            [rule.cap-web]
            terminate = true
            application = "web-*"
            keep-newest = 20
            per = "application"

            [rule.stuck-on-locks]
            cancel = true
            waiting-longer-than = "30s"
            prepared-older-than = "1h"
            """);

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.out()).endsWith("is good: 2 rules: cap-web, stuck-on-locks\n");

    Run half = check("[rule.half]\nterminate = true\nkeep-newest = 20\n");
    assertThat(half.status()).isEqualTo(2);
    assertThat(half.err()).contains("--keep-newest goes with --per");

    Run badGroup = check("[rule.bad]\nterminate = true\nkeep-newest = 2\nper = \"team\"\n");
    assertThat(badGroup.status()).isEqualTo(2);
    assertThat(badGroup.err()).contains("invalid --per \"team\": expected user, application");
  }

  @Test
  void theKeysOfMoreOfTheViewAreTheirLongOptionNames() throws IOException {
    Run run =
        check(
            """
            [rule.lock-waiters]
            cancel = true
            wait-event = ["Lock:relation", "LWLock"]
            not-query = "^vacuum"
            ignore-case = true

            [rule.one-query]
            terminate = true
            query-id = ["-7046276581297305233", 42]
            client-hostname = "*.batch.example.com"
            """);

    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isZero();
    assertThat(run.out()).endsWith("2 rules: lock-waiters, one-query\n");
  }

  @Test
  void aRulesMoreOfTheViewKeysAreCheckedAsOnTheCommandLine() throws IOException {
    Path file = policy("[rule.w]\ncancel = true\nwait-event = \"Lok\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "pgkill: error: policy \""
                + file
                + "\", line 3, rule w: invalid --wait-event \"Lok\": no wait event type");
  }

  @Test
  void countOnlyListsSoNoRuleSetsIt() throws IOException {
    Path file = policy("[rule.c]\ncount = true\nuser = \"app\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("line 2, rule c: unknown key \"count\"");
  }

  @Test
  void syntaxErrorNamesTheLine() throws IOException {
    Run run = check("[rule.a]\nterminate = true\nuser = \n");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("pgkill: error: policy \"" + dir.resolve("policy.toml") + "\", line 3: ")
        .contains("not valid TOML");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void misspeltKeyNamesLineRuleAndWhatWasMeant() throws IOException {
    Path file = policy("[rule.a]\nterminate = true\nstate = \"idle\"\nidle-longer-tan = \"10m\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            error(
                file,
                "line 4, rule a: unknown key \"idle-longer-tan\" (did you mean"
                    + " idle-longer-than?); a rule's keys are the long names of the Action and"
                    + " Selection options, max and reason"));
  }

  @Test
  void badValueIsCheckedAsOnTheCommandLineAtItsLine() throws IOException {
    Path file =
        policy(
            "[rule.good]\ncancel = true\nuser = \"app\"\n\n"
                + "[rule.bad]\nterminate = true\nuser = \"app\"\nidle-longer-than = \"10x\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).startsWith("pgkill: error: policy \"" + file + "\", line 8, rule bad: ");
    assertThat(run.err()).contains("--idle-longer-than").contains("10x");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void ruleWithoutSelectionWouldMeanEverySessionAndIsRefused() throws IOException {
    Path file = policy("[rule.all]\nterminate = true\nexclude-user = [\"postgres\"]\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            error(
                file,
                "line 1, rule all: no selection: a rule needs keys that choose sessions (user,"
                    + " state, idle-longer-than, ...); pgkill never means every session"));
  }

  @Test
  void ruleWithoutActionIsRefused() throws IOException {
    Path file = policy("[rule.what]\nuser = \"app\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            error(file, "line 1, rule what: no action: set cancel = true or terminate = true"));
  }

  @Test
  void connectionAndOutputAreTheCommandLinesNotARules() throws IOException {
    Path file = policy("[rule.a]\nterminate = true\nuser = \"app\"\nhost = \"db1\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .contains("line 4, rule a: unknown key \"host\": --host is given on the command line");
  }

  @Test
  void valuesOfTheWrongTypeAreRefused() throws IOException {
    for (String bad :
        new String[] {"terminate = \"yes\"", "user = 12.5", "user = []", "reason = 3"}) {
      Path file = policy("[rule.a]\ncancel = true\nstate = [\"idle\"]\n" + bad + "\n");
      Run run = Run.of("--policy", file.toString(), "--check");
      assertThat(run.status()).as(bad).isEqualTo(2);
      assertThat(run.err()).as(bad).contains("line 4, rule a: ");
    }
  }

  @Test
  void layoutOtherThanRuleTablesIsRefused() throws IOException {
    Path misspelt = policy("[rules.a]\nterminate = true\nuser = \"app\"\n");
    Run run = Run.of("--policy", misspelt.toString(), "--check");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("line 1: unknown table or key \"rules\"");

    Path empty = policy("# nothing yet\n");
    run = Run.of("--policy", empty.toString(), "--check");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("no rules");

    Path badName = policy("[rule.\"two words\"]\nterminate = true\nuser = \"app\"\n");
    run = Run.of("--policy", badName.toString(), "--check");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("line 1: invalid rule name \"two words\"");
  }

  @Test
  void missingFileIsOneLine() {
    Path missing = dir.resolve("nope.toml");

    Run run = Run.of("--policy", missing.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: cannot read policy \""
                + missing
                + "\": no such file (see pgkill --help)\n");
  }

  @Test
  void commandLineCannotAlsoSetWhatRulesSet() throws IOException {
    Path file = policy("[rule.a]\nterminate = true\nuser = \"app\"\n");

    Run run = Run.of("--policy", file.toString(), "-y", "-t", "--state", "idle", "--max", "3");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "pgkill: error: with --policy, --terminate, --state, --max are set by the policy's"
                + " rules, not on the command line (see pgkill --help)\n");
  }

  @Test
  void yesIsWhatAPolicyMeansAnyway() throws IOException {
    Path file = policy("[rule.a]\nterminate = true\nuser = \"app\"\n");

    Run run = Run.of("--policy", file.toString(), "--check", "--yes");

    assertThat(run.status()).as(run.err()).isZero();
  }

  @Test
  void watchFromTheCommandLineNeedsYesAndNoPids() {
    Run noYes = Run.of("--watch", "10s", "-t", "--state", "idle");
    assertThat(noYes.status()).isEqualTo(2);
    assertThat(noYes.err()).contains("--watch signals what the selection chooses");

    Run pids = Run.of("--watch", "10s", "-t", "-y", "4242");
    assertThat(pids.status()).isEqualTo(2);
    assertThat(pids.err()).contains("--watch applies a selection again and again");

    Run zero = Run.of("--watch", "0s", "-t", "-y", "--state", "idle");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err()).contains("invalid --watch \"0s\"");

    Run check = Run.of("--check");
    assertThat(check.status()).isEqualTo(2);
    assertThat(check.err()).contains("--check goes with --policy");
  }

  @Test
  void editDistanceCountsInsertionsDeletionsAndChanges() {
    assertThat(RuleArguments.distance("state", "state")).isZero();
    assertThat(RuleArguments.distance("stat", "state")).isEqualTo(1);
    assertThat(RuleArguments.distance("idle-longer-tan", "idle-longer-than")).isEqualTo(1);
    assertThat(RuleArguments.distance("uesr", "user")).isEqualTo(2);
  }

  @Test
  void theSamplePolicyInContribIsGood() {
    Path sample = Path.of("contrib/policy.toml.example").toAbsolutePath();

    Run run = Run.of("--policy", sample.toString(), "--check");

    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            "policy \""
                + sample
                + "\" is good: 4 rules: forgotten-transactions, runaway-reports,"
                + " long-lock-blockers, vacuum-horizon\n");
  }

  @Test
  void theReadmesExampleIsGoodAndItsErrorIsWhatTheReadmeShows() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("[rule.forgotten-transactions]");
    String example = readme.substring(start, readme.indexOf("```", start));
    assertThat(check(example).status()).isZero();

    Path file = policy(example.replace("idle-longer-than", "idle-longer-tan"));
    String shown =
        error(
                file,
                "line 4, rule forgotten-transactions: unknown key \"idle-longer-tan\" (did you"
                    + " mean idle-longer-than?); a rule's keys are the long names of the Action and"
                    + " Selection options, max and reason")
            .replace("\"" + file + "\"", "\"/etc/pgkill/policy.toml\"");
    assertThat(Run.of("--policy", file.toString(), "--check").err())
        .isEqualTo(error(file, shown.substring(shown.indexOf("line 4"), shown.indexOf(" (see"))));
    assertThat(readme).contains(shown.strip());
  }

  @Test
  void aPatternThatMatchesEverythingIsNoSelection() throws IOException {
    for (String everything : new String[] {"application = \"*\"", "query = \".*\""}) {
      Path file = policy("[rule.all]\nterminate = true\n" + everything + "\n");
      Run run = Run.of("--policy", file.toString(), "--check");
      assertThat(run.status()).as(everything).isEqualTo(2);
      assertThat(run.err()).as(everything).contains("rule all: no selection");
    }
  }

  @Test
  void aWaitThatIsNoDurationIsNamedNotReadAsAPid() throws IOException {
    Path file = policy("[rule.a]\ncancel = true\nuser = \"app\"\nwait = \"1234\"\n");

    Run run = Run.of("--policy", file.toString(), "--check");

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("line 4, rule a: invalid --wait \"1234\"");
  }
}

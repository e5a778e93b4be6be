package dev.pgkill;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of DESIGN.md, checked on the compiled classes: {@code cli → run → report, signal,
 * safety, select, connect}, with {@code text} under them all. A change that breaks it fails the
 * build instead of slowly turning the pipeline into a web.
 */
@AnalyzeClasses(packages = "dev.pgkill", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Anything of java.lang.System but its monotonic clock, which is no I/O and no global state. */
  private static final DescribedPredicate<JavaAccess<?>> SYSTEM_BUT_ITS_CLOCK =
      new DescribedPredicate<>("java.lang.System (other than nanoTime)") {
        @Override
        public boolean test(JavaAccess<?> access) {
          return access.getTargetOwner().isEquivalentTo(System.class)
              && !access.getTarget().getName().equals("nanoTime");
        }
      };

  @ArchTest
  static final ArchRule packagesFormNoCycle =
      slices().matching("dev.pgkill.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyCliKnowsPicocli =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.pgkill.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..")
          .because("cli turns the arguments into an Invocation; nothing after it sees picocli");

  @ArchTest
  static final ArchRule onlyTheReportKnowsPrometheus =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.pgkill.report..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.prometheus..")
          .because(
              "the watch loop counts through report.WatchMetrics; the client library stays behind"
                  + " it");

  @ArchTest
  static final ArchRule onlyTheEntryPointsTouchSystem =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("dev.pgkill.cli.Main")
          .and()
          .doNotHaveFullyQualifiedName("dev.pgkill.cli.CdsTraining")
          .should()
          .accessTargetWhere(SYSTEM_BUT_ITS_CLOCK)
          .because(
              "Main (and the launcher's training run, an entry point of its own) hands every other"
                  + " class its streams, environment and terminal, so tests run the whole program"
                  + " in-process");

  @ArchTest
  static final ArchRule stepsNeverReachBackToTheReportTheRunOrTheCli =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.pgkill.signal..",
              "dev.pgkill.safety..",
              "dev.pgkill.select..",
              "dev.pgkill.connect..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.pgkill.report..", "dev.pgkill.run..", "dev.pgkill.cli..");

  @ArchTest
  static final ArchRule safetyDecidesBeforeAnythingIsSignalled =
      noClasses()
          .that()
          .resideInAnyPackage("dev.pgkill.safety..", "dev.pgkill.select..", "dev.pgkill.connect..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.pgkill.signal..");

  @ArchTest
  static final ArchRule theReportFormatsAndNeverDecides =
      noClasses()
          .that()
          .resideInAPackage("dev.pgkill.report..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.pgkill.cli..", "dev.pgkill.run..");

  @ArchTest
  static final ArchRule textIsTheLeafEveryoneUses =
      noClasses()
          .that()
          .resideInAPackage("dev.pgkill.text..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("dev.pgkill.text..", "java..");

  /** What a rehearsal is wired from may not reach anything that could send a signal. */
  @ArchTest
  static final ArchRule aRehearsalCannotSignal =
      noClasses()
          .that()
          .haveFullyQualifiedName("dev.pgkill.run.Rehearsal")
          .or()
          .haveFullyQualifiedName("dev.pgkill.cli.Rehearse")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.pgkill.signal..")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.Pgkill")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.SignalPass")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.PolicyPass")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.PolicyRun")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.Fleet")
          .orShould()
          .dependOnClassesThat()
          .haveFullyQualifiedName("dev.pgkill.run.Watch")
          .because(
              "--rehearse never signals: it has no signaller to call, rather than one it is"
                  + " careful not to call");

  @ArchTest
  static final ArchRule everyClassBelongsToAStep =
      noClasses().should().resideInAPackage("dev.pgkill").because("each class is one step's");
}

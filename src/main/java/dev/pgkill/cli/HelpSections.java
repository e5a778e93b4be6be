package dev.pgkill.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lists the options under headings (Action, Connection, Output, ...). picocli draws headings only
 * for argument groups, and argument groups refuse a repeated option, which psql's users rely on (a
 * later {@code -p} replaces an earlier one); so each option's {@code order} names its section.
 */
final class HelpSections implements CommandLine.IHelpSectionRenderer {
  /** Options whose order is at least {@code from} belong to the section, up to the next one. */
  record Section(String heading, int from) {}

  static final int ACTION = 10;
  static final int SELECTION = 20;
  static final int CONNECTION = 50;
  static final int SERVERS = 56;
  static final int SAFETY = 60;
  static final int OUTPUT = 70;
  static final int UNATTENDED = 80;
  static final int AUDIT = 85;
  static final int HELP = 90;

  /** The first order past the last section: an option at or above it would not be shown. */
  static final int END = 100;

  private static final List<Section> SECTIONS =
      List.of(
          new Section("Action (exactly one of -c, -t, -l)", ACTION),
          new Section(
              "Selection (options AND together; a repeated option ORs its values)", SELECTION),
          new Section("Connection", CONNECTION),
          new Section("Several servers", SERVERS),
          new Section("Safety", SAFETY),
          new Section("Output", OUTPUT),
          new Section("Unattended (cron and services)", UNATTENDED),
          new Section("Audit", AUDIT),
          new Section("Help", HELP));

  /**
   * The section an option is listed under, by its order; empty for an option that would be left out
   * of the help, such as one with no order at all (picocli's -1).
   */
  static Optional<Section> of(OptionSpec option) {
    Section found = null;
    for (Section section : SECTIONS) {
      if (option.order() >= section.from()) {
        found = section;
      }
    }
    return option.order() < END ? Optional.ofNullable(found) : Optional.empty();
  }

  @Override
  public String render(Help help) {
    StringBuilder text = new StringBuilder();
    for (Section section : SECTIONS) {
      List<OptionSpec> options =
          help.commandSpec().options().stream()
              .filter(o -> !o.hidden() && of(o).filter(section::equals).isPresent())
              .sorted(Comparator.comparingInt(OptionSpec::order))
              .toList();
      if (options.isEmpty()) {
        continue;
      }
      Help.Layout layout = help.createDefaultLayout();
      for (OptionSpec option : options) {
        layout.addOption(option, help.createDefaultParamLabelRenderer());
      }
      text.append(String.format("%n%s:%n", section.heading())).append(layout);
    }
    return text.toString();
  }
}

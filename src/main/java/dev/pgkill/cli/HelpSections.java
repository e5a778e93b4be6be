package dev.pgkill.cli;

import dev.pgkill.safety.Safety;

import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lists the options under headings (Action, Connection, Output, ...). picocli draws headings only
 * for argument groups, and argument groups refuse a repeated option, which psql's users rely on
 * (a later {@code -p} replaces an earlier one); so each option's {@code order} names its section.
 */
final class HelpSections implements CommandLine.IHelpSectionRenderer {
  /** Options whose order is at least {@code from} belong to the section, up to the next one. */
  record Section(String heading, int from) {}

  static final int ACTION = 10;
  static final int SELECTION = 20;
  static final int CONNECTION = 50;
  static final int SAFETY = 60;
  static final int OUTPUT = 70;
  static final int HELP = 90;

  private static final List<Section> SECTIONS =
      List.of(
          new Section("Action (exactly one of -c, -t, -l)", ACTION),
          new Section("Selection (options AND together; a repeated option ORs its values)", SELECTION),
          new Section("Connection", CONNECTION),
          new Section("Safety", SAFETY),
          new Section("Output", OUTPUT),
          new Section("Help", HELP));

  @Override
  public String render(Help help) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < SECTIONS.size(); i++) {
      int from = SECTIONS.get(i).from();
      int to = i + 1 < SECTIONS.size() ? SECTIONS.get(i + 1).from() : Integer.MAX_VALUE;
      List<OptionSpec> options =
          help.commandSpec().options().stream()
              .filter(o -> !o.hidden() && o.order() >= from && o.order() < to)
              .sorted(Comparator.comparingInt(OptionSpec::order))
              .toList();
      if (options.isEmpty()) {
        continue;
      }
      Help.Layout layout = help.createDefaultLayout();
      for (OptionSpec option : options) {
        layout.addOption(option, help.createDefaultParamLabelRenderer());
      }
      text.append(String.format("%n%s:%n", SECTIONS.get(i).heading())).append(layout);
    }
    return text.toString();
  }
}

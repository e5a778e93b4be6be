package dev.pgkill.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), as a scraper reads it: a line
 * it does not recognise, a label value with a bad escape, or a sample before its family's HELP and
 * TYPE is an error, so that a test which reads the server's answer also checks its form.
 */
record PrometheusText(Map<String, Family> families, List<Sample> samples) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE =
      Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  record Family(String help, String type) {}

  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusText parse(String text) {
    Map<String, String> helps = new HashMap<>();
    Map<String, Family> families = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher help = HELP.matcher(line);
      Matcher type = TYPE.matcher(line);
      if (help.matches()) {
        helps.put(help.group(1), unescapeHelp(help.group(2)));
      } else if (type.matches()) {
        if (!helps.containsKey(type.group(1))) {
          throw new IllegalArgumentException("TYPE before HELP: " + line);
        }
        families.put(type.group(1), new Family(helps.get(type.group(1)), type.group(2)));
      } else if (line.startsWith("#")) {
        throw new IllegalArgumentException("not a HELP or TYPE line: " + line);
      } else {
        Sample sample = sample(line);
        if (!families.containsKey(sample.name())) {
          throw new IllegalArgumentException("sample without its HELP and TYPE: " + line);
        }
        samples.add(sample);
      }
    }
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the last line does not end");
    }
    return new PrometheusText(families, samples);
  }

  /** The value of the one sample with this name and exactly these labels. */
  double value(String name, Map<String, String> labels) {
    List<Sample> found =
        samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + labels + " in " + samples);
    }
    return found.get(0).value();
  }

  /** Every sample of this name. */
  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static Sample sample(String line) {
    Matcher name = NAME.matcher(line);
    if (!name.lookingAt()) {
      throw new IllegalArgumentException("no metric name: " + line);
    }
    int at = name.end();
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < line.length() && line.charAt(at) == '{') {
      at++;
      while (line.charAt(at) != '}') {
        Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
        if (!label.lookingAt() || line.charAt(label.end()) != '=') {
          throw new IllegalArgumentException("bad label at " + at + ": " + line);
        }
        at = label.end() + 1;
        if (line.charAt(at) != '"') {
          throw new IllegalArgumentException("unquoted label value at " + at + ": " + line);
        }
        StringBuilder value = new StringBuilder();
        at++;
        for (char c = line.charAt(at); c != '"'; c = line.charAt(at)) {
          if (c == '\\') {
            char escaped = line.charAt(at + 1);
            value.append(
                switch (escaped) {
                  case '\\' -> '\\';
                  case '"' -> '"';
                  case 'n' -> '\n';
                  default ->
                      throw new IllegalArgumentException("bad escape \\" + escaped + ": " + line);
                });
            at += 2;
          } else {
            value.append(c);
            at++;
          }
        }
        at++;
        if (labels.put(label.group(), value.toString()) != null) {
          throw new IllegalArgumentException("label twice: " + line);
        }
        if (line.charAt(at) == ',') {
          at++;
        }
      }
      at++;
    }
    if (at >= line.length() || line.charAt(at) != ' ') {
      throw new IllegalArgumentException("no space before the value: " + line);
    }
    String[] rest = line.substring(at + 1).split(" ", -1);
    if (rest.length > 2) {
      throw new IllegalArgumentException("more than a value and a timestamp: " + line);
    }
    return new Sample(name.group(), labels, Double.parseDouble(rest[0]));
  }

  private static String unescapeHelp(String help) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      if (c == '\\') {
        char escaped = help.charAt(++i);
        text.append(
            switch (escaped) {
              case '\\' -> '\\';
              case 'n' -> '\n';
              default -> throw new IllegalArgumentException("bad escape in HELP: " + help);
            });
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}

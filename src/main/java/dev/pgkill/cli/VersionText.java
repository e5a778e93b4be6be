package dev.pgkill.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import org.postgresql.util.DriverInfo;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: pgkill's version and commit, the Java runtime and the JDBC driver,
 * the three things a bug report needs.
 */
final class VersionText implements IVersionProvider {
  @Override
  public String[] getVersion() {
    BuildInfo build = BuildInfo.load();
    // The VM's vendor through its management bean: java.lang.System is cli.Main's alone.
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    return new String[] {
      "pgkill "
          + build.version()
          + " (commit "
          + build.commit()
          + (build.modified() ? ", modified" : "")
          + ")",
      "Java " + Runtime.version() + " (" + runtime.getVmVendor() + ", " + runtime.getVmName() + ")",
      "PostgreSQL JDBC driver " + DriverInfo.DRIVER_VERSION
    };
  }
}

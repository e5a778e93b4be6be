import java.io.BufferedReader;
import java.io.FileReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The benchmark's victims: idle sessions named {@code bench-1}, {@code bench-2}, ... for pgkill and
 * psql to terminate. One JVM serves the whole benchmark, so refilling between two measured runs
 * costs only the connections, not a JVM start: each line {@code N} read from the command pipe
 * closes what is left of the previous sessions, opens N new ones, writes their PIDs (one per line)
 * to the PID file and answers {@code ready} on the answer pipe. End of input ends it.
 *
 * <p>Usage: {@code java Sessions.java JDBC_URL USER COMMAND_FIFO ANSWER_FIFO PID_FILE} with pgjdbc
 * on the class path. Not part of pgkill: bench/run compiles and runs it.
 */
public final class Sessions {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    Properties properties = new Properties();
    properties.setProperty("user", args[1]);
    Path pidFile = Path.of(args[4]);
    List<Connection> open = new ArrayList<>();
    try (BufferedReader commands = new BufferedReader(new FileReader(args[2]));
        PrintWriter answers = new PrintWriter(args[3])) {
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        int count = Integer.parseInt(line.trim());
        closeAll(open);
        StringBuilder pids = new StringBuilder();
        for (int i = 1; i <= count; i++) {
          properties.setProperty("ApplicationName", "bench-" + i);
          Connection connection = DriverManager.getConnection(url, properties);
          open.add(connection);
          try (Statement statement = connection.createStatement();
              ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
            row.next();
            pids.append(row.getInt(1)).append('\n');
          }
        }
        Path partial = Path.of(pidFile + ".partial");
        Files.writeString(partial, pids);
        Files.move(partial, pidFile, StandardCopyOption.REPLACE_EXISTING);
        answers.println("ready");
        answers.flush();
      }
    } finally {
      closeAll(open);
    }
  }

  private static void closeAll(List<Connection> connections) {
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Terminated already: that was the point.
      }
    }
    connections.clear();
  }

  private Sessions() {}
}

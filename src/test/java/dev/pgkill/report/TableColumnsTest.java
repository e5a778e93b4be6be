package dev.pgkill.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgkill.select.Filters;
import dev.pgkill.select.WaitEvent;
import dev.pgkill.text.UsageError;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableColumnsTest {
  @Test
  void chosenColumnsKeepTheirOrderOnceEachWithTheQueryLast() {
    TableColumns columns = TableColumns.chosen(List.of("query", "PID", "wait_event", "pid"));

    assertThat(columns.chosen())
        .containsExactly(SessionColumn.PID, SessionColumn.WAIT_EVENT, SessionColumn.QUERY);
    assertThat(columns.showsQuery()).isTrue();
    assertThat(TableColumns.chosen(List.of("pid")).showsQuery()).isFalse();
  }

  @Test
  void anUnknownColumnIsAUsageErrorListingTheValidOnes() {
    assertThatThrownBy(() -> TableColumns.chosen(List.of("pid", "waitevent")))
        .isInstanceOf(UsageError.class)
        .hasMessage(
            "invalid --columns: no column \"waitevent\"; expected some of pid,user,database,"
                + "application,client,client_hostname,client_port,backend_type,backend_start,state,"
                + "age,xmin_age,wait_event_type,wait_event,backend_xid,query_id,lock_wait,newest_in_group,query");
  }

  @Test
  void theDefaultTableAddsWhatTheSelectionChoseBy() {
    assertThat(TableColumns.showing(Filters.none())).isEqualTo(TableColumns.DEFAULT);
    assertThat(
            TableColumns.showing(
                    Filters.builder()
                        .waitEvents(List.of(WaitEvent.parse("Lock")))
                        .queryIds(List.of(42L))
                        .clientHostnames(List.of("*.example.com"))
                        .build())
                .added())
        .containsExactly(
            SessionColumn.CLIENT_HOSTNAME,
            SessionColumn.WAIT_EVENT_TYPE,
            SessionColumn.WAIT_EVENT,
            SessionColumn.QUERY_ID);
  }
}

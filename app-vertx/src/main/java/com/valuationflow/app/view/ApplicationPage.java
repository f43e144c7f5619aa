package com.valuationflow.app.view;

import com.valuationflow.domain.model.HistoryEvent;
import com.valuationflow.domain.model.WorkflowExecution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One loan application's page: the state machine with each state's status, the waiting task, the
 * input and the output or error (the summary, which the script refreshes as events arrive), and the
 * event history, paged.
 */
final class ApplicationPage {

  static final int HISTORY_PAGE_SIZE = 100;

  private final StateMachineGraph graph;
  private final Duration secondLength;
  private final Clock clock;

  ApplicationPage(StateMachineGraph graph, Duration secondLength, Clock clock) {
    this.graph = graph;
    this.secondLength = secondLength;
    this.clock = clock;
  }

  /**
   * The whole page.
   *
   * @param historyPage 1-based; 0 or beyond the last page shows the last one, which grows live
   */
  String render(WorkflowExecution execution, int historyPage) {
    String reference = execution.applicationReference().value();
    List<HistoryEvent> history = execution.history();
    int pages = Math.max(1, (history.size() + HISTORY_PAGE_SIZE - 1) / HISTORY_PAGE_SIZE);
    int page = historyPage < 1 || historyPage > pages ? pages : historyPage;
    boolean live = page == pages;
    long lastEventId = history.isEmpty() ? 0 : history.get(history.size() - 1).id();
    String base = ViewRoutes.applicationPath(reference);
    Html html =
        Layout.begin(
            "Loan application " + reference,
            new Html()
                .raw("data-page=\"application\" data-events=\"")
                .text(base + "/events")
                .raw("\" data-summary=\"")
                .text(base + "/summary")
                .raw("\" data-last-event-id=\"")
                .text(lastEventId)
                .raw("\"")
                .toString());
    html.raw("<header><p><a href=\"/\">\u2190 All loan applications</a></p>")
        .raw("<h1>Loan application <code>")
        .text(reference)
        .raw("</code></h1><p id=\"live\" class=\"live\" role=\"status\">")
        .raw(execution.status().isTerminal() ? "finished" : "connecting\u2026")
        .raw("</p></header><main><section id=\"summary\" aria-live=\"polite\">")
        .raw(summary(execution))
        .raw("</section><section><h2>Event history</h2>");
    pager(html, base, page, pages);
    html.raw("<table id=\"history\" data-live=\"")
        .text(live)
        .raw("\"><thead><tr><th>#</th><th>Time</th><th>Type</th><th>Details</th></tr></thead>")
        .raw("<tbody>");
    int from = (page - 1) * HISTORY_PAGE_SIZE;
    for (HistoryEvent event :
        history.subList(from, Math.min(history.size(), from + HISTORY_PAGE_SIZE))) {
      row(html, event);
    }
    html.raw("</tbody></table>");
    pager(html, base, page, pages);
    html.raw("</section></main>");
    return Layout.end(html);
  }

  private static void pager(Html html, String base, int page, int pages) {
    if (pages == 1) {
      return;
    }
    html.raw("<nav class=\"pager\" aria-label=\"History pages\">");
    if (page > 1) {
      html.raw("<a href=\"")
          .text(base + "?historyPage=" + (page - 1))
          .raw("\">\u2190 Earlier events</a> ");
    }
    html.raw("<span>Page ").text(page).raw(" of ").text(pages).raw("</span>");
    if (page < pages) {
      html.raw(" <a href=\"")
          .text(base + "?historyPage=" + (page + 1))
          .raw("\">Later events \u2192</a>");
    }
    html.raw("</nav>");
  }

  private static void row(Html html, HistoryEvent event) {
    html.raw("<tr data-event-id=\"")
        .text(event.id())
        .raw("\"><td>")
        .text(event.id())
        .raw("</td><td><time datetime=\"")
        .text(event.timestamp())
        .raw("\">")
        .text(Texts.time(event.timestamp()))
        .raw("</time></td><td>")
        .text(event.type())
        .raw("</td><td>");
    if (!event.details().isEmpty()) {
      html.raw("<dl>");
      for (Map.Entry<String, String> detail : new TreeMap<>(event.details()).entrySet()) {
        html.raw("<dt>")
            .text(detail.getKey())
            .raw("</dt><dd><pre>")
            .text(Texts.pretty(detail.getValue()))
            .raw("</pre></dd>");
      }
      html.raw("</dl>");
    }
    html.raw("</td></tr>");
  }

  /** The part the script refreshes: status, diagram, waiting task, input, output or error. */
  String summary(WorkflowExecution execution) {
    ExecutionProgress progress = ExecutionProgress.of(execution, graph, secondLength);
    String status = execution.status().name();
    Html html = new Html();
    html.raw("<p class=\"execution-status status-")
        .text(status.toLowerCase(java.util.Locale.ROOT))
        .raw("\" id=\"execution-status\" data-status=\"")
        .text(status)
        .raw("\">")
        .text(Statuses.symbol(execution.status()))
        .raw(" <strong>")
        .text(status)
        .raw("</strong> \u00b7 started ")
        .raw("<time datetime=\"")
        .text(execution.startDate())
        .raw("\">")
        .text(Texts.time(execution.startDate()))
        .raw("</time> \u00b7 ");
    Statuses.elapsed(html, execution.startDate(), execution.stopDate(), clock);
    html.raw("</p>");
    DiagramSvg.render(html, graph, progress);
    progress.waiting().ifPresent(waiting -> waiting(html, waiting));
    html.raw("<div class=\"documents\"><div><h2>Input</h2><pre id=\"input\">")
        .text(Texts.pretty(execution.input()))
        .raw("</pre></div>");
    execution
        .output()
        .ifPresent(
            output ->
                html.raw("<div><h2>Output</h2><pre id=\"output\">")
                    .text(Texts.pretty(output))
                    .raw("</pre></div>"));
    if (execution.error().isPresent() || execution.cause().isPresent()) {
      html.raw("<div><h2>Error</h2><p id=\"error\"><strong>")
          .text(execution.error().orElse(""))
          .raw("</strong></p><pre id=\"cause\">")
          .text(Texts.pretty(execution.cause().orElse("")))
          .raw("</pre></div>");
    }
    html.raw("</div>");
    return html.toString();
  }

  private void waiting(Html html, ExecutionProgress.WaitingTask waiting) {
    html.raw("<div class=\"waiting\" id=\"waiting\"><h2>\u25F7 Waiting</h2><p><strong>")
        .text(waiting.state())
        .raw("</strong> waits for the valuer's callback");
    waiting
        .valuationReference()
        .ifPresentOrElse(
            reference ->
                html.raw(" on valuation <code id=\"valuation-reference\">")
                    .text(reference)
                    .raw("</code>"),
            () -> html.raw(" (the valuer has not given its reference yet)"));
    html.raw(".</p><dl><dt>Since</dt><dd><time datetime=\"")
        .text(waiting.since())
        .raw("\">")
        .text(Texts.time(waiting.since()))
        .raw("</time> (")
        .raw("<span data-since=\"")
        .text(waiting.since())
        .raw("\">")
        .text(Texts.duration(Duration.between(waiting.since(), Instant.now(clock))))
        .raw("</span> ago)</dd><dt>Times out</dt><dd>");
    waiting
        .timesOutAt()
        .ifPresentOrElse(
            due ->
                html.raw("<time id=\"times-out\" datetime=\"")
                    .text(due)
                    .raw("\">")
                    .text(Texts.time(due))
                    .raw("</time>"),
            () -> html.raw("never (no timeout)"));
    html.raw("</dd></dl></div>");
  }
}

package com.valuationflow.app.view;

import com.valuationflow.domain.model.ExecutionPage;
import com.valuationflow.domain.model.ExecutionStatus;
import com.valuationflow.domain.model.WorkflowExecutionSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The start page: a form to submit a loan application (offering the mock valuer's scenarios when it
 * serves) and the applications, newest first, filtered by status.
 */
final class ApplicationsPage {

  static final int PAGE_SIZE = 25;

  /**
   * The mock valuer's reserved names, with what each does; empty when no mock valuer serves.
   *
   * @param trigger the {@code nameOrNumber} that selects the scenario
   */
  record Scenario(String trigger, String description) {}

  private final List<Scenario> scenarios;
  private final Clock clock;

  ApplicationsPage(List<Scenario> scenarios, Clock clock) {
    this.scenarios = List.copyOf(scenarios);
    this.clock = clock;
  }

  String render(ExecutionPage page, Optional<ExecutionStatus> filter, Optional<String> pageToken) {
    Html html = Layout.begin("Loan applications", "data-page=\"applications\"");
    html.raw("<header><h1>Loan applications</h1></header><main>");
    form(html);
    html.raw("<section><h2>Applications, newest first</h2>");
    filter(html, filter);
    html.raw("<table id=\"applications\"><thead><tr><th>Reference</th><th>Status</th>")
        .raw("<th>Started</th><th>Waited so far</th></tr></thead><tbody>");
    for (WorkflowExecutionSummary execution : page.executions()) {
      String reference = execution.applicationReference().value();
      html.raw("<tr data-reference=\"")
          .text(reference)
          .raw("\"><td><a href=\"")
          .text(ViewRoutes.applicationPath(reference))
          .raw("\">")
          .text(reference)
          .raw("</a></td><td class=\"status-")
          .text(execution.status().name().toLowerCase(Locale.ROOT))
          .raw("\">")
          .text(Statuses.symbol(execution.status()) + " " + execution.status().name())
          .raw("</td><td><time datetime=\"")
          .text(execution.startDate())
          .raw("\">")
          .text(Texts.time(execution.startDate()))
          .raw("</time></td><td>");
      Statuses.elapsed(html, execution.startDate(), execution.stopDate(), clock);
      html.raw("</td></tr>");
    }
    html.raw("</tbody></table>");
    if (page.executions().isEmpty()) {
      html.raw("<p>No loan applications")
          .text(filter.map(status -> " with status " + status.name()).orElse(""))
          .raw(" yet.</p>");
    }
    html.raw("<nav class=\"pager\">");
    if (pageToken.isPresent()) {
      html.raw("<a href=\"").text(listPath(filter, Optional.empty())).raw("\">Newest</a> ");
    }
    page.nextPageToken()
        .ifPresent(
            next ->
                html.raw("<a href=\"")
                    .text(listPath(filter, Optional.of(next)))
                    .raw("\" rel=\"next\">Older \u2192</a>"));
    html.raw("</nav></section></main>");
    return Layout.end(html);
  }

  private void form(Html html) {
    html.raw("<section><h2>Submit a loan application</h2>")
        .raw("<form id=\"submit-form\" action=\"/loan-applications\" method=\"post\">")
        .raw("<label>Application reference <input name=\"applicationReference\"")
        .raw(" id=\"applicationReference\" required maxlength=\"80\"></label>")
        .raw("<label>Property name or number <input name=\"nameOrNumber\" id=\"nameOrNumber\"")
        .raw(" required maxlength=\"100\" value=\"999\"");
    if (!scenarios.isEmpty()) {
      html.raw(" list=\"scenarios\"");
    }
    html.raw("></label><label>Postcode <input name=\"postcode\" id=\"postcode\" required")
        .raw(" maxlength=\"8\" value=\"PO1 1CE\"></label>")
        .raw("<button type=\"submit\" id=\"submit\">Submit</button>")
        .raw("<p id=\"form-problem\" class=\"problem\" role=\"alert\"></p></form>");
    if (!scenarios.isEmpty()) {
      html.raw("<datalist id=\"scenarios\">");
      scenarios.forEach(
          scenario -> html.raw("<option value=\"").text(scenario.trigger()).raw("\">"));
      html.raw("</datalist><details class=\"scenarios\"><summary>The mock valuer's scenarios")
          .raw(" (use one as the property's name or number)</summary><dl>");
      scenarios.forEach(
          scenario ->
              html.raw("<dt><code>")
                  .text(scenario.trigger())
                  .raw("</code></dt><dd>")
                  .text(scenario.description())
                  .raw("</dd>"));
      html.raw("<dt>anything else</dt><dd>a normal valuation after the valuer's delay</dd>")
          .raw("</dl></details>");
    }
    html.raw("</section>");
  }

  private static void filter(Html html, Optional<ExecutionStatus> filter) {
    html.raw("<nav class=\"filter\" aria-label=\"Filter by status\">Show: ");
    link(html, "All", listPath(Optional.empty(), Optional.empty()), filter.isEmpty());
    for (ExecutionStatus status : ExecutionStatus.values()) {
      html.raw(" ");
      link(
          html,
          status.name(),
          listPath(Optional.of(status), Optional.empty()),
          filter.equals(Optional.of(status)));
    }
    html.raw("</nav>");
  }

  private static void link(Html html, String label, String href, boolean current) {
    if (current) {
      html.raw("<strong aria-current=\"page\">").text(label).raw("</strong>");
    } else {
      html.raw("<a href=\"").text(href).raw("\">").text(label).raw("</a>");
    }
  }

  static String listPath(Optional<ExecutionStatus> status, Optional<String> pageToken) {
    StringBuilder path = new StringBuilder("/");
    String separator = "?";
    if (status.isPresent()) {
      path.append(separator).append("status=").append(status.get().name());
      separator = "&";
    }
    if (pageToken.isPresent()) {
      path.append(separator)
          .append("page=")
          .append(URLEncoder.encode(pageToken.get(), StandardCharsets.UTF_8));
    }
    return path.toString();
  }
}

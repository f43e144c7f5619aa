package com.valuationflow.app.view;

/** The frame of every page: its head, with the one stylesheet and the one script, all local. */
final class Layout {

  private Layout() {}

  static Html begin(String title, String bodyAttributes) {
    return new Html()
        .raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title)
        .raw(" · ValuationFlow</title>")
        .raw("<link rel=\"icon\" type=\"image/svg+xml\" href=\"")
        .text(ViewRoutes.ICON)
        .raw("\"><link rel=\"stylesheet\" href=\"")
        .text(ViewRoutes.STYLESHEET)
        .raw("\"><script src=\"")
        .text(ViewRoutes.SCRIPT)
        .raw("\" defer></script></head><body ")
        .raw(bodyAttributes)
        .raw(">");
  }

  static String end(Html html) {
    return html.raw("</body></html>").toString();
  }
}

package com.valuationflow.app.mockvaluer;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The URL prefixes the mock valuer may call back, so that it cannot be made to reach other hosts. A
 * URL matches a prefix with the same scheme, host and port and a path at or below the prefix's,
 * segment by segment; URLs with user info or {@code .}/{@code ..} path segments match none.
 */
public final class CallbackAllowlist {

  private final List<URI> prefixes;

  private CallbackAllowlist(List<URI> prefixes) {
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("at least one callback URL prefix is required");
    }
    this.prefixes = List.copyOf(prefixes);
  }

  public static CallbackAllowlist of(List<URI> prefixes) {
    return new CallbackAllowlist(prefixes);
  }

  public boolean allows(URI url) {
    if (!url.isAbsolute() || url.getHost() == null || url.getRawUserInfo() != null) {
      return false;
    }
    String path = url.getPath() == null ? "" : url.getPath();
    if (Arrays.stream(path.split("/"))
        .anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
      return false;
    }
    return prefixes.stream().anyMatch(prefix -> matches(prefix, url, path));
  }

  private static boolean matches(URI prefix, URI url, String path) {
    String prefixPath = prefix.getPath() == null ? "" : prefix.getPath();
    String base = prefixPath.endsWith("/") ? prefixPath : prefixPath + "/";
    return prefix.getScheme().equalsIgnoreCase(url.getScheme())
        && prefix.getHost().toLowerCase(Locale.ROOT).equals(url.getHost().toLowerCase(Locale.ROOT))
        && port(prefix) == port(url)
        && (path + "/").startsWith(base);
  }

  private static int port(URI url) {
    if (url.getPort() != -1) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  @Override
  public String toString() {
    return prefixes.toString();
  }
}

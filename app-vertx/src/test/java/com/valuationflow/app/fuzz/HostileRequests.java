package com.valuationflow.app.fuzz;

import static com.valuationflow.app.fuzz.JsonDoc.bytes;
import static com.valuationflow.app.fuzz.JsonDoc.obj;

import com.valuationflow.app.ScriptedValuer;
import com.valuationflow.app.fuzz.HostileRequest.Expected;
import com.valuationflow.app.fuzz.HostileRequest.Header;
import com.valuationflow.app.fuzz.JsonDoc.Member;
import com.valuationflow.app.fuzz.JsonDoc.Obj;
import com.valuationflow.app.fuzz.JsonDoc.Raw;
import com.valuationflow.app.http.ApiRouter;
import com.valuationflow.app.webhook.StandardWebhooks;
import com.valuationflow.app.webhook.WebhookSecret;
import com.valuationflow.app.webhook.WebhookSigner;
import com.valuationflow.app.webhook.WebhookVerifier;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates hostile requests for the webhook and the loan API. Each request depends on its seed and
 * index alone (and on the waiting applications it may aim at), so any one can be generated again.
 * None can legitimately resume a waiting application: a callback that names a waiting application's
 * correlation id and valuation reference is always unsigned, forged, stale, defective, too large or
 * not JSON, and validly signed callbacks otherwise quote references nobody waits for under that
 * key.
 */
final class HostileRequests {

  static final int LIMIT = ApiRouter.BODY_LIMIT_BYTES;

  private static final String WEBHOOK = "/webhooks/valuations";
  private static final String LOANS = "/loan-applications";
  private static final String JSON = "application/json";
  private static final String VR = "valuationReference";
  private static final String PV = "propertyValue";
  private static final Set<String> CALLBACK_FIELDS = Set.of(VR, PV, "failed", "reason");
  private static final long STALE_SECONDS = WebhookVerifier.DEFAULT_TOLERANCE.toSeconds() + 60;
  private static final WebhookSecret OTHER_SECRET =
      WebhookSecret.parse("whsec_9bJcwOWCvEezBjOdbyrxL+pkSGIfvRnDREk+jMdEGiU=");

  /** What a generated body resembles before it is broken. */
  private enum Flavour {
    CALLBACK,
    FAILURE,
    LOAN,
    ANYTHING
  }

  /** An application waiting on the scripted valuer, as the fuzzer may aim at it. */
  record Waiting(String applicationReference, String correlationId, String valuationReference) {}

  /** What a request tries, and how often (per hundred). */
  enum Kind {
    /** Validly signed; any body, quoting only references nobody waits for. */
    SIGNED_DECOY(20),
    /** Validly signed, aimed at a waiting application, but broken in a way that must be refused. */
    SIGNED_DEFECTIVE(13),
    /** Validly signed, a waiting application's reference under another correlation id. */
    SIGNED_CROSSED(3),
    /** Validly signed and aimed, but not declared as JSON. */
    SIGNED_NOT_JSON(3),
    /** Validly signed and aimed, but larger than the body limit. */
    SIGNED_OVERSIZED(1),
    /** Aimed, with missing, garbled, misapplied or foreign-key signature headers. */
    FORGED(10),
    /** Aimed and correctly signed, but at a time outside the tolerance. */
    STALE(4),
    /** No signature headers, any body and content type. */
    UNSIGNED(5),
    LOAN_SUBMISSION(22),
    LOAN_LOOKUP(12),
    /** Other methods and paths, oversized request lines and headers. */
    OTHER(7);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  private static final Kind[] BY_ROLL =
      Arrays.stream(Kind.values())
          .flatMap(kind -> java.util.Collections.nCopies(kind.weight, kind).stream())
          .toArray(Kind[]::new);

  private final List<Waiting> waiting;
  private final WebhookSigner signer = new WebhookSigner(ScriptedValuer.SECRET, Clock.systemUTC());
  private final WebhookSigner forger = new WebhookSigner(OTHER_SECRET, Clock.systemUTC());

  HostileRequests(List<Waiting> waiting) {
    if (waiting.size() < 2) {
      throw new IllegalArgumentException("crossed callbacks need two waiting applications");
    }
    this.waiting = List.copyOf(waiting);
  }

  /** The request at this index of this seed's sequence. */
  HostileRequest generate(long seed, int index) {
    Draw draw = new Draw(seed, index);
    draw.kind = BY_ROLL[draw.random.nextInt(BY_ROLL.length)];
    switch (draw.kind) {
      case SIGNED_DECOY -> draw.signedDecoy();
      case SIGNED_DEFECTIVE -> draw.signedDefective();
      case SIGNED_CROSSED -> draw.signedCrossed();
      case SIGNED_NOT_JSON -> draw.signedNotJson();
      case SIGNED_OVERSIZED -> draw.signedOversized();
      case FORGED -> draw.forged();
      case STALE -> draw.stale();
      case UNSIGNED -> draw.unsigned();
      case LOAN_SUBMISSION -> draw.loanSubmission();
      case LOAN_LOOKUP -> draw.loanLookup();
      case OTHER -> draw.other();
    }
    return new HostileRequest(
        seed,
        index,
        draw.kind,
        draw.method,
        draw.uri,
        List.copyOf(draw.headers),
        draw.body,
        draw.expected);
  }

  // Pools of values. Every INVALID_* one is invalid by the documented rules.

  private static final String[] INVALID_VALUES = {
    "0",
    "-0",
    "0.00",
    "-1",
    "-250000",
    "0.001",
    "1.005",
    "250000.999",
    "1000000000000",
    "1e12",
    "1E+12",
    "99999999999999999999",
    "1e999999999",
    "-1e999999999",
    "1e-400",
    "1e-999999999",
    "1e2147483648",
    "1e-2147483649",
    "1e9223372036854775808",
    "1" + "0".repeat(70),
    "0." + "0".repeat(70) + "1",
    "\"250000\"",
    "\"\"",
    "true",
    "false",
    "null",
    "[]",
    "[250000]",
    "{}",
    "{\"amount\":250000}",
    "NaN",
    "Infinity",
    "-Infinity",
    "+1",
    "01",
    "1.",
    ".5",
    "0x10",
    "1_000",
    "1e",
    "--1",
    "2.5.0",
    "\uFF11"
  };

  private static final String[] ODD_NUMBERS = {
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "1.005",
    "250000",
    "999999999999.99",
    "1000000000000",
    "1e12",
    "1E+2",
    "1e-400",
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "1e2147483647",
    "1e2147483648",
    "1e-2147483648",
    "1e-2147483649",
    "1e9223372036854775808",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "+1",
    "01",
    "00",
    "1.",
    ".5",
    "0x1F",
    "1e",
    "1e+",
    "--1",
    "1_000",
    "2.5.0",
    "1 000",
    "0.1e1",
    "1E400",
    "-"
  };

  private static final Object[] NON_BOOLEANS = {
    "true", "false", "yes", Raw.of("1"), Raw.of("0"), null, List.of(), obj(), Raw.of("True")
  };

  private static final Object[] INVALID_REASONS = {
    null,
    "",
    " ",
    "\t",
    "\u0000",
    "ok\u0007",
    "line\nbreak",
    "del\u007f",
    "nel\u0085",
    "x".repeat(2001),
    "\u00e9".repeat(2001),
    Raw.of("42"),
    true,
    List.of("x"),
    obj("text", "x")
  };

  private static final String[] NAMES = {
    VR,
    PV,
    "failed",
    "reason",
    "applicationReference",
    "property",
    "nameOrNumber",
    "postcode",
    "__proto__",
    "constructor",
    "$where",
    "",
    " ",
    "PropertyValue",
    "valuationreference",
    "status",
    "outcome",
    "correlationId",
    "webhook-id",
    "callbackUrl",
    "\u0000",
    "\uD800"
  };

  private static final String[] STRANGE_STRINGS = {
    "",
    " ",
    "\t",
    "\u0000",
    "\u001f",
    "\u007f",
    "\u0085",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u202e",
    "\ufeff",
    "\uffff",
    "\uD800",
    "\uDFFF",
    "\uDC00\uD800",
    "\uD83D\uDE00",
    "e\u0301",
    "\u00e9",
    "\u65e5\u672c",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "%s%n%x",
    "{0}{1}",
    "${jndi:ldap://x/a}",
    "\\",
    "\"",
    "null",
    "val-",
    "PO1 1CE",
    "a\r\nSet-Cookie: x=1",
    "x".repeat(129),
    "x".repeat(2001)
  };

  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0xC0, (byte) 0x80},
    {(byte) 0xC1, (byte) 0x81},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE0, (byte) 0x80, (byte) 0x81},
    {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x81},
    {(byte) 0x80},
    {(byte) 0xBF},
    {(byte) 0xFF},
    {(byte) 0xFE},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
  };

  private static final String[] SPECIAL_DOCUMENTS = {
    "",
    " ",
    "\n",
    "\r\n",
    "null",
    "true",
    "0",
    "-",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "{",
    "}",
    "[",
    "]",
    "{\"\":\"\"}",
    "{\"a\"}",
    "{\"a\":}",
    "{,}",
    "{\"a\":1,}",
    "[1,]",
    "{}{}",
    "{} {}",
    "{}\n",
    "/*c*/{}",
    "//c\n{}",
    "{'a':1}",
    "{a:1}",
    "NaN",
    "undefined",
    "<x/>",
    "a=b&c=d",
    "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--",
    "\u0000",
    "\ufeff{}",
    "\ufeff\ufeff{}",
    "{\"a\":\"\\x41\"}",
    "{\"a\":\"\\u12\"}",
    "{\"a\":\"\\uZZZZ\"}",
    "{\"a\":\"\\'\"}",
    "{\"a\":\"unterminated}",
    "[\"\\ud800\"]",
    "{\"a\":1}}",
    "{{}}",
    "[[]",
    "{\"a\":[}",
    "\f{}",
    "\u000b{}",
    "{}\u0000"
  };

  private static final String[] JSON_TYPES = {
    JSON,
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "Application/JSON",
    "application/json; charset=iso-8859-1",
    "application/json; charset=utf-16"
  };

  private static final String[] ODD_TYPES = {
    "application/problem+json",
    "application/vnd.api+json",
    "application/json-patch+json",
    "application/jsonx",
    "text/json",
    "text/plain",
    "text/plain; charset=utf-8",
    "*/*",
    "application/*",
    "*/json",
    "",
    ";",
    "/",
    "application/",
    "/json",
    "json",
    "application/json, text/plain",
    "application/json; charset=\"",
    "application/json;;;",
    "application/json; a=b; c",
    "application/json; charset=",
    "application/json ; q=0.1",
    "multipart/form-data; boundary=xyz",
    "application/x-www-form-urlencoded",
    "application/xml",
    "application/octet-stream",
    "application/json\t",
    "app\u00e9lication/json"
  };

  private static final String[] NOT_JSON_TYPES = {
    "text/plain",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/html",
    "application/octet-stream",
    "image/png"
  };

  private static final String[] EXTRA_HEADER_NAMES = {
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Cookie",
    "Origin",
    "Referer",
    "User-Agent",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "Forwarded",
    "Content-Encoding",
    "Content-Language",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "X-Request-Id",
    "X-HTTP-Method-Override",
    "Expect",
    "Cache-Control",
    "Prefer"
  };

  private static final String[] OTHER_PATHS = {
    "/",
    "/health",
    "/health/",
    "/HEALTH",
    "/health?x=1",
    LOANS,
    LOANS + "/",
    LOANS + "//x",
    LOANS + "/a/b",
    "/webhooks",
    WEBHOOK,
    WEBHOOK + "/",
    WEBHOOK + "/x",
    "/webhooks/%76aluations",
    "//webhooks/valuations",
    "/%2e%2e/health",
    LOANS + "/..%2f..%2fhealth",
    LOANS + "/%2e%2e",
    "/favicon.ico",
    "/.well-known/security.txt",
    "*",
    "/%",
    "/%zz",
    "/%00",
    "/a;b=c"
  };

  private static final HttpMethod[] METHODS = {
    HttpMethod.GET,
    HttpMethod.POST,
    HttpMethod.PUT,
    HttpMethod.DELETE,
    HttpMethod.PATCH,
    HttpMethod.HEAD,
    HttpMethod.OPTIONS,
    HttpMethod.TRACE,
    HttpMethod.valueOf("FUZZ"),
    HttpMethod.valueOf("PROPFIND")
  };

  private static final Charset[] OTHER_ENCODINGS = {
    StandardCharsets.UTF_16BE,
    StandardCharsets.UTF_16LE,
    StandardCharsets.UTF_16,
    Charset.forName("UTF-32BE"),
    Charset.forName("UTF-32LE")
  };

  /** Control bytes that JSON does not take for whitespace. */
  private static final Byte[] NOT_WHITESPACE_CONTROLS = {
    0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F
  };

  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** The choices made for one request. */
  private final class Draw {

    final SplittableRandom random;
    final long seed;
    final int index;
    Kind kind;
    HttpMethod method = HttpMethod.POST;
    String uri;
    final List<Header> headers = new ArrayList<>();
    byte[] body;
    Expected expected = Expected.ANSWERED;

    Draw(long seed, int index) {
      this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
      this.seed = seed;
      this.index = index;
    }

    // The kinds.

    void signedDecoy() {
      uri = webhookPath() + correlationQuery();
      body = anyBody(random.nextInt(10) < 8 ? Flavour.CALLBACK : pick(Flavour.values()));
      contentType(random.nextInt(10) < 8 ? JSON : anyContentType());
      signedHeaders(true);
      extraHeaders();
      expected =
          uri.startsWith(WEBHOOK + "?") || uri.equals(WEBHOOK)
              ? Expected.REFUSED
              : Expected.ANSWERED;
    }

    void signedDefective() {
      Waiting target = target();
      uri = WEBHOOK + aimedQuery(target);
      body = defectiveCallback(target.valuationReference());
      contentType(pick(JSON_TYPES));
      signedHeaders(true);
      extraHeaders();
      expected = Expected.REFUSED;
    }

    void signedCrossed() {
      Waiting target = target();
      Waiting other = waiting.get((waiting.indexOf(target) + 1) % waiting.size());
      uri =
          WEBHOOK
              + switch (random.nextInt(4)) {
                case 0 -> "?correlationId=" + randomCorrelationId();
                case 1 -> "";
                default -> "?correlationId=" + target.correlationId();
              };
      body = bytes(validCallback(other.valuationReference()));
      contentType(JSON);
      signedHeaders(false);
      expected = Expected.exactly(404);
    }

    void signedNotJson() {
      Waiting target = target();
      uri = WEBHOOK + aimedQuery(target);
      body = bytes(validCallback(target.valuationReference()));
      if (random.nextInt(5) > 0) {
        contentType(pick(NOT_JSON_TYPES));
      }
      signedHeaders(false);
      expected = Expected.exactly(415);
    }

    void signedOversized() {
      Waiting target = target();
      uri = WEBHOOK + aimedQuery(target);
      body = paddedTo(bytes(validCallback(target.valuationReference())), LIMIT + 1 + overBy());
      contentType(JSON);
      signedHeaders(false);
      expected = Expected.exactly(413);
    }

    void forged() {
      Waiting target = target();
      uri = WEBHOOK + aimedQuery(target);
      body =
          random.nextBoolean()
              ? bytes(validCallback(target.valuationReference()))
              : anyBody(Flavour.CALLBACK);
      contentType(JSON);
      forgedHeaders();
      expected = Expected.exactly(body.length > LIMIT ? 413 : 401);
    }

    void stale() {
      Waiting target = target();
      uri = WEBHOOK + aimedQuery(target);
      body = bytes(validCallback(target.valuationReference()));
      contentType(JSON);
      long now = Clock.systemUTC().instant().getEpochSecond();
      long timestamp =
          switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 999_999_999_999_999L;
            case 2 -> now + STALE_SECONDS + random.nextLong(1, 10L * 365 * 86_400);
            default -> now - STALE_SECONDS - random.nextLong(0, 10L * 365 * 86_400);
          };
      String id = messageId(true);
      header(StandardWebhooks.ID, id);
      header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
      header(StandardWebhooks.SIGNATURE, signer.signature(id, timestamp, body));
      expected = Expected.exactly(401);
    }

    void unsigned() {
      uri = webhookPath() + correlationQuery();
      body =
          random.nextBoolean()
              ? bytes(validCallback(target().valuationReference()))
              : anyBody(pick(Flavour.values()));
      if (random.nextInt(10) > 0) {
        contentType(random.nextBoolean() ? JSON : anyContentType());
      }
      extraHeaders();
      expected =
          uri.startsWith(WEBHOOK + "?") || uri.equals(WEBHOOK)
              ? Expected.REFUSED
              : Expected.ANSWERED;
    }

    void loanSubmission() {
      uri = LOANS + (random.nextInt(10) == 0 ? "?" + junkQuery() : "");
      body = anyBody(Flavour.LOAN);
      if (random.nextInt(20) > 0) {
        contentType(random.nextInt(10) < 8 ? JSON : anyContentType());
      }
      extraHeaders();
    }

    void loanLookup() {
      method = HttpMethod.GET;
      String query = random.nextInt(8) == 0 ? "?" + junkQuery() : "";
      if (random.nextInt(6) == 0) {
        uri = LOANS + "/" + target().applicationReference() + query;
        // A malformed query string is a 400.
        expected = query.isEmpty() ? Expected.exactly(200) : Expected.ANSWERED;
        return;
      }
      uri = LOANS + "/" + pathSegment() + query;
      extraHeaders();
    }

    void other() {
      method = pick(METHODS);
      uri = pick(OTHER_PATHS);
      switch (random.nextInt(6)) {
        case 0 -> uri = uri + (uri.contains("?") ? "&" : "?") + junkQuery();
        case 1 -> uri = "/" + pathSegment() + "/" + pathSegment();
        case 2 -> uri = LOANS + "?q=" + "a".repeat(random.nextInt(4_000, 20_000));
        case 3 -> header("X-Fuzz", headerValue(random.nextInt(7_000, 20_000)));
        case 4 -> {
          for (int i = random.nextInt(50, 300); i > 0; i--) {
            header("X-Fuzz-" + i, headerValue(random.nextInt(1, 100)));
          }
        }
        default -> extraHeaders();
      }
      if (method != HttpMethod.GET && method != HttpMethod.HEAD && random.nextBoolean()) {
        body = anyBody(pick(Flavour.values()));
        if (random.nextBoolean()) {
          contentType(random.nextBoolean() ? JSON : anyContentType());
        }
      }
    }

    // Headers.

    void header(String name, String value) {
      headers.add(new Header(name, value));
    }

    void contentType(String type) {
      header("Content-Type", type);
    }

    /**
     * A new message id; now and then (if allowed) one of a few shared by requests that are refused
     * anyway, so that whichever comes first is answered and the others get its answer again.
     */
    String messageId(boolean mayReuse) {
      if (mayReuse && random.nextInt(20) == 0) {
        return "fz-" + seed + "-shared-" + random.nextInt(20);
      }
      return "fz-" + seed + "-" + index;
    }

    /** Valid Standard Webhooks headers, the valid signature sometimes among others. */
    void signedHeaders(boolean mayReuse) {
      String id = messageId(mayReuse);
      long timestamp = Clock.systemUTC().instant().getEpochSecond();
      String signature = signer.signature(id, timestamp, body);
      header(StandardWebhooks.ID, id);
      header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
      header(
          StandardWebhooks.SIGNATURE,
          switch (random.nextInt(8)) {
            case 0 -> "v1," + base64(random.nextInt(1, 64)) + " " + signature;
            case 1 -> "v2," + base64(32) + " " + signature;
            case 2 -> forger.signature(id, timestamp, body) + " " + signature;
            default -> signature;
          });
    }

    /** Signature headers that must not pass: missing, garbled, misapplied or foreign-keyed. */
    void forgedHeaders() {
      String id = messageId(true);
      long timestamp = Clock.systemUTC().instant().getEpochSecond();
      String ts = Long.toString(timestamp);
      String valid = signer.signature(id, timestamp, body);
      switch (random.nextInt(11)) {
        case 0 -> {
          int keep = random.nextInt(7);
          if ((keep & 1) != 0) {
            header(StandardWebhooks.ID, id);
          }
          if ((keep & 2) != 0) {
            header(StandardWebhooks.TIMESTAMP, ts);
          }
          if ((keep & 4) != 0) {
            header(StandardWebhooks.SIGNATURE, valid);
          }
        }
        case 1 -> {
          int empty = random.nextInt(3);
          header(StandardWebhooks.ID, empty == 0 ? "" : id);
          header(StandardWebhooks.TIMESTAMP, empty == 1 ? "" : ts);
          header(StandardWebhooks.SIGNATURE, empty == 2 ? "" : valid);
        }
        case 2 -> {
          String badId =
              pick(
                  new String[] {
                    "msg.1", "fz." + index, "m".repeat(257), "m\u00e9", "m 1", "m\t1", "\u00ff"
                  });
          header(StandardWebhooks.ID, badId);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(StandardWebhooks.SIGNATURE, signatureOver(badId, ts, body));
        }
        case 3 -> {
          String badTs =
              pick(
                  new String[] {
                    "abc",
                    "-1",
                    "1.5",
                    "1e9",
                    "+" + ts,
                    "1" + "0".repeat(15),
                    "0x10",
                    ts + "a",
                    "\u00b9"
                  });
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, badTs);
          header(StandardWebhooks.SIGNATURE, signatureOver(id, badTs, body));
        }
        case 4 -> {
          String mac = valid.substring(3);
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(
              StandardWebhooks.SIGNATURE,
              pick(
                  new String[] {
                    "v1",
                    "v1,",
                    "v1,!!!",
                    "v1,AAAA",
                    "V1," + mac,
                    "v2," + mac,
                    "v1;" + mac,
                    mac,
                    "v1 ," + mac,
                    "v1,," + mac,
                    "v1,%" + mac,
                    "v1," + mac.substring(0, 22),
                    "v1=" + mac
                  }));
        }
        case 5 -> {
          byte[] other = Arrays.copyOf(body, body.length + 1);
          other[body.length] = ' ';
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(StandardWebhooks.SIGNATURE, signer.signature(id, timestamp, other));
        }
        case 6 -> {
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(StandardWebhooks.SIGNATURE, forger.signature(id, timestamp, body));
        }
        case 7 -> {
          boolean otherId = random.nextBoolean();
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(
              StandardWebhooks.SIGNATURE,
              otherId
                  ? signer.signature(id + "x", timestamp, body)
                  : signer.signature(id, timestamp + 1, body));
        }
        case 8 -> {
          byte[] mac = java.util.Base64.getDecoder().decode(valid.substring(3));
          mac[random.nextInt(mac.length)] ^= (byte) (1 << random.nextInt(8));
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(
              StandardWebhooks.SIGNATURE,
              "v1," + java.util.Base64.getEncoder().encodeToString(mac));
        }
        case 9 -> {
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(StandardWebhooks.SIGNATURE, forger.signature(id, timestamp, body));
          header(StandardWebhooks.SIGNATURE, "v1," + base64(32));
        }
        default -> {
          StringBuilder many = new StringBuilder();
          for (int i = random.nextInt(2, 60); i > 0; i--) {
            many.append(i > 1 ? "v1," + base64(32) + " " : "v1," + base64(32));
          }
          header(StandardWebhooks.ID, id);
          header(StandardWebhooks.TIMESTAMP, ts);
          header(StandardWebhooks.SIGNATURE, many.toString());
        }
      }
    }

    /**
     * The signature over these values; for a timestamp that is not whole seconds (which the signer
     * cannot take) any MAC does, as its format is refused first.
     */
    String signatureOver(String id, String timestamp, byte[] signed) {
      try {
        return signer.signature(id, Long.parseLong(timestamp), signed);
      } catch (NumberFormatException e) {
        return signer.signature(id, 0, concat(timestamp.getBytes(StandardCharsets.UTF_8), signed));
      }
    }

    void extraHeaders() {
      if (random.nextInt(7) != 0) {
        return;
      }
      for (int i = random.nextInt(1, 4); i > 0; i--) {
        String name =
            random.nextInt(4) == 0 ? "X-" + word(random.nextInt(1, 30)) : pick(EXTRA_HEADER_NAMES);
        header(name, headerValue(random.nextInt(0, random.nextInt(10) == 0 ? 4_000 : 60)));
      }
    }

    /**
     * Visible ASCII, inner spaces and tabs, and Latin-1 bytes; never leading or trailing blanks.
     */
    String headerValue(int length) {
      StringBuilder value = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        int roll = random.nextInt(20);
        boolean edge = i == 0 || i == length - 1;
        if (roll == 0 && !edge) {
          value.append(random.nextBoolean() ? ' ' : '\t');
        } else if (roll == 1) {
          value.append((char) random.nextInt(0x80, 0x100));
        } else {
          value.append((char) random.nextInt(0x21, 0x7F));
        }
      }
      return value.toString();
    }

    String anyContentType() {
      return random.nextInt(5) == 0
          ? pick(JSON_TYPES)
          : random.nextInt(8) == 0 ? headerValue(random.nextInt(1, 300)) : pick(ODD_TYPES);
    }

    // URIs.

    Waiting target() {
      return waiting.get(random.nextInt(waiting.size()));
    }

    String webhookPath() {
      return random.nextInt(15) == 0 ? pick(OTHER_PATHS) : WEBHOOK;
    }

    /** The target's own correlation id, now and then with more parameters after it. */
    String aimedQuery(Waiting target) {
      String query = "?correlationId=" + target.correlationId();
      return random.nextInt(8) == 0 ? query + "&" + junkQuery() : query;
    }

    String correlationQuery() {
      return switch (random.nextInt(12)) {
        case 0, 1, 2, 3, 4 -> "?correlationId=" + target().correlationId();
        case 5 -> "?correlationId=" + randomCorrelationId();
        case 6 -> "?correlationId=" + word(random.nextInt(1, 300));
        case 7 -> "";
        case 8 -> "?" + junkQuery();
        case 9 -> "?correlationId=" + target().correlationId() + "&correlationId=" + junkValue();
        case 10 -> "?correlationId=" + junkValue();
        default ->
            pick(
                new String[] {
                  "?correlationId",
                  "?correlationId=",
                  "?correlationid=" + target().correlationId(),
                  "?correlationId[]=" + target().correlationId(),
                  "?&&&",
                  "?=",
                  "?;",
                  "?%",
                  "?correlationId=" + target().correlationId() + "%00",
                  "?correlationId=%" + target().correlationId(),
                  "?correlationId=c-%41%41"
                });
      };
    }

    String randomCorrelationId() {
      return "c-" + base64Url(22);
    }

    String junkQuery() {
      StringBuilder query = new StringBuilder();
      for (int i = random.nextInt(1, 5); i > 0; i--) {
        query.append(random.nextBoolean() ? word(random.nextInt(0, 12)) : junkValue());
        if (random.nextBoolean()) {
          query.append('=').append(junkValue());
        }
        if (i > 1) {
          query.append(pick(new String[] {"&", ";", "&&"}));
        }
      }
      return query.toString();
    }

    /** Printable ASCII other than space, percent-encoding (sometimes wrongly) the rest. */
    String junkValue() {
      return switch (random.nextInt(6)) {
        case 0 -> percentEncoded(pick(STRANGE_STRINGS));
        case 1 -> pick(new String[] {"%", "%z", "%zz", "%2", "%E2%82", "%C0%AF", "%FF%FE", "+"});
        case 2 -> visibleAscii(random.nextInt(0, 40));
        case 3 -> "a".repeat(random.nextInt(250, 600));
        default -> word(random.nextInt(0, 20));
      };
    }

    String pathSegment() {
      return switch (random.nextInt(10)) {
        case 0, 1, 2 -> "fz" + word(random.nextInt(1, 20));
        case 3 -> percentEncoded(pick(STRANGE_STRINGS));
        case 4 ->
            pick(
                new String[] {
                  "",
                  ".",
                  "..",
                  "%2e%2e",
                  "%2E",
                  "a%2Fb",
                  "a%2fb",
                  "%",
                  "%zz",
                  "%2",
                  "%00",
                  "%C0%AF",
                  "%FF",
                  "a;b=c",
                  "a%3Bb",
                  "%20",
                  "+",
                  "~",
                  "a%252Fb",
                  "%u0041",
                  "%E2%82%AC"
                });
        case 5 -> word(random.nextInt(79, 83));
        case 6 -> word(random.nextInt(3_000, 6_000));
        case 7 -> visibleAscii(random.nextInt(1, 30)).replace("?", "%3F").replace("#", "%23");
        default -> word(random.nextInt(1, 12));
      };
    }

    String percentEncoded(String text) {
      StringBuilder encoded = new StringBuilder();
      for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xFF;
        if (c > 0x20 && c < 0x7F && c != '%' && c != '&' && c != '#' && c != '?' && c != '/') {
          encoded.append((char) c);
        } else {
          encoded.append('%').append(String.format("%02X", c));
        }
      }
      return encoded.toString();
    }

    // Bodies.

    /** A valid callback (a result or a failure report) quoting this reference. */
    Obj validCallback(String reference) {
      return random.nextInt(4) == 0
          ? obj(VR, reference, "failed", true, "reason", validReason())
          : obj(VR, reference, PV, validValue());
    }

    Raw validValue() {
      long pounds = random.nextLong(1, 999_999_999_999L);
      return Raw.of(
          switch (random.nextInt(5)) {
            case 0 -> pounds + "." + random.nextInt(10, 100);
            case 1 -> pounds + ".5";
            case 2 -> random.nextInt(1, 999) + "E3";
            default -> Long.toString(pounds);
          });
    }

    String validReason() {
      return switch (random.nextInt(3)) {
        case 0 -> "Property could not be accessed";
        case 1 -> "Zugang verweigert \u2013 \uD83C\uDFE0";
        default -> visibleAscii(random.nextInt(1, 200));
      };
    }

    /** A callback quoting the reference that any reading of the documented rules refuses. */
    byte[] defectiveCallback(String reference) {
      Obj valid = validCallback(reference);
      return switch (random.nextInt(18)) {
        case 0 -> bytes(obj(VR, reference, PV, Raw.of(pick(INVALID_VALUES))));
        case 1 -> bytes(obj(VR, reference));
        case 2 ->
            bytes(
                shuffled(
                    obj(VR, reference, PV, validValue(), "failed", true, "reason", validReason())));
        case 3 ->
            bytes(
                random.nextInt(4) == 0
                    ? obj(VR, reference, "failed", true)
                    : obj(VR, reference, "failed", true, "reason", pickObject(INVALID_REASONS)));
        case 4 ->
            bytes(
                shuffled(obj(VR, reference, PV, validValue(), "failed", pickObject(NON_BOOLEANS))));
        case 5 ->
            bytes(
                random.nextBoolean()
                    ? obj(VR, reference, PV, validValue(), "reason", validReason())
                    : obj(
                        VR, reference, PV, validValue(), "failed", false, "reason", validReason()));
        case 6 -> {
          String name = random.nextBoolean() ? pick(NAMES) : visibleAscii(random.nextInt(1, 20));
          valid
              .members()
              .add(
                  random.nextInt(valid.members().size() + 1),
                  new Member(CALLBACK_FIELDS.contains(name) ? name + "_" : name, randomValue(0)));
          yield bytes(valid);
        }
        case 7 -> {
          Member repeated = pick(valid.members());
          valid.members().add(random.nextInt(valid.members().size() + 1), repeated);
          yield bytes(valid);
        }
        case 8 ->
            concat(
                bytes(valid),
                utf8(
                    (random.nextBoolean() ? " " : "")
                        + pick(
                            new String[] {
                              "x", "{}", ",", "]", "}", "null", "\u0000", "/**/", "0"
                            })));
        case 9 -> {
          byte[] whole = bytes(valid);
          yield Arrays.copyOf(whole, random.nextInt(whole.length));
        }
        case 10 -> {
          Object mangled =
              switch (random.nextInt(6)) {
                case 0 -> List.of(reference);
                case 1 -> obj("value", reference);
                case 2 -> reference + " ";
                case 3 -> " " + reference;
                case 4 -> reference + "\u0000";
                default -> Raw.of("\"" + reference);
              };
          valid.members().set(0, new Member(VR, mangled));
          yield bytes(valid);
        }
        case 11 ->
            random.nextBoolean()
                ? bytes(List.of(valid))
                : random.nextBoolean() ? bytes(JsonDoc.text(valid)) : bytes(obj("callback", valid));
        case 12 -> {
          valid.members().add(new Member("extra", new Raw(nesting(random.nextInt(17, 200), true))));
          yield bytes(valid);
        }
        case 13 -> {
          byte[] bad = pick(INVALID_UTF8);
          Object spoilt =
              new Raw(
                  concat(
                      utf8("\"" + reference.substring(0, 4)),
                      bad,
                      utf8(reference.substring(4) + "\"")));
          yield random.nextBoolean()
              ? bytes(obj(VR, spoilt, PV, validValue()))
              : bytes(
                  obj(
                      VR,
                      reference,
                      "failed",
                      true,
                      "reason",
                      new Raw(concat(utf8("\"Could not "), bad, utf8(" access\"")))));
        }
        case 14 -> JsonDoc.text(valid).getBytes(pick(OTHER_ENCODINGS));
        case 15 ->
            switch (random.nextInt(3)) {
              case 0 ->
                  bytes(
                      obj(
                          VR,
                          reference,
                          "failed",
                          true,
                          "reason",
                          new Raw(
                              concat(
                                  utf8("\"a"),
                                  new byte[] {(byte) random.nextInt(0x20)},
                                  utf8("b\"")))));
              case 1 ->
                  utf8(
                      JsonDoc.text(valid)
                          .replaceFirst(
                              ",",
                              pick(
                                  new String[] {
                                    "\f,", "\u000b,", "\u00a0,", "\u2028,", "\u0000,"
                                  })));
              default -> concat(new byte[] {pick(NOT_WHITESPACE_CONTROLS)}, bytes(valid));
            };
        case 16 -> {
          String text = JsonDoc.text(valid);
          yield utf8(
              switch (random.nextInt(5)) {
                case 0 -> "/* c */" + text;
                case 1 -> text.replace('"', '\'');
                case 2 -> text.replace("\"" + VR + "\"", VR);
                case 3 -> text.substring(0, text.length() - 1) + ",}";
                default -> "{," + text.substring(1);
              });
        }
        default ->
            bytes(
                obj(
                    VR,
                    reference,
                    "failed",
                    true,
                    "reason",
                    "r"
                        .repeat(
                            random.nextInt(8) == 0
                                ? random.nextInt(16_385, 60_000)
                                : pick(new int[] {2_001, 2_002, 16_384, 16_385}))));
      };
    }

    /** Something like the flavour's body: mutated, broken, re-encoded, nested, padded or odd. */
    byte[] anyBody(Flavour flavour) {
      Obj template = template(flavour);
      int roll = random.nextInt(40);
      return switch (roll < 12 ? 0 : roll < 18 ? 1 : roll < 21 ? 2 : roll - 18) {
        case 0 -> bytes(treeMutated(template, random.nextInt(1, 4)));
        case 1 -> byteMutated(bytes(template), random.nextInt(1, 5));
        case 2, 3, 4 -> bytes(randomValue(0));
        case 5, 6 -> deeplyNested(template);
        case 7, 8 -> {
          Member member = pick(template.members());
          template
              .members()
              .set(template.members().indexOf(member), new Member(member.name(), oddNumber()));
          yield bytes(template);
        }
        case 9, 10 -> longString(template);
        case 11, 12, 13 -> utf8(pick(SPECIAL_DOCUMENTS));
        case 14, 15, 16 -> strangeText(template);
        case 17, 18 -> {
          Member repeated = pick(template.members());
          template
              .members()
              .add(
                  random.nextInt(template.members().size() + 1),
                  random.nextBoolean() ? repeated : new Member(repeated.name(), randomValue(1)));
          yield bytes(template);
        }
        case 19, 20 ->
            random.nextInt(3) == 0
                ? concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(template))
                : JsonDoc.text(template).getBytes(pick(OTHER_ENCODINGS));
        case 21 -> paddedTo(bytes(template), LIMIT - 2 + random.nextInt(5));
        case 22 -> bytes(template);
        default -> {
          template
              .members()
              .replaceAll(member -> new Member(member.name(), wrongType(member.value())));
          yield bytes(template);
        }
      };
    }

    Obj template(Flavour flavour) {
      return switch (flavour) {
        case CALLBACK ->
            obj(VR, decoyReference(), PV, random.nextBoolean() ? validValue() : oddNumber());
        case FAILURE ->
            obj(
                VR,
                decoyReference(),
                "failed",
                true,
                "reason",
                random.nextBoolean() ? validReason() : pickObject(STRANGE_STRINGS));
        case LOAN ->
            obj(
                "applicationReference",
                loanReference(),
                "property",
                obj("nameOrNumber", nameOrNumber(), "postcode", postcode()));
        case ANYTHING ->
            randomValue(0) instanceof Obj any && !any.members().isEmpty()
                ? any
                : obj(word(3), randomValue(1));
      };
    }

    /** Never a waiting application's reference: those are {@code val-} and a random UUID. */
    String decoyReference() {
      return switch (random.nextInt(6)) {
        case 0, 1 -> "val-" + word(random.nextInt(1, 36));
        case 2 -> visibleAscii(random.nextInt(1, 129));
        case 3 -> visibleAscii(random.nextInt(129, 300));
        default -> pick(STRANGE_STRINGS);
      };
    }

    String loanReference() {
      return switch (random.nextInt(10)) {
        case 0, 1, 2 -> "fz" + word(random.nextInt(1, 20));
        case 3 -> target().applicationReference();
        case 4 -> word(random.nextInt(80, 83));
        default -> pick(STRANGE_STRINGS);
      };
    }

    String nameOrNumber() {
      return switch (random.nextInt(4)) {
        case 0 -> Integer.toString(random.nextInt(1, 1000));
        case 1 -> "x".repeat(random.nextInt(99, 102));
        default -> pick(STRANGE_STRINGS);
      };
    }

    String postcode() {
      return random.nextInt(3) == 0
          ? pick(STRANGE_STRINGS)
          : pick(
              new String[] {
                "PO1 1CE", "SW1A 1AA", "po11ce", "PO1  1CE", "nowhere", "P01 1CE", "EC1A1BB"
              });
    }

    Object randomValue(int depth) {
      int roll = random.nextInt(depth > 4 ? 5 : 8);
      return switch (roll) {
        case 0 -> pickObject(STRANGE_STRINGS);
        case 1 -> oddNumber();
        case 2 -> random.nextBoolean();
        case 3 -> null;
        case 4 -> word(random.nextInt(0, 12));
        case 5 -> {
          List<Object> array = new ArrayList<>();
          for (int i = random.nextInt(0, 5); i > 0; i--) {
            array.add(randomValue(depth + 1));
          }
          yield array;
        }
        default -> {
          Obj object = obj();
          for (int i = random.nextInt(0, 5); i > 0; i--) {
            object
                .members()
                .add(
                    new Member(
                        random.nextBoolean() ? pick(NAMES) : word(random.nextInt(0, 8)),
                        randomValue(depth + 1)));
          }
          yield object;
        }
      };
    }

    Object wrongType(Object value) {
      if (value instanceof String) {
        return random.nextBoolean() ? oddNumber() : List.of(value);
      }
      if (value instanceof Obj) {
        return random.nextBoolean() ? JsonDoc.text(value) : List.of();
      }
      return random.nextBoolean() ? JsonDoc.text(value) : obj("value", value);
    }

    Raw oddNumber() {
      return Raw.of(
          switch (random.nextInt(6)) {
            case 0 -> digits(pick(new int[] {20, 63, 64, 65, 100, 1_000, 5_000}));
            case 1 -> "0." + "0".repeat(random.nextInt(1, 100)) + "1";
            case 2 -> "1e" + (random.nextBoolean() ? "-" : "") + digits(random.nextInt(1, 25));
            default -> pick(ODD_NUMBERS);
          });
    }

    Obj treeMutated(Obj root, int mutations) {
      for (int i = 0; i < mutations; i++) {
        List<Obj> objects = new ArrayList<>();
        collectObjects(root, objects);
        Obj target = pick(objects);
        if (target.members().isEmpty()) {
          target.members().add(new Member(pick(NAMES), randomValue(1)));
          continue;
        }
        int at = random.nextInt(target.members().size());
        Member member = target.members().get(at);
        switch (random.nextInt(8)) {
          case 0 -> target.members().set(at, new Member(member.name(), randomValue(1)));
          case 1 -> target.members().remove(at);
          case 2 ->
              target
                  .members()
                  .add(
                      random.nextInt(target.members().size() + 1),
                      new Member(pick(NAMES), randomValue(1)));
          case 3 ->
              target
                  .members()
                  .set(
                      at,
                      new Member(
                          pick(
                              new String[] {
                                member.name().toUpperCase(java.util.Locale.ROOT),
                                member.name() + " ",
                                "",
                                pick(NAMES),
                                member.name() + "\u0000"
                              }),
                          member.value()));
          case 4 -> target.members().add(at, member);
          case 5 ->
              target
                  .members()
                  .set(
                      at,
                      new Member(
                          member.name(),
                          random.nextBoolean()
                              ? List.of(member.value() == null ? "" : member.value())
                              : obj("value", member.value())));
          case 6 -> target.members().set(at, new Member(member.name(), oddNumber()));
          default ->
              target.members().set(at, new Member(member.name(), pickObject(STRANGE_STRINGS)));
        }
      }
      return root;
    }

    void collectObjects(Object value, List<Obj> objects) {
      if (value instanceof Obj obj) {
        objects.add(obj);
        obj.members().forEach(member -> collectObjects(member.value(), objects));
      } else if (value instanceof List<?> list) {
        list.forEach(element -> collectObjects(element, objects));
      }
    }

    byte[] byteMutated(byte[] original, int mutations) {
      byte[] bytes = original;
      for (int i = 0; i < mutations && bytes.length > 0; i++) {
        int at = random.nextInt(bytes.length);
        bytes =
            switch (random.nextInt(6)) {
              case 0 -> {
                byte[] flipped = bytes.clone();
                flipped[at] = interestingByte();
                yield flipped;
              }
              case 1 ->
                  concat(
                      Arrays.copyOf(bytes, at),
                      new byte[] {interestingByte()},
                      Arrays.copyOfRange(bytes, at, bytes.length));
              case 2 ->
                  concat(
                      Arrays.copyOf(bytes, at),
                      Arrays.copyOfRange(
                          bytes, Math.min(bytes.length, at + random.nextInt(1, 10)), bytes.length));
              case 3 ->
                  concat(
                      Arrays.copyOf(bytes, at),
                      Arrays.copyOfRange(
                          bytes, at, Math.min(bytes.length, at + random.nextInt(1, 20))),
                      Arrays.copyOfRange(bytes, at, bytes.length));
              case 4 -> Arrays.copyOf(bytes, at);
              default ->
                  concat(
                      Arrays.copyOf(bytes, at),
                      pick(INVALID_UTF8),
                      Arrays.copyOfRange(bytes, at, bytes.length));
            };
      }
      return bytes;
    }

    byte interestingByte() {
      return (byte)
          pick(
              new int[] {
                '"',
                '\\',
                '{',
                '}',
                '[',
                ']',
                ',',
                ':',
                '0',
                '9',
                '-',
                'e',
                '.',
                ' ',
                0x00,
                0x1F,
                0x7F,
                0x80,
                0xC0,
                0xFF,
                random.nextInt(256)
              });
    }

    byte[] deeplyNested(Obj template) {
      int depth =
          random.nextInt(6) == 0
              ? pick(new int[] {10_000, 30_000, 40_000})
              : pick(new int[] {15, 16, 17, 18, 32, 100, 1_000});
      byte[] nested = nesting(depth, random.nextInt(4) > 0);
      if (random.nextBoolean()) {
        return nested;
      }
      template.members().add(new Member(pick(NAMES), new Raw(nested)));
      return bytes(template);
    }

    /** Arrays or objects nested to this depth, closed or (now and then) not. */
    byte[] nesting(int depth, boolean closed) {
      boolean arrays = depth > 10_000 || random.nextBoolean();
      ByteArrayOutputStream out = new ByteArrayOutputStream(depth * 6);
      byte[] open = arrays ? new byte[] {'['} : utf8("{\"a\":");
      for (int i = 0; i < depth; i++) {
        out.writeBytes(open);
      }
      out.writeBytes(utf8("1"));
      if (closed) {
        for (int i = 0; i < depth; i++) {
          out.write(arrays ? ']' : '}');
        }
      }
      return out.toByteArray();
    }

    byte[] longString(Obj template) {
      int length =
          random.nextInt(8) == 0
              ? pick(new int[] {20_000, 65_535, 65_536, 70_000})
              : pick(new int[] {80, 81, 100, 101, 128, 129, 2_000, 2_001, 16_383, 16_384, 16_385});
      String filler = pick(new String[] {"a", "\u00e9", "\uD83D\uDE00", "\"", "\u0000"});
      Object value =
          random.nextInt(5) == 0
              ? Raw.of("\"" + "\\u0041".repeat(length) + "\"")
              : filler.repeat(Math.max(1, length / filler.length()));
      List<Member> members = template.members();
      int at = random.nextInt(members.size() + 1);
      if (at == members.size()) {
        members.add(new Member(word(4), value));
      } else {
        members.set(at, new Member(members.get(at).name(), value));
      }
      return bytes(template);
    }

    byte[] strangeText(Obj template) {
      List<Member> members = template.members();
      int at = random.nextInt(members.size());
      Object value =
          switch (random.nextInt(4)) {
            case 0 -> new Raw(concat(utf8("\"a"), pick(INVALID_UTF8), utf8("b\"")));
            case 1 ->
                new Raw(concat(utf8("\"a"), new byte[] {(byte) random.nextInt(0x20)}, utf8("b\"")));
            case 2 ->
                Raw.of(
                    "\""
                        + pick(
                            new String[] {
                              "\\ud800",
                              "\\udfff",
                              "\\udc00\\ud800",
                              "\\u0000",
                              "\\x41",
                              "\\u12",
                              "\\uZZZZ",
                              "\\'",
                              "\\"
                            })
                        + "\"");
            default -> pickObject(STRANGE_STRINGS);
          };
      members.set(at, new Member(members.get(at).name(), value));
      return bytes(template);
    }

    /** The document with whitespace before its last byte, to exactly this many bytes. */
    byte[] paddedTo(byte[] document, int size) {
      if (document.length >= size) {
        return document;
      }
      byte[] padded = new byte[size];
      System.arraycopy(document, 0, padded, 0, document.length - 1);
      Arrays.fill(padded, document.length - 1, size - 1, (byte) ' ');
      padded[size - 1] = document[document.length - 1];
      return padded;
    }

    /** How far past the limit: mostly a little, now and then a lot. */
    int overBy() {
      return random.nextInt(50) == 0 ? random.nextInt(LIMIT, 16 * LIMIT) : random.nextInt(0, 4_096);
    }

    <T> T shuffled(T obj) {
      if (obj instanceof Obj object) {
        List<Member> members = object.members();
        for (int i = members.size() - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          Member swap = members.get(i);
          members.set(i, members.get(j));
          members.set(j, swap);
        }
      }
      return obj;
    }

    // Small things.

    String word(int length) {
      StringBuilder word = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        word.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
      }
      return word.toString();
    }

    String visibleAscii(int length) {
      StringBuilder text = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        text.append((char) random.nextInt(0x21, 0x7F));
      }
      return text.toString();
    }

    String digits(int length) {
      StringBuilder digits = new StringBuilder(length).append((char) ('1' + random.nextInt(9)));
      for (int i = 1; i < length; i++) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
      return digits.toString();
    }

    String base64(int bytes) {
      byte[] random = new byte[bytes];
      for (int i = 0; i < bytes; i++) {
        random[i] = (byte) this.random.nextInt(256);
      }
      return java.util.Base64.getEncoder().encodeToString(random);
    }

    String base64Url(int length) {
      String alphabet = ALPHANUMERIC + "-_";
      StringBuilder text = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return text.toString();
    }

    <T> T pick(T[] choices) {
      return choices[random.nextInt(choices.length)];
    }

    <T> T pick(List<T> choices) {
      return choices.get(random.nextInt(choices.size()));
    }

    Object pickObject(Object[] choices) {
      return choices[random.nextInt(choices.length)];
    }

    int pick(int[] choices) {
      return choices[random.nextInt(choices.length)];
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

package com.valuationflow.infra.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.valuationflow.infra.local.Authorizer;
import com.valuationflow.infra.local.AwsServiceError;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One function's URL (auth type {@code NONE}), on a loopback port: each HTTP request becomes a
 * payload format 2.0 event, the function's result the HTTP response, as Lambda function URLs do.
 * Every request is authorized first, as the anonymous caller needs both {@code
 * lambda:InvokeFunctionUrl} and {@code lambda:InvokeFunction} on the function; a refusal answers
 * 403, a function error 502 {@code Internal Server Error}, a body over 6 MB 413.
 */
public final class FunctionUrlServer implements AutoCloseable {

  /** The largest request body, the largest synchronous invocation payload. */
  public static final int MAX_BODY_BYTES = LambdaErrors.MAX_REQUEST_BYTES;

  private static final String FORBIDDEN =
      "Forbidden. For troubleshooting Function URL authorization issues, see:"
          + " https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html";

  private final LocalLambda lambda;
  private final String functionArn;
  private final Authorizer authorizer;
  private final String urlId;
  private final LoopbackServer server;

  /**
   * Serves the URL of a function of the local Lambda on a free loopback port. The function may be
   * created after its URL, as CloudFormation may create them in either order.
   *
   * @param functionArn the function's unqualified ARN
   */
  public FunctionUrlServer(LocalLambda lambda, String functionArn, Authorizer authorizer) {
    this.lambda = Objects.requireNonNull(lambda, "'lambda' must not be null");
    this.authorizer = Objects.requireNonNull(authorizer, "'authorizer' must not be null");
    if (functionArn == null
        || !functionArn.matches("arn:aws[a-z-]*:lambda:[^:]+:\\d{12}:function:[^:]+")) {
      throw new IllegalArgumentException("Not an unqualified function ARN: '" + functionArn + "'");
    }
    this.functionArn = functionArn;
    this.urlId = urlId(this.functionArn);
    this.server = new LoopbackServer("function-url-" + urlId.substring(0, 8), this::handle);
  }

  /** The URL, such as {@code http://127.0.0.1:40123/}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  /** The URL's ID, as in {@code https://<url-id>.lambda-url.<region>.on.aws}: 32 characters. */
  public String urlId() {
    return urlId;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String requestId = UUID.randomUUID().toString();
      send(exchange, requestId, respond(exchange, requestId));
    }
  }

  private FunctionUrlResponse respond(HttpExchange exchange, String requestId) throws IOException {
    try {
      authorizer.authorize(Authorizer.ANONYMOUS, "lambda:InvokeFunctionUrl", functionArn);
      authorizer.authorize(Authorizer.ANONYMOUS, "lambda:InvokeFunction", functionArn);
    } catch (AwsServiceError e) {
      if (e.code().equals("AccessDeniedException")) {
        return FunctionUrlResponse.error(403, "AccessDeniedException", FORBIDDEN);
      }
      throw e;
    }
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      return tooLarge();
    }
    String traceId =
        "Root=1-"
            + Long.toHexString(Instant.now().getEpochSecond())
            + "-"
            + requestId.replace("-", "").substring(0, 24);
    byte[] event =
        FunctionUrlEvent.of(exchange, body, urlId, requestId, traceId, Instant.now())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    InvokeResult result;
    try {
      result = lambda.invoke(functionArn, event, requestId);
    } catch (AwsServiceError e) {
      if (e.code().equals("RequestTooLargeException")) {
        return tooLarge();
      }
      return FunctionUrlResponse.error(e.status(), e.code(), e.getMessage());
    }
    return result.failed()
        ? FunctionUrlResponse.badGateway()
        : FunctionUrlResponse.of(result.payload());
  }

  private static FunctionUrlResponse tooLarge() {
    return FunctionUrlResponse.error(
        413, "RequestTooLargeException", LambdaErrors.requestTooLarge().getMessage());
  }

  private static void send(HttpExchange exchange, String requestId, FunctionUrlResponse response)
      throws IOException {
    var headers = exchange.getResponseHeaders();
    for (Map.Entry<String, String> header : response.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    headers.set("x-amzn-RequestId", requestId);
    boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
    if (!noBody) {
      exchange.getResponseBody().write(response.body());
    }
  }

  /** A stable ID for a function: 32 lower-case letters and digits. */
  private static String urlId(String functionArn) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(functionArn.getBytes(StandardCharsets.UTF_8));
      String hex = HexFormat.of().formatHex(digest);
      return new java.math.BigInteger(hex, 16).toString(36).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

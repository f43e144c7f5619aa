package com.valuationflow.infra.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local deployment's one AWS endpoint, on loopback, for every service of the AWS JSON
 * protocols: {@code POST} with {@code X-Amz-Target: <prefix>.<Operation>}.
 *
 * <p>Each request is authenticated by the access key of its SigV4 {@code Authorization} header,
 * which names a principal (signatures are not verified), then authorized with the {@link
 * Authorizer}: {@code <iamPrefix>:<Operation>} on the resource the service names. Registered {@link
 * AwsJsonService}s answer by target prefix; DynamoDB requests ({@code DynamoDB_20120810.*}) are
 * forwarded to DynamoDB Local, after authorizing {@code dynamodb:<Operation>} on each table they
 * touch. Errors are answered as the services answer them, {@code {"__type": code, "message": ...}};
 * a failure of the gateway itself is a 500 {@code InternalFailure} without details. {@link Faults}
 * switched on make it answer authorized requests as an unavailable service would.
 */
public final class LocalAwsGateway implements AutoCloseable {

  /** The {@code X-Amz-Target} prefix of DynamoDB requests. */
  public static final String DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810";

  private static final String DYNAMODB_ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
  private static final String DYNAMODB_CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final System.Logger LOG = System.getLogger(LocalAwsGateway.class.getName());

  private final Map<String, AwsJsonService> services;
  private final DynamoDbForwarder dynamoDb;
  private final DynamoDbGrants dynamoDbGrants;
  private final Authorizer authorizer;
  private final Faults faults;
  private final InjectedLatency latency;
  private final Callers callers = new Callers();
  private final int maxBodyBytes;
  private final HttpServer server;
  private final ExecutorService threads;

  private LocalAwsGateway(Builder builder) throws IOException {
    this.services = Map.copyOf(builder.services);
    this.dynamoDb = builder.dynamoDb == null ? null : new DynamoDbForwarder(builder.dynamoDb);
    this.dynamoDbGrants = new DynamoDbGrants(builder.region, builder.accountId);
    this.authorizer = builder.authorizer;
    this.faults = builder.faults;
    this.latency = builder.latency;
    this.maxBodyBytes = builder.maxBodyBytes;
    builder.accessKeys.forEach(callers::add);
    this.threads = pool(builder.threads);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static Builder builder(String region, String accountId) {
    return new Builder(region, accountId);
  }

  /** Where SDK clients send requests: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create(
        "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  /** The latency added to calls; its rules may change at any time. */
  public InjectedLatency latency() {
    return latency;
  }

  /** Lets callers with this access key act as the principal, from now on. */
  public void addAccessKey(String accessKeyId, String principalArn) {
    callers.add(accessKeyId, principalArn);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String prefix =
        target == null || target.indexOf('.') < 0
            ? ""
            : target.substring(0, target.lastIndexOf('.'));
    boolean isDynamoDb = prefix.equals(DYNAMODB_TARGET_PREFIX);
    AwsJsonService service = services.get(prefix);
    String contentType = service != null ? service.contentType() : DYNAMODB_CONTENT_TYPE;
    GatewayResponse response;
    try {
      response = route(exchange, target, prefix, service);
    } catch (AwsServiceError e) {
      response = GatewayResponse.error(e, contentType, isDynamoDb ? DYNAMODB_ERROR_PREFIX : "");
    } catch (RuntimeException e) {
      // The class and place only: a message may quote the request, and with it a task token.
      LOG.log(
          System.Logger.Level.WARNING,
          "A local AWS request for "
              + target
              + " failed: "
              + e.getClass().getName()
              + (e.getStackTrace().length == 0 ? "" : " at " + e.getStackTrace()[0]));
      response =
          GatewayResponse.error(
              new AwsServiceError("InternalFailure", "The request could not be processed", 500),
              contentType,
              isDynamoDb ? DYNAMODB_ERROR_PREFIX : "");
    }
    send(exchange, response);
  }

  private GatewayResponse route(
      HttpExchange exchange, String target, String prefix, AwsJsonService service) {
    if (!exchange.getRequestMethod().equals("POST")) {
      throw new AwsServiceError(
          "UnknownOperationException", "The AWS JSON protocols take POST requests only", 404);
    }
    boolean isDynamoDb = prefix.equals(DYNAMODB_TARGET_PREFIX) && dynamoDb != null;
    String operation = target == null ? "" : target.substring(target.lastIndexOf('.') + 1);
    if (service == null && !isDynamoDb || operation.isEmpty()) {
      throw AwsServiceError.of(
          "UnknownOperationException",
          target == null ? "No X-Amz-Target header" : "Unknown operation: " + target);
    }
    String principal =
        callers.principal(
            exchange.getRequestHeaders().getFirst("Authorization"), isDynamoDb ? 400 : 403);
    byte[] body = RequestBodies.read(exchange, maxBodyBytes);
    JsonNode request = RequestBodies.json(body);
    if (isDynamoDb) {
      List<DynamoDbGrants.Grant> grants = dynamoDbGrants.of(operation, request);
      for (DynamoDbGrants.Grant grant : grants) {
        authorizer.authorize(principal, grant.action(), grant.resource());
      }
      String action = "dynamodb:" + operation;
      latency.beforeCall(action);
      Optional<GatewayResponse> fault = faults.dynamoDb(principal, grants);
      if (fault.isPresent()) {
        latency.beforeAnswer(action);
        return fault.get();
      }
      GatewayResponse response = dynamoDb.forward(exchange.getRequestHeaders(), body);
      latency.beforeAnswer(action);
      return response;
    }
    String resource = service.resourceOf(operation, request);
    String action = service.iamPrefix() + ":" + operation;
    authorizer.authorize(principal, action, resource);
    latency.beforeCall(action);
    GatewayResponse response =
        GatewayResponse.json(200, service.contentType(), service.call(operation, request));
    latency.beforeAnswer(action);
    return response;
  }

  private static void send(HttpExchange exchange, GatewayResponse response) {
    try (exchange) {
      response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
      exchange.sendResponseHeaders(
          response.status(), response.body().length == 0 ? -1 : response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "A local AWS client went away before its answer", e);
    }
  }

  private static ExecutorService pool(int size) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "local-aws-gateway-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Options of a {@link LocalAwsGateway}. */
  public static final class Builder {
    private final String region;
    private final String accountId;
    private final Map<String, AwsJsonService> services = new LinkedHashMap<>();
    private final Map<String, String> accessKeys = new LinkedHashMap<>();
    private URI dynamoDb;
    private Authorizer authorizer = Authorizer.allowAll();
    private Faults faults = new Faults();
    private InjectedLatency latency = new InjectedLatency();
    private int port;
    private int threads = 32;
    private int maxBodyBytes = 16 * 1024 * 1024;

    private Builder(String region, String accountId) {
      this.region = Objects.requireNonNull(region, "'region' must not be null");
      this.accountId = Objects.requireNonNull(accountId, "'accountId' must not be null");
    }

    /** Serves a service under its {@link AwsJsonService#targetPrefix()}. */
    public Builder service(AwsJsonService service) {
      Objects.requireNonNull(service, "'service' must not be null");
      if (services.putIfAbsent(service.targetPrefix(), service) != null
          || service.targetPrefix().equals(DYNAMODB_TARGET_PREFIX)) {
        throw new IllegalArgumentException(
            "A service with target prefix '" + service.targetPrefix() + "' is served already");
      }
      return this;
    }

    /** Where DynamoDB Local listens, such as {@code http://127.0.0.1:8000}. */
    public Builder dynamoDb(URI endpoint) {
      this.dynamoDb = Objects.requireNonNull(endpoint, "'endpoint' must not be null");
      return this;
    }

    /** Callers with this access key act as the principal (a role or user ARN). */
    public Builder accessKey(String accessKeyId, String principalArn) {
      accessKeys.put(
          Objects.requireNonNull(accessKeyId, "'accessKeyId' must not be null"),
          Objects.requireNonNull(principalArn, "'principalArn' must not be null"));
      return this;
    }

    public Builder accessKeys(Map<String, String> principalsByAccessKey) {
      principalsByAccessKey.forEach(this::accessKey);
      return this;
    }

    /** Default: {@link Authorizer#allowAll()}. */
    public Builder authorizer(Authorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "'authorizer' must not be null");
      return this;
    }

    /** The faults to inject; default none, ever. */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "'faults' must not be null");
      return this;
    }

    /** Default: none, until rules are set on {@link LocalAwsGateway#latency()}. */
    public Builder latency(InjectedLatency latency) {
      this.latency = Objects.requireNonNull(latency, "'latency' must not be null");
      return this;
    }

    /** The loopback port; default 0, any free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("'port' must be 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** How many requests are served at once; default 32. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("'threads' must be positive, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The largest request body, decoded; default 16 MiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("'maxBodyBytes' must be positive, was " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Starts the gateway.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public LocalAwsGateway start() {
      try {
        return new LocalAwsGateway(this);
      } catch (IOException e) {
        throw new UncheckedIOException("The local AWS gateway could not start", e);
      }
    }
  }
}

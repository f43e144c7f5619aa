package com.valuationflow.aws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local as a real HTTP server, started in this JVM on a free port the first time a test
 * needs it and stopped when the JVM exits. As an extension it resolves {@link DynamoDbClient}
 * parameters, of test methods or of {@code @BeforeAll} methods, with clients closed after the
 * method or class.
 *
 * <p>DynamoDB Local listens on every interface; clients reach it on the loopback address.
 */
public final class DynamoDbLocal implements ParameterResolver {

  public static final String REGION = "eu-west-2";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DynamoDbLocal.class);
  private static final int START_ATTEMPTS = 3;

  private static URI endpoint;

  public static synchronized URI endpoint() {
    if (endpoint == null) {
      endpoint = startServer();
    }
    return endpoint;
  }

  /** Client settings pointing at DynamoDB Local, with dummy credentials. */
  public static AwsClients clients() {
    return AwsClients.forRegion(REGION)
        .withEndpointOverride(endpoint())
        .withStaticCredentials("local", "local");
  }

  public static DynamoDbClient newClient() {
    return clients().newDynamoDbClient();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DynamoDbClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(DynamoDbClient.class, key -> newClient(), DynamoDbClient.class);
  }

  private static URI startServer() {
    Exception last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = freeLoopbackPort();
      try {
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-disableTelemetry", "-port", String.valueOf(port)});
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "dynamodb-local-stop"));
        return URI.create("http://127.0.0.1:" + port);
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException("DynamoDB Local did not start", last);
  }

  private static void stop(DynamoDBProxyServer server) {
    try {
      server.stop();
    } catch (Exception e) {
      // The JVM is exiting; nothing is left to clean up.
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

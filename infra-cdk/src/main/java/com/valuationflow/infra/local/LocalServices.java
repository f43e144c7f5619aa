package com.valuationflow.infra.local;

import com.valuationflow.infra.local.iam.LocalIam;
import com.valuationflow.infra.local.lambda.LocalLambda;
import com.valuationflow.infra.local.secrets.LocalSecretsManager;
import com.valuationflow.infra.local.stepfunctions.LocalStepFunctions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local AWS services that stacks are deployed into, and what they share: the region and
 * account, the principals and IAM, one endpoint for the SDKs, and a working directory. Closing it
 * stops everything it started, newest first.
 */
final class LocalServices implements AutoCloseable {

  private final String region;
  private final String account;
  private final Path workDirectory;
  private final Principals principals;
  private final LocalIam iam = new LocalIam();
  private final Faults faults = new Faults();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, FunctionLogging> functionLogs = new ConcurrentHashMap<>();

  /**
   * Requests the endpoint serves at once: injected latency sleeps on a request's thread, and the
   * service keeps no client waiting for another's latency, so a thousand calls may wait at once.
   * Idle threads end after a minute.
   */
  private static final int GATEWAY_THREADS = 2048;

  private final LocalDynamoDb dynamoDb;
  private final LocalStepFunctions stepFunctions;
  private final LocalSecretsManager secretsManager;
  private final LocalLambda lambda;
  private final LocalAwsGateway gateway;

  LocalServices(String region, String account, Path workDirectory) {
    this(region, account, workDirectory, new InjectedLatency());
  }

  /**
   * @param latency the latency the endpoint adds to calls
   */
  LocalServices(String region, String account, Path workDirectory, InjectedLatency latency) {
    this.region = region;
    this.account = account;
    this.workDirectory = workDirectory;
    try {
      this.dynamoDb = add(LocalDynamoDb.start());
      this.stepFunctions = add(new LocalStepFunctions(region, account));
      this.secretsManager = new LocalSecretsManager(region, account);
      this.gateway =
          add(
              LocalAwsGateway.builder(region, account)
                  .service(stepFunctions)
                  .service(secretsManager)
                  .dynamoDb(dynamoDb.endpoint())
                  .authorizer(iam)
                  .faults(faults)
                  .latency(latency)
                  .threads(GATEWAY_THREADS)
                  .start());
      this.principals = new Principals(account, gateway::addAccessKey);
      this.lambda = add(new LocalLambda(workDirectory.resolve("logs")));
      lambda.onFirstInvocation(function -> writesLogs(function.arn()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  String region() {
    return region;
  }

  String account() {
    return account;
  }

  Path workDirectory() {
    return workDirectory;
  }

  Principals principals() {
    return principals;
  }

  LocalIam iam() {
    return iam;
  }

  Faults faults() {
    return faults;
  }

  InjectedLatency latency() {
    return gateway.latency();
  }

  LocalDynamoDb dynamoDb() {
    return dynamoDb;
  }

  LocalStepFunctions stepFunctions() {
    return stepFunctions;
  }

  LocalSecretsManager secretsManager() {
    return secretsManager;
  }

  LocalLambda lambda() {
    return lambda;
  }

  /** The one endpoint of every service, for {@code AWS_ENDPOINT_URL}. */
  URI endpoint() {
    return gateway.endpoint();
  }

  /** A function's unqualified ARN from its name or ARN, as Lambda accepts either. */
  String functionArn(String nameOrArn) {
    return nameOrArn.startsWith("arn:")
        ? nameOrArn.replaceFirst("(:function:[^:]+):.*$", "$1")
        : "arn:aws:lambda:" + region + ":" + account + ":function:" + nameOrArn;
  }

  /** Stops this with the rest when the services close. */
  <T extends AutoCloseable> T add(T service) {
    synchronized (started) {
      started.push(service);
    }
    return service;
  }

  /**
   * A deployed function's execution role.
   *
   * @throws IllegalArgumentException if no function of that name or ARN is deployed
   */
  String functionRole(String functionNameOrArn) {
    FunctionLogging logging = functionLogs.get(functionArn(functionNameOrArn));
    if (logging == null) {
      throw new IllegalArgumentException("No function " + functionNameOrArn + " is deployed");
    }
    return logging.role();
  }

  /** A function's execution role, and the log group Lambda writes its output to under it. */
  private record FunctionLogging(String role, String logGroupArn) {}

  /** Where a function logs, and under which role, for when it first runs. */
  void functionLogs(String functionArn, String role, String logGroupArn) {
    functionLogs.put(functionArn, new FunctionLogging(role, logGroupArn));
  }

  /**
   * Lambda writes a function's logs under its execution role, which must be allowed to: recorded as
   * the role's use of {@code logs:CreateLogStream} and {@code logs:PutLogEvents} when the function
   * first runs.
   */
  private void writesLogs(String functionArn) {
    FunctionLogging logging = functionLogs.get(functionArn);
    if (logging == null) {
      return;
    }
    for (String action : new String[] {"logs:CreateLogStream", "logs:PutLogEvents"}) {
      try {
        iam.authorize(logging.role(), action, logging.logGroupArn());
      } catch (AwsServiceError e) {
        System.err.println("Warning: " + e.getMessage() + ": the function's logs would be lost");
      }
    }
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    synchronized (started) {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new IllegalStateException("A local service did not stop cleanly: " + e, e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

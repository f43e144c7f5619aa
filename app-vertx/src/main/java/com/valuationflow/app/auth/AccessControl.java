package com.valuationflow.app.auth;

import com.valuationflow.app.http.Problem;
import com.valuationflow.app.http.RequestPaths;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets through only callers with {@code Authorization: Bearer <credential>}: a JWT of the identity
 * provider, or an API key, that grants the permission the request needs ({@code POST}: {@link
 * Permission#SUBMIT}; anything else: {@link Permission#READ}). Otherwise {@code 401} (no, malformed
 * or invalid credentials; {@code WWW-Authenticate: Bearer}) or {@code 403} (valid, but without the
 * permission), as problem+json that never says what was wrong with a credential: the log does, at
 * debug level. {@code 503} while the identity provider's keys cannot be fetched for a JWT.
 */
public final class AccessControl implements Handler<RoutingContext>, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AccessControl.class.getName());
  private static final String CALLER = AccessControl.class.getName() + ".caller";
  private static final String REALM = "realm=\"valuationflow\"";
  private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** RFC 6750's {@code b64token}, after the scheme and its spaces. */
  private static final Pattern BEARER = Pattern.compile("(?i:bearer) +([A-Za-z0-9\\-._~+/]+=*) *");

  private final Optional<JwtVerifier> jwtVerifier;
  private final Optional<JwksKeySource> jwks;
  private final Optional<ApiKeys> apiKeys;
  private final Optional<String> submitScope;
  private final Optional<String> readScope;
  private final Optional<WebClient> client;

  private AccessControl(Vertx vertx, AccessSettings settings, Clock clock) {
    this.client = settings.jwt().map(jwt -> WebClient.create(vertx));
    this.jwtVerifier = settings.jwt().map(jwt -> new JwtVerifier(jwt, clock));
    this.jwks =
        settings
            .jwt()
            .map(
                jwt ->
                    new JwksKeySource(
                        client.orElseThrow(),
                        jwt.jwksUrl(),
                        jwt.jwksMaxAge(),
                        jwt.jwksMinRefetchInterval(),
                        clock));
    this.apiKeys = settings.apiKeys();
    this.submitScope = settings.jwt().map(AccessSettings.Jwt::submitScope);
    this.readScope = settings.jwt().map(AccessSettings.Jwt::readScope);
  }

  /**
   * Protects the loan API ({@code /loan-applications...}) and the execution view ({@code /}, {@code
   * /applications/...}) with these settings, if they configure any access control; the webhook, the
   * mock valuer, {@code /health} and the view's assets stay open. Mount before those routes.
   *
   * @return what to close when the app stops, if anything was mounted
   */
  public static Optional<AccessControl> protect(
      Vertx vertx, Router router, AccessSettings settings, Clock clock) {
    if (!settings.configured()) {
      return Optional.empty();
    }
    AccessControl access = new AccessControl(vertx, settings, clock);
    // One route without a path: a route with one would name every request's route in the
    // metrics ("/loan-applications*>/loan-applications").
    router.route().handler(access);
    access.jwks.ifPresent(JwksKeySource::current);
    LOG.log(
        System.Logger.Level.INFO,
        "Access control: {0}{1}",
        settings.jwt().map(jwt -> "JWTs from " + jwt.issuer() + " ").orElse(""),
        settings.apiKeys().map(keys -> "API keys " + keys.names()).orElse(""));
    return Optional.of(access);
  }

  /** The caller this handler let through, if it ran. */
  public static Optional<Caller> caller(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CALLER));
  }

  /** The loan API and the view's pages and streams, as the router matches paths (normalized). */
  static boolean isProtected(String normalizedPath) {
    return normalizedPath.equals("/")
        || normalizedPath.startsWith("/loan-applications")
        || normalizedPath.startsWith("/applications");
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<String> path = RequestPaths.normalized(ctx);
    if (path.isEmpty()) {
      return;
    }
    if (!isProtected(path.get())) {
      ctx.next();
      return;
    }
    Permission needed =
        ctx.request().method() == HttpMethod.POST ? Permission.SUBMIT : Permission.READ;
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      unauthorized(ctx, "Bearer " + REALM, "no credentials");
      return;
    }
    Matcher bearer = BEARER.matcher(header);
    if (!bearer.matches()) {
      unauthorized(ctx, invalidToken(), "not a bearer credential");
      return;
    }
    Future<Optional<Caller>> authenticated = authenticate(bearer.group(1));
    if (authenticated.isComplete()) {
      decide(ctx, needed, authenticated);
      return;
    }
    boolean paused = ctx.request().method() == HttpMethod.POST;
    if (paused) {
      // The body handler after this one resumes the request: no part of the body is lost.
      ctx.request().pause();
    }
    authenticated.onComplete(
        done -> {
          decide(ctx, needed, authenticated);
          if (paused && ctx.response().ended()) {
            ctx.request().resume();
          }
        });
  }

  private Future<Optional<Caller>> authenticate(String credential) {
    if (jwtVerifier.isPresent() && JwtVerifier.looksLikeJwt(credential)) {
      JwtVerifier verifier = jwtVerifier.get();
      JwksKeySource keys = jwks.orElseThrow();
      return keys.current()
          .compose(
              held -> {
                JwtVerifier.Outcome outcome = verifier.verify(credential, held);
                return outcome instanceof JwtVerifier.UnknownKey
                    ? keys.afterUnknownKey().map(fetched -> verifier.verify(credential, fetched))
                    : Future.succeededFuture(outcome);
              })
          .map(AccessControl::callerOf);
    }
    return Future.succeededFuture(apiKeys.flatMap(keys -> keys.match(credential)));
  }

  private static Optional<Caller> callerOf(JwtVerifier.Outcome outcome) {
    if (outcome instanceof JwtVerifier.Verified verified) {
      return Optional.of(verified.caller());
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "Refused a JWT: {0}",
        outcome instanceof JwtVerifier.Rejected rejected
            ? rejected.reason()
            : "unknown key " + ((JwtVerifier.UnknownKey) outcome).kid());
    return Optional.empty();
  }

  private void decide(RoutingContext ctx, Permission needed, Future<Optional<Caller>> result) {
    if (result.failed()) {
      ctx.response().putHeader("Retry-After", "5");
      Problem.of(
              503,
              "service-unavailable",
              "Service unavailable",
              "Credentials cannot be verified right now; try again later")
          .send(ctx);
      return;
    }
    Optional<Caller> caller = result.result();
    if (caller.isEmpty()) {
      unauthorized(ctx, invalidToken(), "invalid credentials");
      return;
    }
    if (!caller.get().may(needed)) {
      LOG.log(
          System.Logger.Level.INFO,
          "Refused {0} {1} to {2}: no {3} permission",
          ctx.request().method(),
          ctx.request().path(),
          caller.get().name(),
          needed.settingName());
      ctx.response()
          .putHeader(
              WWW_AUTHENTICATE,
              "Bearer "
                  + REALM
                  + ", error=\"insufficient_scope\""
                  + (needed == Permission.SUBMIT ? submitScope : readScope)
                      .map(scope -> ", scope=\"" + scope + "\"")
                      .orElse(""));
      Problem.of(
              403,
              "forbidden",
              "Forbidden",
              "The credentials do not grant the " + needed.settingName() + " permission")
          .send(ctx);
      return;
    }
    ctx.put(CALLER, caller.get());
    ctx.next();
  }

  private static String invalidToken() {
    return "Bearer " + REALM + ", error=\"invalid_token\"";
  }

  private static void unauthorized(RoutingContext ctx, String challenge, String reason) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "Refused {0} {1}: {2}",
        ctx.request().method(),
        ctx.request().path(),
        reason);
    ctx.response()
        .putHeader(WWW_AUTHENTICATE, challenge)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    Problem.of(
            401,
            "unauthorized",
            "Unauthorized",
            "A valid bearer token or API key is required (Authorization: Bearer ...)")
        .send(ctx);
  }

  @Override
  public void close() {
    client.ifPresent(WebClient::close);
  }
}

package dev.apikeyoperator.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live, mutable fault settings. Every getter and setter is thread-safe; changes apply to the next request.
 *
 * <p>Faults apply to every request under the API prefix, in this order: {@code down} (503), rate limit (429),
 * error rate (500), latency, then normal handling. Dropped create responses apply after the key was created.
 */
public final class Faults {

  private volatile int latencyMs;
  private volatile double errorRate;
  private volatile double rateLimitPerSecond;
  private final AtomicInteger dropCreateResponses = new AtomicInteger();
  private volatile boolean dropAllCreateResponses;
  private volatile boolean createResponsesIncludeId = true;
  private volatile boolean down;
  private volatile boolean rateLimitHeaders = true;
  private volatile boolean bareRateLimitReplies;
  private final AtomicInteger workspaceListErrors = new AtomicInteger();

  /** Milliseconds added to every API request. */
  public int getLatencyMs() {
    return latencyMs;
  }

  public Faults setLatencyMs(int latencyMs) {
    if (latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs must be >= 0");
    }
    this.latencyMs = latencyMs;
    return this;
  }

  /** Probability (0..1) that an API request is answered 500 before anything else is done. */
  public double getErrorRate() {
    return errorRate;
  }

  public Faults setErrorRate(double errorRate) {
    if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
      throw new IllegalArgumentException("errorRate must be between 0 and 1");
    }
    this.errorRate = errorRate;
    return this;
  }

  /** Requests per second allowed over all API requests (token bucket, burst = max(1, ceil(rate))); 0 = off. */
  public double getRateLimitPerSecond() {
    return rateLimitPerSecond;
  }

  public Faults setRateLimitPerSecond(double rateLimitPerSecond) {
    if (!(rateLimitPerSecond >= 0.0) || Double.isInfinite(rateLimitPerSecond)) {
      throw new IllegalArgumentException("rateLimitPerSecond must be >= 0 and finite");
    }
    this.rateLimitPerSecond = rateLimitPerSecond;
    return this;
  }

  /** How many of the next creates will create the key and then close the connection without a response. */
  public int getDropCreateResponses() {
    return dropCreateResponses.get();
  }

  public Faults setDropCreateResponses(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("dropCreateResponses must be >= 0");
    }
    dropCreateResponses.set(count);
    return this;
  }

  /** When true, every create drops its response (after creating the key). */
  public boolean isDropAllCreateResponses() {
    return dropAllCreateResponses;
  }

  public Faults setDropAllCreateResponses(boolean dropAll) {
    this.dropAllCreateResponses = dropAll;
    return this;
  }

  /** Whether create responses carry the key's {@code id} (live vendor responses often omit it). Default true. */
  public boolean isCreateResponsesIncludeId() {
    return createResponsesIncludeId;
  }

  public Faults setCreateResponsesIncludeId(boolean includeId) {
    this.createResponsesIncludeId = includeId;
    return this;
  }

  /** When true, every API request answers 503 "service unavailable". */
  public boolean isDown() {
    return down;
  }

  public Faults setDown(boolean down) {
    this.down = down;
    return this;
  }

  /**
   * When true (default) a 429 carries the four {@code X-RateLimit-*} headers and {@code Retry-After}; when false
   * only {@code Retry-After}, like Harness-hosted endpoints.
   */
  public boolean isRateLimitHeaders() {
    return rateLimitHeaders;
  }

  public Faults setRateLimitHeaders(boolean rateLimitHeaders) {
    this.rateLimitHeaders = rateLimitHeaders;
    return this;
  }

  /**
   * When true (default false) a 429 is Harness-style: body {@code {"code":429}}, no {@code X-RateLimit-*} headers and
   * no {@code Retry-After} (FME only; overrides {@link #isRateLimitHeaders()}).
   */
  public boolean isBareRateLimitReplies() {
    return bareRateLimitReplies;
  }

  public Faults setBareRateLimitReplies(boolean bare) {
    this.bareRateLimitReplies = bare;
    return this;
  }

  /**
   * How many of the next {@code GET /workspaces} answer the transient {@code 500} "E11000 duplicate key" seen from the
   * real API (FME only; after authentication, nothing else changes).
   */
  public int getWorkspaceListErrors() {
    return workspaceListErrors.get();
  }

  public Faults setWorkspaceListErrors(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("workspaceListErrors must be >= 0");
    }
    workspaceListErrors.set(count);
    return this;
  }

  /** Consumes one pending workspace-listing error; true when this listing must answer 500. */
  boolean consumeWorkspaceListError() {
    return consumeOne(workspaceListErrors);
  }

  private static boolean consumeOne(AtomicInteger pending) {
    while (true) {
      int n = pending.get();
      if (n <= 0) {
        return false;
      }
      if (pending.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }

  /** Consumes one pending dropped create response; true when this create's response must be dropped. */
  boolean consumeDropCreateResponse() {
    return dropAllCreateResponses || consumeOne(dropCreateResponses);
  }

  /** Restores every fault to its default (no faults, ids in create responses, rate-limit headers on, no bare 429s). */
  public Faults clear() {
    latencyMs = 0;
    errorRate = 0.0;
    rateLimitPerSecond = 0.0;
    dropCreateResponses.set(0);
    dropAllCreateResponses = false;
    createResponsesIncludeId = true;
    down = false;
    rateLimitHeaders = true;
    bareRateLimitReplies = false;
    workspaceListErrors.set(0);
    return this;
  }

  /** Copies every setting from {@code other}. */
  public Faults copyFrom(Faults other) {
    latencyMs = other.latencyMs;
    errorRate = other.errorRate;
    rateLimitPerSecond = other.rateLimitPerSecond;
    dropCreateResponses.set(other.dropCreateResponses.get());
    dropAllCreateResponses = other.dropAllCreateResponses;
    createResponsesIncludeId = other.createResponsesIncludeId;
    down = other.down;
    rateLimitHeaders = other.rateLimitHeaders;
    bareRateLimitReplies = other.bareRateLimitReplies;
    workspaceListErrors.set(other.workspaceListErrors.get());
    return this;
  }

  /** The settings as a JSON-ready map (field names as used by {@code /__simulator/faults}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("latencyMs", latencyMs);
    m.put("errorRate", errorRate);
    m.put("rateLimitPerSecond", rateLimitPerSecond);
    m.put("dropCreateResponses", dropCreateResponses.get());
    m.put("dropAllCreateResponses", dropAllCreateResponses);
    m.put("createResponsesIncludeId", createResponsesIncludeId);
    m.put("down", down);
    m.put("rateLimitHeaders", rateLimitHeaders);
    m.put("bareRateLimitReplies", bareRateLimitReplies);
    m.put("workspaceListErrors", workspaceListErrors.get());
    return m;
  }

  @Override
  public String toString() {
    return "Faults" + toMap();
  }
}

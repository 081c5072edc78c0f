package dev.apikeyoperator.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How strictly the {@link StatsigSimulator} follows Statsig's own documents (docs/integrations/vendor-apis.md, "What the vendor's
 * own documents allow and a tidy fake hides"). The defaults are the vendor's behaviour; each setter turns one
 * leniency on. Live and thread-safe: changes apply to the next request. Not changed by {@link StatsigSimulator#reset()}
 * nor by {@link Faults#clear()}. The rate-limit numbers are set with {@link StatsigSimulator#setMutationLimits(int, int)}.
 */
public final class StatsigRules {

  /** The vendor's page size when {@code limit} is not given. */
  public static final int VENDOR_DEFAULT_LIST_LIMIT = 10;

  private volatile boolean updateAnswersFullKey;
  private volatile boolean otherKeyTypesListed = true;
  private volatile boolean createAnswers200;
  private volatile int defaultListLimit = VENDOR_DEFAULT_LIST_LIMIT;
  private volatile boolean rejectedAttemptsCount = true;
  private volatile boolean rateLimitRetryAfter;

  /**
   * Whether {@code PATCH /keys/{id}} answers the whole key in {@code data} (default false: like the official example,
   * {@code data} is {@code {environments, targetAppID, secondaryTargetAppIDs}}, without {@code key}).
   */
  public boolean isUpdateAnswersFullKey() {
    return updateAnswersFullKey;
  }

  public StatsigRules setUpdateAnswersFullKey(boolean full) {
    this.updateAnswersFullKey = full;
    return this;
  }

  /**
   * Whether {@code GET /keys} lists the project's {@code SCIM} and {@code ORG} keys, with {@code key: null}, before the
   * keys created through the API (default true). They cannot be read, changed or used.
   */
  public boolean isOtherKeyTypesListed() {
    return otherKeyTypesListed;
  }

  public StatsigRules setOtherKeyTypesListed(boolean listed) {
    this.otherKeyTypesListed = listed;
    return this;
  }

  /** Whether {@code POST /keys} answers 200 as the spec says (default false: 201, as the live API does). */
  public boolean isCreateAnswers200() {
    return createAnswers200;
  }

  public StatsigRules setCreateAnswers200(boolean answers200) {
    this.createAnswers200 = answers200;
    return this;
  }

  /** The page size of {@code GET /keys} without {@code limit} (default 10; 1..100). */
  public int getDefaultListLimit() {
    return defaultListLimit;
  }

  public StatsigRules setDefaultListLimit(int limit) {
    if (limit < 1 || limit > StatsigApiHandler.MAX_LIMIT) {
      throw new IllegalArgumentException("defaultListLimit must be between 1 and " + StatsigApiHandler.MAX_LIMIT);
    }
    this.defaultListLimit = limit;
    return this;
  }

  /** Whether a mutation refused with 429 still counts against the rate-limit windows (default true, as documented). */
  public boolean isRejectedAttemptsCount() {
    return rejectedAttemptsCount;
  }

  public StatsigRules setRejectedAttemptsCount(boolean count) {
    this.rejectedAttemptsCount = count;
    return this;
  }

  /** Whether a rate-limit 429 carries {@code Retry-After} (default false: Statsig documents none). */
  public boolean isRateLimitRetryAfter() {
    return rateLimitRetryAfter;
  }

  public StatsigRules setRateLimitRetryAfter(boolean retryAfter) {
    this.rateLimitRetryAfter = retryAfter;
    return this;
  }

  /** Copies every setting from {@code other}. */
  public StatsigRules copyFrom(StatsigRules other) {
    updateAnswersFullKey = other.updateAnswersFullKey;
    otherKeyTypesListed = other.otherKeyTypesListed;
    createAnswers200 = other.createAnswers200;
    defaultListLimit = other.defaultListLimit;
    rejectedAttemptsCount = other.rejectedAttemptsCount;
    rateLimitRetryAfter = other.rateLimitRetryAfter;
    return this;
  }

  /** The settings as a JSON-ready map (field names as used by {@code /__simulator/rules}). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("updateAnswersFullKey", updateAnswersFullKey);
    m.put("otherKeyTypesListed", otherKeyTypesListed);
    m.put("createAnswers200", createAnswers200);
    m.put("defaultListLimit", defaultListLimit);
    m.put("rejectedAttemptsCount", rejectedAttemptsCount);
    m.put("rateLimitRetryAfter", rateLimitRetryAfter);
    return m;
  }

  @Override
  public String toString() {
    return "StatsigRules" + toMap();
  }
}

package dev.apikeyoperator.transport;

/** Any other unsuccessful answer from the vendor. */
public final class VendorErrorException extends VendorException {

  private final int status;
  private final boolean permanent;

  /** {@link #permanent()} follows from the status: see {@link #isPermanentStatus(int)}. */
  public VendorErrorException(String message, int status) {
    this(message, status, isPermanentStatus(status));
  }

  public VendorErrorException(String message, int status, boolean permanent) {
    super(message);
    this.status = status;
    this.permanent = permanent;
  }

  /** The HTTP status the vendor answered. */
  public int status() {
    return status;
  }

  /** True when retrying the same request cannot succeed (4xx other than 408 and 429). */
  public boolean permanent() {
    return permanent;
  }

  /** 4xx except 408 (request timeout) and 429 (rate limited). */
  public static boolean isPermanentStatus(int status) {
    return status >= 400 && status < 500 && status != 408 && status != 429;
  }
}

package dev.apikeyoperator.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * How a fake API answers an error: FME with {@code {"code":status,"message":...}} ({@link HttpReplies#error}),
 * Statsig with {@code {"status":status,"message":...}} ({@link StatsigApiHandler#error}).
 */
@FunctionalInterface
interface ErrorReply {
  void send(HttpExchange ex, int status, String message) throws IOException;
}

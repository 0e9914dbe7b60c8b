package dev.catchup.monitor.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors the server raises itself, before or around the {@link Router} (a request line or URI
 * that does not parse, a header section too large, a failure after a response began): the same
 * {@code {"error": "..."}} JSON as every other error, never the server's HTML page. The message
 * names the status and, escaped, the parser's reason; never a stack trace.
 */
final class ServerErrors implements Request.Handler {

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int code = response.getStatus();
    String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    if (cause instanceof HttpException e) {
      code = e.getCode();
      reason = reason == null ? e.getReason() : reason;
    }
    if (code < 400) {
      code = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    response.setStatus(code);
    String message = message(code, reason);
    Reply reply = Reply.error(code, message, java.util.Map.of());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (HttpStatus.hasNoBody(code) || "HEAD".equals(request.getMethod())) {
      callback.succeeded();
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    return true;
  }

  /** What to tell the client: the status's meaning, and the parser's reason when it has one. */
  static String message(int code, String reason) {
    String what = switch (code) {
      case 400 -> "bad request";
      case 408 -> "request not received in time";
      case 413 -> "request too large";
      case 414 -> "request URI too long";
      case 431 -> "request header fields too large";
      case 500 -> "internal error";
      case 501 -> "not implemented";
      case 505 -> "HTTP version not supported";
      default -> HttpStatus.getMessage(code).toLowerCase(Locale.ROOT);
    };
    // A 500's reason may be an exception's text: details belong in the log, not the reply.
    if (code == 500 || reason == null || reason.isBlank()
        || reason.equalsIgnoreCase(HttpStatus.getMessage(code))) {
      return what;
    }
    String r = reason.length() > 160 ? reason.substring(0, 160) + "..." : reason;
    return what + ": " + r;
  }
}

package io.tessera.http;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as problem documents. Jetty answers by itself when a request never reaches Javalin (headers too
 * large, a URI it cannot parse or finds ambiguous, a bad Content-Length, an unknown HTTP version): its default page is
 * HTML, which no API client can read.
 */
final class ErrorPages implements Request.Handler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            response.setStatus(status);
            if (message == null) message = http.getReason();
        }
        if (status < 400) {
            status = 500;
            response.setStatus(status);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        // Jetty's reasons for 4xx ("Ambiguous URI path separator", "No Host") help the caller; a 5xx's cause is ours.
        String detail = status >= 500 || message == null || message.isBlank() ? Problems.title(status) : message;
        byte[] body = Problems.document(status, Problems.code(status), detail, RequestLog.id(request), List.of(),
                Map.of());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}

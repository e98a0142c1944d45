package io.metalforge.http.internal;

import java.nio.ByteBuffer;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

import jakarta.servlet.http.HttpServletRequest;

/** {@link UnreadBodies} on Jetty 12 (loaded only where its classes are wired). */
final class JettyUnreadBodies {

    private JettyUnreadBodies() {
    }

    static void closeWithoutReading(HttpServletRequest req) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(req);
        if (request != null) {
            request.addHttpStreamWrapper(NotReadingTheRest::new);
        }
    }

    /**
     * The request's stream as it is, except that once the answer is complete it reports the rest of the body as not
     * consumed without reading it: Jetty then closes the connection (as the answer said it would) instead of
     * reading up to 16 chunks first. Not Jetty's HttpStream.Wrapper: its consumeAvailable() is final.
     */
    private record NotReadingTheRest(HttpStream stream) implements HttpStream {

        @Override
        public Throwable consumeAvailable() {
            return HttpStream.CONTENT_NOT_CONSUMED;
        }

        @Override
        public String getId() {
            return stream.getId();
        }

        @Override
        public Content.Chunk read() {
            return stream.read();
        }

        @Override
        public void demand() {
            stream.demand();
        }

        @Override
        public void prepareResponse(HttpFields.Mutable headers) {
            stream.prepareResponse(headers);
        }

        @Override
        public void send(MetaData.Request request, MetaData.Response response, boolean last, ByteBuffer content,
                Callback callback) {
            stream.send(request, response, last, content, callback);
        }

        @Override
        public void push(MetaData.Request request) {
            stream.push(request);
        }

        @Override
        public long getIdleTimeout() {
            return stream.getIdleTimeout();
        }

        @Override
        public void setIdleTimeout(long idleTimeoutMs) {
            stream.setIdleTimeout(idleTimeoutMs);
        }

        @Override
        public boolean isCommitted() {
            return stream.isCommitted();
        }

        @Override
        public TunnelSupport getTunnelSupport() {
            return stream.getTunnelSupport();
        }

        @Override
        public Invocable.InvocationType getInvocationType() {
            return stream.getInvocationType();
        }

        @Override
        public void succeeded() {
            stream.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            stream.failed(x);
        }
    }
}

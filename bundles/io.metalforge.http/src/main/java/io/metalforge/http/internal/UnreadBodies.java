package io.metalforge.http.internal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Lets a refusal that closes the connection close it without the container reading what is left of the body first.
 * Jetty 12 reads up to 16 chunks of a body the application left unread once the response is complete (its
 * {@code HttpConfiguration.maxUnconsumedRequestContentReads}, which Felix HTTP offers no setting for), so that the
 * connection can serve a next request; an answer with {@code Connection: close} keeps nothing, so for a refused
 * 8 MiB post those reads were about 200 KiB and 16 system calls of pure cost. On any other container this does
 * nothing (the Jetty classes are imported optionally).
 */
final class UnreadBodies {

    private static final boolean JETTY = jettyPresent();

    private UnreadBodies() {
    }

    /**
     * Marks {@code req}, whose answer carries {@code Connection: close}, so that its unread body is not read before
     * the connection closes.
     */
    static void closeWithoutReading(HttpServletRequest req) {
        if (JETTY) {
            JettyUnreadBodies.closeWithoutReading(req);
        }
    }

    private static boolean jettyPresent() {
        try {
            Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextRequest", false,
                    UnreadBodies.class.getClassLoader());
            Class.forName("org.eclipse.jetty.server.HttpStream", false, UnreadBodies.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

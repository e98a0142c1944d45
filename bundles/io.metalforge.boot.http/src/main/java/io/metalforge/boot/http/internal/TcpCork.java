package io.metalforge.boot.http.internal;

import java.io.FileDescriptor;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * Linux's {@code TCP_CORK} for a socket channel: while set, the kernel sends only full segments, so a response head
 * and the file body that sendfile queues behind it leave together (nginx's {@code tcp_nopush}). Java 17 has no public
 * option for it; the JDK's own setsockopt is reached by reflection, which needs {@code java.base/sun.nio.ch} opened
 * to Metalforge (the distribution jar's manifest says {@code Add-Opens: java.base/sun.nio.ch}). Where it is not open
 * (another launcher, another OS) {@link #available()} is false and the server sends as it did without it.
 *
 * <p>Measured (docs/BENCHMARKS.md, serving section): on a quiet machine, corked 1 MiB ranges cost the server about
 * 0.17 ms each against 0.5-0.6 ms uncorked in the same run.
 */
final class TcpCork {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CORK = 3;

    private static final Method SET_INT_OPTION;
    private static final Method GET_FD;

    static {
        Method set = null;
        Method fd = null;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
                Class<?> channel = Class.forName("sun.nio.ch.SocketChannelImpl", false, null);
                set = net.getDeclaredMethod("setIntOption0", FileDescriptor.class, boolean.class, int.class,
                        int.class, int.class, boolean.class);
                fd = channel.getDeclaredMethod("getFD");
                set.setAccessible(true);
                fd.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                set = null; // not opened to us (InaccessibleObjectException), or another JDK: send uncorked
                fd = null;
            }
        }
        SET_INT_OPTION = set;
        GET_FD = fd;
    }

    private TcpCork() {
    }

    /** Tests set this to serve as where the cork cannot be set (the fallback path); never set in the appliance. */
    static volatile boolean offForTests;

    /** Whether {@code TCP_CORK} can be set on this JVM. */
    static boolean available() {
        return SET_INT_OPTION != null;
    }

    /** Whether answers are sent corked: it can be set, and a test has not turned it off. */
    static boolean inUse() {
        return SET_INT_OPTION != null && !offForTests;
    }

    /** Sets or clears {@code TCP_CORK} on {@code ch}; false when it could not (the caller then sends uncorked). */
    static boolean set(SocketChannel ch, boolean on) {
        if (SET_INT_OPTION == null || !GET_FD.getDeclaringClass().isInstance(ch)) {
            return false;
        }
        try {
            SET_INT_OPTION.invoke(null, GET_FD.invoke(ch), false, IPPROTO_TCP, TCP_CORK, on ? 1 : 0, false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}

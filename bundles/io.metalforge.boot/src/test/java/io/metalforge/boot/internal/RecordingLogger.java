package io.metalforge.boot.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.log.Logger;

/**
 * An OSGi Logger that keeps what it was told (level and message with its "{}" filled in), so tests can assert the
 * log lines an operator would read. The platform's log service is a framework service; tests run without one.
 */
public final class RecordingLogger {

    private RecordingLogger() {
    }

    public static Logger create(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] { Logger.class },
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("is")) {
                        return true;
                    }
                    if (name.equals("getName")) {
                        return "test";
                    }
                    if (args != null && args.length > 0 && args[0] instanceof String format) {
                        String text = format;
                        for (int i = 1; i < args.length; i++) {
                            Object a = args[i];
                            if (a instanceof Object[] many) {
                                for (Object m : many) {
                                    text = text.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(
                                            String.valueOf(m)));
                                }
                            } else {
                                text = text.replaceFirst("\\{}",
                                        java.util.regex.Matcher.quoteReplacement(String.valueOf(a)));
                            }
                        }
                        lines.add(name.toUpperCase() + " " + text);
                    }
                    return null;
                });
    }

    public static List<String> lines() {
        return new CopyOnWriteArrayList<>();
    }
}

package io.metalforge.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log lines through the real java.util.logging and System.Logger into a real file and the console. */
class LogRoutingTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private LogRouting routing;

    @AfterEach
    void stop() throws Exception {
        if (routing != null) {
            routing.stop();
        }
    }

    private LogRouting start(String level, int megabytes, int keep) throws Exception {
        routing = new LogRouting(null, dir.resolve("log/metalforge.log"),
                new TerminalConsole(new PrintStream(console, true, StandardCharsets.UTF_8)),
                config(level, megabytes, keep));
        routing.start();
        return routing;
    }

    @Test
    void infoGoesOnlyToTheFileWarningsAlsoToTheConsole() throws Exception {
        start("INFO", 10, 5);
        Logger.getLogger("org.apache.aries.spifly.BaseActivator").info("Registered provider x of service y");
        System.getLogger("io.metalforge.power.service.internal.PowerServiceImpl")
                .log(System.Logger.Level.WARNING, "BMC 10.0.0.1 did not answer");
        Logger.getLogger("io.metalforge.simplestreams").fine("a detail");

        List<String> lines = Files.readAllLines(dir.resolve("log/metalforge.log"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\S+Z INFO    \\[org.apache.aries.spifly.BaseActivator\\] Registered provider x "
                + "of service y"), lines.get(0));
        assertTrue(lines.get(1).endsWith("WARNING [io.metalforge.power.service.internal.PowerServiceImpl] BMC 10.0.0.1 "
                + "did not answer"), lines.get(1));
        assertEquals("WARNING [io.metalforge.power.service.internal.PowerServiceImpl] BMC 10.0.0.1 did not answer\n",
                console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theFileIsRotatedBySizeAndKeepsItsName() throws Exception {
        start("INFO", 1, 2);
        String kilobyte = "x".repeat(1000);
        for (int i = 0; i < 3 * 1100; i++) {
            routing.record(0, 800, "test", i + " " + kilobyte, null);
        }
        Path log = dir.resolve("log/metalforge.log");
        assertTrue(Files.size(log) <= 1024 * 1024);
        assertTrue(Files.exists(dir.resolve("log/metalforge.log.1")));
        assertTrue(Files.exists(dir.resolve("log/metalforge.log.2")));
        assertFalse(Files.exists(dir.resolve("log/metalforge.log.3")), "only two rotated files are kept");
        List<String> tail = routing.file().tail(1);
        assertTrue(tail.get(0).contains("[test] 3299 x"), tail.toString());
    }

    @Test
    void aNewLevelAppliesWithoutARestart() throws Exception {
        start("WARNING", 10, 5);
        Logger.getLogger("quiet").info("not written");
        routing.apply(config("INFO", 10, 5));
        Logger.getLogger("loud").info("written");
        String text = Files.readString(dir.resolve("log/metalforge.log"));
        assertFalse(text.contains("not written"));
        assertTrue(text.contains("[loud] written"));
        assertEquals("", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandShowsTheTail() throws Exception {
        start("INFO", 10, 5);
        for (int i = 1; i <= 50; i++) {
            routing.record(0, 800, "test", "line " + i, null);
        }
        List<String> shown = new LogCommand(routing).log(3).lines().toList();
        assertEquals(4, shown.size(), shown.toString());
        assertEquals("==> " + dir.resolve("log/metalforge.log") + " <==", shown.get(0));
        assertTrue(shown.get(1).endsWith("[test] line 48") && shown.get(3).endsWith("[test] line 50"), shown.toString());
        assertTrue(new LogCommand(routing).log(0).startsWith("usage: metalforge:log"));
    }

    private static LogConfiguration config(String level, int megabytes, int keep) {
        return new LogConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LogConfiguration.class;
            }

            @Override
            public String level() {
                return level;
            }

            @Override
            public int megabytes() {
                return megabytes;
            }

            @Override
            public int keep() {
                return keep;
            }
        };
    }
}
